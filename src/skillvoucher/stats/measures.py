"""What the rollups count, and under which keys: pure rules, shared by the counting and by `stats verify`.

A counted event concerns one voucher of one person: the person's registered region, their population groups, the
voucher's policy, and for what follows an enrolment the course's occupation and level and the institution. Each
event adds to one row per (region at every level up to the nation) × (its policy, and its policy's kind) × (every
dimension member it belongs to).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")  # months are China's calendar months (UTC+8 all year)
NATIONAL = "000000"  # the region code of the whole country in the rollups

# The counted measures, one column each. Amounts are integer fen.
VOUCHER_MEASURES = ("issued", "claimed", "used", "forfeited", "expired", "revoked")
# trainees: persons with a live enrolment, each counted once, under their earliest live enrolment's keys
ENROLMENT_MEASURES = ("completed", "certified", "trainees")
# classes: approved classes (not cancelled), under the course's region, the decision's month and NO_POLICY
SUPPLY_MEASURES = ("classes",)
AMOUNT_MEASURES = ("held_fen",)  # subsidy held for enrolments still to be paid (enrolled or completed)
MEASURES = VOUCHER_MEASURES + ENROLMENT_MEASURES + SUPPLY_MEASURES + AMOUNT_MEASURES
NO_POLICY = 0  # the policy key of what no voucher policy owns (classes)
# Every event of a policy is counted twice: under the policy, and under its kind's key (below zero), so a reader who
# picks no policy reads a few rows per month rather than one per policy (a targeted policy per class: thousands).
POLICY_KINDS = ("face_value", "general", "targeted", "no_face_value")  # vouchers.PolicyKind, in this order


def kind_key(kind: str) -> int:
    """The policy key of the rows that add up every policy of one kind: -1, -2, …"""
    return -(POLICY_KINDS.index(kind) + 1)


def kind_of_key(policy_key: int) -> str:
    """The kind a kind key adds up (the inverse of kind_key)."""
    return POLICY_KINDS[-policy_key - 1]


class Dimension(enum.StrEnum):
    ALL = "all"  # member "": the plain totals
    GROUP = "group"  # member: a population-group bit, as a number ("1", "2", "4", …)
    OCCUPATION = "occupation"  # member: "occupation code:level", for events after an enrolment
    INSTITUTION = "institution"  # member: the institution's id, for events after an enrolment


@dataclass(frozen=True, slots=True)
class Subject:
    """What one counted event is about."""

    region_code: str  # the person's registered region (usually a county)
    groups: int  # the person's population groups, a bit set
    policy_id: int
    month: int  # yyyymm, China time
    occupation: str | None = None  # "code:level" of the course, once enrolled
    institution_id: int | None = None
    kind: str | None = None  # the policy's kind (every policy but NO_POLICY has one)

    def policy_keys(self) -> list[int]:
        if self.policy_id == NO_POLICY:
            return [NO_POLICY]
        if self.kind is None:
            raise ValueError(f"policy {self.policy_id} is counted without its kind")
        return [self.policy_id, kind_key(self.kind)]


Key = tuple[str, int, int, str, str]  # region code, month, policy key (a policy id or a kind key), dimension, member


def month_of(moment: datetime) -> int:
    local = moment.astimezone(CHINA)
    return local.year * 100 + local.month


def month_of_day(day: date) -> int:
    return day.year * 100 + day.month


def group_bits(groups: int) -> list[int]:
    return [1 << bit for bit in range(groups.bit_length()) if groups & (1 << bit)]


def members(subject: Subject) -> list[tuple[Dimension, str]]:
    found = [(Dimension.ALL, "")]
    found += [(Dimension.GROUP, str(bit)) for bit in group_bits(subject.groups)]
    if subject.occupation is not None:
        found.append((Dimension.OCCUPATION, subject.occupation))
    if subject.institution_id is not None:
        found.append((Dimension.INSTITUTION, str(subject.institution_id)))
    return found


def keys_of(subject: Subject, regions: list[str]) -> list[Key]:
    """Every rollup key the event adds to; `regions` is the person's region and its ancestors."""
    return [
        (region, subject.month, policy_key, str(dimension), member)
        for region in [*regions, NATIONAL]
        for policy_key in subject.policy_keys()
        for dimension, member in members(subject)
    ]
