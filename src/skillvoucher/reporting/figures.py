"""The figures a dashboard shows, read from the rollups (never from the voucher table).

Every reader is given a scope (a region code, or 000000 for the nation) and optional filters; it sums the scope's
rollup rows over slots and whatever the filters leave free. Without a policy filter it reads the kinds' rows (policy
keys below zero) and the rows of no policy (0), never the one-per-policy rows: a few rows a month, not thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from skillvoucher.catalog import SKILL_LEVELS, Occupation, Region
from skillvoucher.identity import PopulationGroup
from skillvoucher.identity.authz import region_prefix
from skillvoucher.identity.rules import GROUP_LABELS_ZH
from skillvoucher.reporting.errors import UnknownScope
from skillvoucher.stats import (
    MEASURES,
    NATIONAL,
    NO_POLICY,
    Dimension,
    StatCount,
    flush_counts,
    kind_key,
    kind_of_key,
)
from skillvoucher.training import Accreditation, Institution
from skillvoucher.vouchers import VoucherPolicy

NATIONAL_NAME = "全国"
LISTED_STATES = (Accreditation.ACCREDITED.value, Accreditation.UNDER_REVIEW.value)  # as training.is_listed says
# What no voucher policy owns (approved classes) is a row of its own in the policy and kind tables, so they add up.
NO_POLICY_LABEL = "不属于任何券种（开班数）"
NO_POLICY_KIND = "none"


@dataclass(frozen=True)
class Totals:
    """One cell of every measure. Amounts are integer fen."""

    issued: int = 0
    claimed: int = 0
    used: int = 0
    forfeited: int = 0
    expired: int = 0
    revoked: int = 0
    completed: int = 0
    certified: int = 0
    trainees: int = 0  # persons with a live enrolment, each once
    classes: int = 0  # approved classes (not by policy: they count under no policy)
    held_fen: int = 0

    @property
    def use_rate(self) -> float | None:
        """Vouchers used for an enrolment per voucher issued (None before any was issued)."""
        return self.used / self.issued if self.issued else None

    def as_dict(self) -> dict[str, Any]:
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "use_rate": self.use_rate}

    def __add__(self, other: Totals) -> Totals:
        return Totals(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def __sub__(self, other: Totals) -> Totals:
        return Totals(**{f.name: getattr(self, f.name) - getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True)
class Row:
    """A labelled line of a breakdown: key is what identifies it (a region code, yyyymm, a policy id …)."""

    key: str
    label: str
    totals: Totals


@dataclass(frozen=True)
class Filters:
    month_from: int | None = None  # yyyymm, inclusive
    month_to: int | None = None
    policy_id: int | None = None
    kind: str | None = None  # a policy kind: face_value, general, targeted, no_face_value


@dataclass(frozen=True)
class Scope:
    code: str  # 000000 for the nation
    name: str
    level: str  # national, province, city, county
    parent_code: str | None


def _sums() -> list[Any]:
    return [func.coalesce(func.sum(getattr(StatCount, m)), 0) for m in MEASURES]


def _totals(values: Any) -> Totals:
    return Totals(**{m: int(v or 0) for m, v in zip(MEASURES, values, strict=True)})


def scope_of(session: Session, code: str) -> Scope:
    if code == NATIONAL:
        return Scope(NATIONAL, NATIONAL_NAME, "national", None)
    region = session.get(Region, code)
    if region is None:
        raise UnknownScope(code)
    return Scope(region.code, region.name, region.level, region.parent_code or NATIONAL)


def _months(filters: Filters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.month_from is not None:
        found.append(StatCount.month >= filters.month_from)
    if filters.month_to is not None:
        found.append(StatCount.month <= filters.month_to)
    return found


def _policy_of_kind(kind: str) -> ColumnElement[bool]:
    """The rows of policies of this kind (a policy's own rows, not the kind's)."""
    return StatCount.policy_id.in_(select(VoucherPolicy.id).where(VoucherPolicy.kind == kind))


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Which rows add up to the filtered figures: one policy's, one kind's, or every kind's and no policy's."""
    found = _months(filters)
    if filters.policy_id is not None:
        found.append(StatCount.policy_id == filters.policy_id)
        if filters.kind is not None:  # a policy of another kind: nothing
            found.append(_policy_of_kind(filters.kind))
    elif filters.kind is not None:
        found.append(StatCount.policy_id == kind_key(filters.kind))
    else:
        found.append(StatCount.policy_id <= NO_POLICY)
    return found


def _grouped(
    session: Session, regions: list[str], filters: Filters, by: Any, dimension: Dimension = Dimension.ALL
) -> dict[Any, Totals]:
    flush_counts(session)  # a reader inside a writing transaction sees its own counts
    return _summed(session, regions, by, dimension, _conditions(filters))


def _summed(
    session: Session, regions: list[str], by: Any, dimension: Dimension, conditions: list[ColumnElement[bool]]
) -> dict[Any, Totals]:
    statement = (
        select(by, *_sums())
        .where(StatCount.region_code.in_(regions), StatCount.dimension == str(dimension), *conditions)
        .group_by(by)
    )
    return {row[0]: _totals(row[1:]) for row in session.execute(statement)}


def headline(session: Session, code: str, filters: Filters = Filters()) -> Totals:
    flush_counts(session)
    statement = select(*_sums()).where(
        StatCount.region_code == code, StatCount.dimension == str(Dimension.ALL), *_conditions(filters)
    )
    return _totals(session.execute(statement).one())


def by_month(session: Session, code: str, filters: Filters = Filters()) -> list[Row]:
    cells = _grouped(session, [code], filters, StatCount.month)
    return [Row(str(month), f"{month // 100}-{month % 100:02d}", cells[month]) for month in sorted(cells)]


def child_regions(session: Session, code: str) -> list[Region]:
    parent = Region.level == "province" if code == NATIONAL else Region.parent_code == code
    return list(session.scalars(select(Region).where(parent).order_by(Region.code)))


def by_region(session: Session, code: str, filters: Filters = Filters()) -> list[Row]:
    """The scope's sub-regions (provinces for the nation), each with its totals; empty for a county."""
    children = child_regions(session, code)
    cells = _grouped(session, [r.code for r in children], filters, StatCount.region_code)
    return [Row(r.code, r.name, cells.get(r.code, Totals())) for r in children]


def by_policy(session: Session, code: str, filters: Filters = Filters(), limit: int | None = None) -> list[Row]:
    return ranked_policies(session, code, filters, limit)[0]


def ranked_policies(
    session: Session,
    code: str,
    filters: Filters = Filters(),
    limit: int | None = None,
    with_no_policy: bool = True,
) -> tuple[list[Row], int]:
    """Each policy (and, `with_no_policy`, what no policy owns: approved classes) largest first — the `limit`
    largest if given — and how many rows there are in all: as many as the scope has policies (one per class)."""
    conditions = [*_months(filters), StatCount.policy_id >= NO_POLICY if with_no_policy else StatCount.policy_id > 0]
    if filters.policy_id is not None:
        conditions.append(StatCount.policy_id == filters.policy_id)
    if filters.kind is not None:
        conditions.append(_policy_of_kind(filters.kind))
    cells, size = _ranked(session, code, StatCount.policy_id, Dimension.ALL, conditions, limit)
    policies = select(VoucherPolicy.id, VoucherPolicy.name).where(VoucherPolicy.id.in_([pid for pid, _ in cells]))
    names: dict[int, str] = dict(session.execute(policies).all())
    names[NO_POLICY] = NO_POLICY_LABEL
    return [Row(str(pid), names.get(pid, str(pid)), totals) for pid, totals in cells], size


def _ranked(
    session: Session,
    code: str,
    by: Any,
    dimension: Dimension,
    conditions: list[ColumnElement[bool]],
    limit: int | None,
) -> tuple[list[tuple[Any, Totals]], int]:
    """The scope's cells by `by`, largest first (issued, then used), cut to `limit`; and how many there are in all
    (a window count, taken before the cut)."""
    flush_counts(session)
    sums = _sums()
    statement = (
        select(by, *sums, func.count().over())
        .where(StatCount.region_code == code, StatCount.dimension == str(dimension), *conditions)
        .group_by(by)
        .order_by(sums[MEASURES.index("issued")].desc(), sums[MEASURES.index("used")].desc(), by)
    )
    if limit is not None:
        statement = statement.limit(limit)
    rows = session.execute(statement).all()
    size = int(rows[0][-1]) if rows else 0
    return [(row[0], _totals(row[1:-1])) for row in rows], size


def by_kind(session: Session, code: str, filters: Filters = Filters()) -> list[Row]:
    cells = _grouped(session, [code], filters, StatCount.policy_id)
    merged: dict[str, Totals] = {}
    if filters.policy_id is not None:  # one policy's rows: its kind
        kind = session.scalar(select(VoucherPolicy.kind).where(VoucherPolicy.id == filters.policy_id))
        merged = {kind: sum(cells.values(), Totals())} if kind is not None and cells else {}
    else:
        merged = {NO_POLICY_KIND if key == NO_POLICY else kind_of_key(key): totals for key, totals in cells.items()}
    return [Row(kind, kind, totals) for kind, totals in sorted(merged.items())]


def by_member(
    session: Session, code: str, dimension: Dimension, filters: Filters = Filters(), limit: int | None = None
) -> list[Row]:
    return ranked_members(session, code, dimension, filters, limit)[0]


def ranked_members(
    session: Session, code: str, dimension: Dimension, filters: Filters = Filters(), limit: int | None = None
) -> tuple[list[Row], int]:
    """Population groups, occupations and levels, or institutions, largest first (the `limit` largest if given),
    and how many there are in all."""
    cells, size = _ranked(session, code, StatCount.member, dimension, _conditions(filters), limit)
    labels = _member_labels(session, dimension, [member for member, _ in cells])
    rows = [Row(member, labels.get(member, member), totals) for member, totals in cells]
    return sorted(rows, key=lambda row: (-row.totals.issued, -row.totals.used, row.key)), size


def _member_labels(session: Session, dimension: Dimension, members: list[str]) -> dict[str, str]:
    if dimension is Dimension.GROUP:
        return {
            str(int(group)): label for group, label in GROUP_LABELS_ZH.items() if isinstance(group, PopulationGroup)
        }
    if dimension is Dimension.INSTITUTION:
        ids = [int(m) for m in members if m.isdigit()]
        rows = session.execute(select(Institution.id, Institution.name).where(Institution.id.in_(ids)))
        return {str(i): name for i, name in rows}
    if dimension is Dimension.OCCUPATION:
        codes = {m.split(":")[0] for m in members}
        occupations = select(Occupation.code, Occupation.name).where(Occupation.code.in_(codes))
        names: dict[str, str] = dict(session.execute(occupations).all())
        levels = {number: zh for number, zh, _en in SKILL_LEVELS}
        labelled = {}
        for member in members:
            occupation, _, level = member.partition(":")
            level_name = levels.get(int(level), level) if level.isdigit() else level
            labelled[member] = f"{names.get(occupation, occupation)}（{level_name}）"
        return labelled
    return {}


def listed_institutions(session: Session, code: str) -> int:
    """Institutions in the catalogue now (accredited or under review) registered within the scope: a count of the
    small institutions table by its region index, not a rollup (it is a stock with no month)."""
    statement = select(func.count()).select_from(Institution).where(Institution.accreditation.in_(LISTED_STATES))
    if code != NATIONAL:
        statement = statement.where(Institution.region_code.startswith(region_prefix(code)))
    return int(session.scalar(statement) or 0)


def pilot_split(session: Session, code: str, filters: Filters = Filters()) -> list[Row]:
    """The 2020 pilot cities against the rest of the scope (the national rollout)."""
    total = headline(session, code, filters)
    scope = scope_of(session, code)
    if scope.level in ("city", "county"):
        city = session.get(Region, code if scope.level == "city" else scope.parent_code)
        pilot = total if city is not None and city.pilot else Totals()
    else:
        cities = select(Region.code).where(Region.level == "city", Region.pilot.is_(True))
        if code != NATIONAL:
            cities = cities.where(Region.province_code == code)
        codes = list(session.scalars(cities))
        pilot = sum(_grouped(session, codes, filters, StatCount.dimension).values(), Totals())
    return [Row("pilot", "试点城市", pilot), Row("rollout", "其他地区", total - pilot)]
