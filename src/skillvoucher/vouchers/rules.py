"""The rules of a voucher policy as typed values: who is eligible, what it may be used for, what it is worth.

Pure. The same `Eligibility` decides a single claim here and compiles to SQL for batch issuance
(`vouchers.eligibility_sql`); a property-based test checks that the two always agree.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from skillvoucher.core import Invalid
from skillvoucher.identity.authz import region_covers  # pure submodules: this module stays free of SQL
from skillvoucher.identity.rules import EmploymentStatus, PopulationGroup


class PolicyKind(enum.StrEnum):
    FACE_VALUE = "face_value"  # 面值券: a fixed amount
    GENERAL = "general"  # 通用券: worth the subsidy standard of the course chosen
    TARGETED = "targeted"  # 定向券: for the roster of one approved class
    NO_FACE_VALUE = "no_face_value"  # 抵用券: the worker pays; the subsidy follows the certificate


class VoucherState(enum.StrEnum):
    ISSUED = "issued"  # 发放: in the worker's card, not yet taken up
    CLAIMED = "claimed"  # 领用: the worker took it up; it can back an enrolment
    RESERVED = "reserved"  # held by an enrolment (the enrolment issue)
    USED = "used"  # training completed and settled (the settlement issue)
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class PersonFacts:
    """What eligibility may look at: the registry's facts about one person."""

    region_code: str
    gender: str  # "M" | "F"
    birth_date: date
    population_groups: int
    employment_status: str


@dataclass(frozen=True)
class AgeRange:
    """Inclusive ages in whole years; an open end is None."""

    min_age: int | None = None
    max_age: int | None = None

    def born_on_or_before(self, on: date) -> date | None:
        """A person is at least `min_age` on `on` exactly when born on or before this day."""
        return None if self.min_age is None else years_before(on, self.min_age)

    def born_after(self, on: date) -> date | None:
        """A person is at most `max_age` on `on` exactly when born after this day."""
        return None if self.max_age is None else years_before(on, self.max_age + 1)

    def admits(self, birth_date: date, on: date) -> bool:
        earliest, latest = self.born_after(on), self.born_on_or_before(on)
        return (earliest is None or birth_date > earliest) and (latest is None or birth_date <= latest)


def years_before(on: date, years: int) -> date:
    """The same day `years` earlier; 29 February falls back to the 28th in a common year."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


@dataclass(frozen=True)
class Eligibility:
    """Who may hold a voucher of the policy. Every condition must hold; an empty condition admits everyone."""

    regions: tuple[str, ...] = ()  # region of registration, each with its sub-regions
    groups: int = 0  # a PopulationGroup mask: the person belongs to at least one of them
    employment: tuple[str, ...] = ()  # EmploymentStatus values
    male_age: AgeRange = field(default_factory=AgeRange)
    female_age: AgeRange = field(default_factory=AgeRange)

    def admits(self, person: PersonFacts, on: date) -> bool:
        return not self.refusal(person, on)

    def refusal(self, person: PersonFacts, on: date) -> str | None:
        """Why the person is not eligible on that day, in words a worker understands; None when they are."""
        if self.regions and not any(region_covers(r, person.region_code) for r in self.regions):
            return "户籍或登记地不在政策范围内 / your region of registration is outside the policy's regions"
        if self.groups and not person.population_groups & self.groups:
            return "不属于政策面向的人群 / you are not in a population group the policy serves"
        if self.employment and person.employment_status not in self.employment:
            return "就业状态不符合 / your employment status does not qualify"
        ages = self.male_age if person.gender == "M" else self.female_age
        if not ages.admits(person.birth_date, on):
            return "年龄不在政策范围内 / your age is outside the policy's range"
        return None

    def validate(self, policy_region: str) -> None:
        for region in self.regions:
            if not region_covers(policy_region, region):
                raise Invalid(f"地区 {region} 不在政策所属地区内 / region {region} is outside the policy's region")
        if self.groups < 0 or self.groups & ~_ALL_GROUPS:
            raise Invalid("未知的人群 / unknown population group")
        known = {s.value for s in EmploymentStatus}
        for status in self.employment:
            if status not in known:
                raise Invalid(f"未知的就业状态 {status} / unknown employment status")
        for ages in (self.male_age, self.female_age):
            low, high = ages.min_age, ages.max_age
            if (low is not None and not 0 <= low <= 120) or (high is not None and not 0 <= high <= 120):
                raise Invalid("年龄应在 0–120 之间 / ages must be between 0 and 120")
            if low is not None and high is not None and low > high:
                raise Invalid("最低年龄大于最高年龄 / the minimum age is above the maximum")

    def within(self, policy_region: str) -> Eligibility:
        """The rule as issued: with no regions named, the policy's own region."""
        return self if self.regions else replace(self, regions=(policy_region,))


_ALL_GROUPS = sum(g.value for g in PopulationGroup)


@dataclass(frozen=True)
class OccupationLevel:
    code: str
    level: int | None = None  # None: any level of the occupation


@dataclass(frozen=True)
class Usage:
    """What a voucher may pay for: listed occupations (and levels), or any course in the demand catalogue."""

    occupations: tuple[OccupationLevel, ...] = ()

    @property
    def any_catalogue_course(self) -> bool:
        return not self.occupations

    def allows(self, occupation_code: str, level: int) -> bool:
        return self.any_catalogue_course or any(
            o.code == occupation_code and (o.level is None or o.level == level) for o in self.occupations
        )

    @property
    def single(self) -> OccupationLevel | None:
        """The one occupation and level it is for, when there is exactly one."""
        only = self.occupations[0] if len(self.occupations) == 1 else None
        return only if only is not None and only.level is not None else None


@dataclass(frozen=True)
class FixedValue:
    fen: int


@dataclass(frozen=True)
class CatalogueValue:
    """The demand catalogue's subsidy standard with its shortage uplift, for the occupation and level trained."""


ValueRule = FixedValue | CatalogueValue


@dataclass(frozen=True)
class Validity:
    until: date | None = None  # a fixed last day, or …
    days_from_claim: int | None = None  # … this many days from the claim

    def expires_on(self, *, claimed_on: date | None, closes_on: date) -> date:
        """The last day of use. An unclaimed voucher with a validity counted from the claim lapses with the policy."""
        if self.until is not None:
            return self.until
        assert self.days_from_claim is not None
        if claimed_on is None:
            return closes_on
        return claimed_on + timedelta(days=self.days_from_claim - 1)


def check_kind(kind: PolicyKind, value: ValueRule, usage: Usage, target_class_id: int | None) -> None:
    """The combinations the four kinds of voucher allow (docs/vouchers.md)."""
    if kind is PolicyKind.FACE_VALUE and not isinstance(value, FixedValue):
        raise Invalid("面值券须有固定面值 / a face-value voucher needs a fixed value")
    if kind is PolicyKind.GENERAL and not isinstance(value, CatalogueValue):
        raise Invalid("通用券的面值按课程补贴标准 / a general voucher is worth the chosen course's subsidy standard")
    if kind is PolicyKind.TARGETED and target_class_id is None:
        raise Invalid("定向券须指定班级 / a targeted voucher needs its class")
    if kind is not PolicyKind.TARGETED and target_class_id is not None:
        raise Invalid("只有定向券指定班级 / only a targeted voucher names a class")
    if isinstance(value, FixedValue) and value.fen <= 0:
        raise Invalid("面值须大于零 / the value must be above zero")
    for item in usage.occupations:
        if item.level is not None and not 1 <= item.level <= 5:
            raise Invalid("技能等级为 1–5 / skill levels are 1 to 5")


# --- (de)serialisation of the rule objects kept as JSON on the policy row ---------------------------------------


def eligibility_to_json(rule: Eligibility) -> dict[str, Any]:
    return {
        "regions": list(rule.regions),
        "groups": rule.groups,
        "employment": list(rule.employment),
        "male_age": [rule.male_age.min_age, rule.male_age.max_age],
        "female_age": [rule.female_age.min_age, rule.female_age.max_age],
    }


def eligibility_from_json(data: dict[str, Any]) -> Eligibility:
    return Eligibility(
        regions=tuple(data.get("regions", ())),
        groups=int(data.get("groups", 0)),
        employment=tuple(data.get("employment", ())),
        male_age=AgeRange(*data.get("male_age", (None, None))),
        female_age=AgeRange(*data.get("female_age", (None, None))),
    )


def usage_to_json(usage: Usage) -> dict[str, Any]:
    return {"occupations": [[o.code, o.level] for o in usage.occupations]}


def usage_from_json(data: dict[str, Any]) -> Usage:
    return Usage(tuple(OccupationLevel(code, level) for code, level in data.get("occupations", ())))


def value_to_json(value: ValueRule) -> dict[str, Any]:
    return {"fixed_fen": value.fen} if isinstance(value, FixedValue) else {"catalogue": True}


def value_from_json(data: dict[str, Any]) -> ValueRule:
    return FixedValue(int(data["fixed_fen"])) if "fixed_fen" in data else CatalogueValue()
