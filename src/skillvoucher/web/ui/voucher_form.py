"""The new-policy form of the bureau's voucher pages: its fields as entered, and those fields read as `PolicyTerms`.

Amounts are yuan with at most two decimals, read exactly (`core.money.yuan_to_fen`), never through a float.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from fastapi import Request

from skillvoucher import vouchers
from skillvoucher.core import Invalid
from skillvoucher.core.money import yuan_to_fen
from skillvoucher.identity import EmploymentStatus, PopulationGroup

TEXT_FIELDS: Final = (
    "name", "kind", "region", "funding_source", "opens_on", "closes_on", "value_mode", "value_yuan",
    "validity_mode", "valid_until", "valid_days", "male_min", "male_max", "female_min", "female_max", "sub_regions",
    "occupations", "budget_cap_yuan", "quantity_cap", "yearly_limit", "target_class_id",
)  # fmt: skip
FLAGS: Final = ("once_per_occupation_level", "claimable")
KINDS: Final = tuple(k.value for k in vouchers.PolicyKind)
_OCCUPATION_LINE = re.compile(r"^(\d-\d{2}-\d{2}-\d{2})(?:\s*[,，/ ]\s*([1-5]))?$")


@dataclass
class PolicyForm:
    """What the officer entered, kept to show the form again after a refusal."""

    text: dict[str, str] = field(default_factory=dict)
    groups: list[int] = field(default_factory=list)
    employment: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    def get(self, name: str) -> str:
        return self.text.get(name, "")


def blank_form(region_code: str, today: date) -> PolicyForm:
    return PolicyForm(
        text={"kind": "face_value", "region": region_code, "opens_on": today.isoformat(), "value_mode": "fixed"}
        | {"validity_mode": "until"},
        flags={"once_per_occupation_level"},
    )


async def policy_form(request: Request) -> PolicyForm:
    """A dependency: the posted form (already parsed once for its CSRF token) as a PolicyForm."""
    posted = await request.form()
    text = {name: str(posted.get(name) or "").strip()[:4000] for name in TEXT_FIELDS}
    groups = [int(v) for v in posted.getlist("groups") if isinstance(v, str) and v.isdigit()]
    employment = [v for v in posted.getlist("employment") if isinstance(v, str)]
    flags = {name for name in FLAGS if posted.get(name)}
    return PolicyForm(text=text, groups=groups, employment=employment, flags=flags)


def policy_terms(form: PolicyForm) -> vouchers.PolicyTerms:
    """The terms the form describes; `Invalid` names the first field that cannot be read."""
    kind = form.get("kind")
    if kind not in KINDS:
        raise Invalid("请选择培训券种类 / choose the kind of voucher")
    if not re.fullmatch(r"\d{6}", form.get("region")):
        raise Invalid("请填写6位行政区划代码 / enter a six-digit region code")
    value: vouchers.FixedValue | vouchers.CatalogueValue = vouchers.CatalogueValue()
    if form.get("value_mode") == "fixed":
        value = vouchers.FixedValue(_fen(form.get("value_yuan"), "面值 / value"))
    if form.get("validity_mode") == "days":
        validity = vouchers.Validity(days_from_claim=_whole(form.get("valid_days"), "有效天数 / validity days"))
    else:
        validity = vouchers.Validity(until=_day(form.get("valid_until"), "有效期至 / valid until"))
    return vouchers.PolicyTerms(
        name=form.get("name"),
        kind=vouchers.PolicyKind(kind),
        region_code=form.get("region"),
        funding_source=form.get("funding_source"),
        opens_on=_day(form.get("opens_on"), "开始日期 / opens on"),
        closes_on=_day(form.get("closes_on"), "截止日期 / closes on"),
        value=value,
        validity=validity,
        eligibility=_eligibility(form),
        usage=vouchers.Usage(_occupations(form.get("occupations"))),
        budget_cap_fen=_optional(form.get("budget_cap_yuan"), lambda v: _fen(v, "预算上限 / budget cap")),
        quantity_cap=_optional(form.get("quantity_cap"), lambda v: _whole(v, "数量上限 / quantity cap")),
        once_per_occupation_level="once_per_occupation_level" in form.flags,
        yearly_limit=_optional(form.get("yearly_limit"), lambda v: _whole(v, "年度限额 / yearly limit")),
        claimable="claimable" in form.flags,
        target_class_id=_optional(form.get("target_class_id"), lambda v: _whole(v, "班级编号 / class id")),
    )


def _eligibility(form: PolicyForm) -> vouchers.Eligibility:
    known_groups = {g.value for g in PopulationGroup}
    known_status = {s.value for s in EmploymentStatus}
    if any(g not in known_groups for g in form.groups) or any(s not in known_status for s in form.employment):
        raise Invalid("未知的人群或就业状态 / unknown population group or employment status")
    regions = tuple(r for r in re.split(r"[\s,，;；]+", form.get("sub_regions")) if r)
    if any(not re.fullmatch(r"\d{6}", r) for r in regions):
        raise Invalid("适用地区须为6位行政区划代码 / sub-regions are six-digit region codes")
    ages = {name: _optional(form.get(name), lambda v: _whole(v, "年龄 / age")) for name in _AGES}
    return vouchers.Eligibility(
        regions=regions,
        groups=sum(set(form.groups)),
        employment=tuple(dict.fromkeys(form.employment)),
        male_age=vouchers.AgeRange(ages["male_min"], ages["male_max"]),
        female_age=vouchers.AgeRange(ages["female_min"], ages["female_max"]),
    )


_AGES: Final = ("male_min", "male_max", "female_min", "female_max")


def _occupations(text: str) -> tuple[vouchers.OccupationLevel, ...]:
    """One occupation a line: its code, and optionally a level 1–5 after a space or comma (4-10-01-05 4)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _OCCUPATION_LINE.match(line.strip())
        if match is None:
            raise Invalid(
                f"第 {number} 行职业写法有误，应为“4-10-01-05”或“4-10-01-05 4” / occupation line {number} should "
                "read 4-10-01-05, or 4-10-01-05 4 with a level"
            )
        level = match.group(2)
        found.append(vouchers.OccupationLevel(match.group(1), int(level) if level else None))
    return tuple(found)


def _optional(value: str, read: Callable[[str], int]) -> int | None:
    return read(value) if value else None


def _fen(yuan: str, what: str) -> int:
    zh, en = what.split(" / ")
    try:
        return int(yuan_to_fen(yuan))
    except ValueError:
        raise Invalid(f"{zh}须为元，最多两位小数 / {en}: yuan with at most two decimals") from None


def _whole(value: str, what: str) -> int:
    zh, en = what.split(" / ")
    try:
        return int(value)
    except ValueError:
        raise Invalid(f"{zh}须为整数 / {en}: enter a whole number") from None


def _day(value: str, what: str) -> date:
    zh, en = what.split(" / ")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"请填写{zh}（年-月-日） / {en}: enter a date (YYYY-MM-DD)") from None
