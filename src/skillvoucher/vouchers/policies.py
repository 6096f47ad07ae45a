"""Voucher policies: an officer defines one for their region, and closes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.catalog import OCCUPATION_EDITION, Occupation
from skillvoucher.core import Conflict, Invalid, utc_now
from skillvoucher.identity import Permission, Principal, Resource, region_covers
from skillvoucher.training import TrainingClass, active_demand_entry, get_course, subsidy_fen
from skillvoucher.vouchers.access import actor_of, authorize, record
from skillvoucher.vouchers.errors import NoSubsidyStandard, PolicyNotFound, PolicyNotOpen
from skillvoucher.vouchers.models import VoucherPolicy
from skillvoucher.vouchers.rules import (
    CatalogueValue,
    Eligibility,
    FixedValue,
    OccupationLevel,
    PolicyKind,
    Usage,
    Validity,
    ValueRule,
    check_kind,
    eligibility_from_json,
    eligibility_to_json,
    usage_from_json,
    usage_to_json,
    value_from_json,
    value_to_json,
)


@dataclass(frozen=True)
class PolicyTerms:
    name: str
    kind: PolicyKind
    region_code: str
    funding_source: str
    opens_on: date
    closes_on: date
    value: ValueRule
    validity: Validity
    eligibility: Eligibility = field(default_factory=Eligibility)
    usage: Usage = field(default_factory=Usage)
    budget_cap_fen: int | None = None
    quantity_cap: int | None = None
    once_per_occupation_level: bool = True
    yearly_limit: int | None = None
    claimable: bool = False
    target_class_id: int | None = None


@dataclass(frozen=True)
class PolicyRules:
    """A policy row's JSON columns read back as the typed rules."""

    eligibility: Eligibility
    usage: Usage
    value: ValueRule
    validity: Validity


def rules_of(policy: VoucherPolicy) -> PolicyRules:
    return PolicyRules(
        eligibility=eligibility_from_json(policy.eligibility).within(policy.region_code),
        usage=usage_from_json(policy.usage),
        value=value_from_json(policy.value_rule),
        validity=Validity(until=policy.valid_until, days_from_claim=policy.valid_days),
    )


def define_policy(session: Session, *, terms: PolicyTerms, today: date, by: Principal | None) -> VoucherPolicy:
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=terms.region_code))
    _check_terms(session, terms, today)
    usage = terms.usage
    if terms.target_class_id is not None:
        usage = _class_usage(session, terms)
    policy = VoucherPolicy(
        name=terms.name.strip(),
        kind=terms.kind.value,
        region_code=terms.region_code,
        funding_source=terms.funding_source.strip(),
        eligibility=eligibility_to_json(terms.eligibility),
        usage=usage_to_json(usage),
        value_rule=value_to_json(terms.value),
        opens_on=terms.opens_on,
        closes_on=terms.closes_on,
        valid_until=terms.validity.until,
        valid_days=terms.validity.days_from_claim,
        budget_cap_fen=terms.budget_cap_fen,
        quantity_cap=terms.quantity_cap,
        once_per_occupation_level=terms.once_per_occupation_level,
        yearly_limit=terms.yearly_limit,
        claimable=terms.claimable,
        target_class_id=terms.target_class_id,
        state="open",
        issued_count=0,
        committed_fen=0,
        created_by=actor_of(by).label,
        created_at=utc_now(),
    )
    session.add(policy)
    session.flush()
    issue_value_fen(session, policy, today)  # refuses a catalogue value the catalogue cannot price
    record(
        session, by, "voucher_policy.defined", "voucher_policy", policy.id, {"name": policy.name, "kind": policy.kind}
    )
    return policy


def _check_terms(session: Session, terms: PolicyTerms, today: date) -> None:
    if not terms.name.strip():
        raise Invalid("请填写政策名称 / name the policy")
    if not terms.funding_source.strip():
        raise Invalid("请填写资金来源 / name the funding source")
    if terms.closes_on < terms.opens_on:
        raise Invalid("截止日期早于开始日期 / the policy closes before it opens")
    if terms.closes_on < today:
        raise Invalid("截止日期已过 / the closing day has passed")
    validity = terms.validity
    if (validity.until is None) == (validity.days_from_claim is None):
        raise Invalid("请填写有效期：截止日期或领取后天数之一 / give the validity: a last day or days from the claim")
    if validity.until is not None and validity.until < terms.opens_on:
        raise Invalid("有效期早于发放开始 / the validity ends before the policy opens")
    if validity.days_from_claim is not None and not 1 <= validity.days_from_claim <= 3660:
        raise Invalid("有效天数应在 1–3660 之间 / validity days must be between 1 and 3660")
    for cap, label in (
        (terms.budget_cap_fen, "预算上限 / budget cap"),
        (terms.quantity_cap, "数量上限 / quantity cap"),
    ):
        if cap is not None and cap < 0:
            raise Invalid(f"{label} 不能为负 / must not be negative")
    if terms.yearly_limit is not None and terms.yearly_limit < 1:
        raise Invalid("年度限额至少为 1 / the yearly limit is at least 1")
    check_kind(terms.kind, terms.value, terms.usage, terms.target_class_id)
    terms.eligibility.validate(terms.region_code)
    codes = {o.code for o in terms.usage.occupations}
    if codes:
        known = set(
            session.scalars(
                select(Occupation.code).where(Occupation.edition == OCCUPATION_EDITION, Occupation.code.in_(codes))
            )
        )
        if unknown := sorted(codes - known):
            raise Invalid(f"未知的职业编码 / unknown occupation codes: {', '.join(unknown)}")


def _class_usage(session: Session, terms: PolicyTerms) -> Usage:
    """A targeted policy is used on its class's course: the class must be approved and in the policy's region."""
    training_class = session.get(TrainingClass, terms.target_class_id)
    if training_class is None:
        raise Invalid("班级不存在 / no such class")
    if training_class.state != "approved":
        raise Conflict("班级尚未批准开班 / the class is not approved")
    course = get_course(session, training_class.course_id)
    if not region_covers(terms.region_code, course.region_code):
        raise Invalid("班级不在政策所属地区 / the class is outside the policy's region")
    return Usage((OccupationLevel(course.occupation_code, course.level),))


def issue_value_fen(session: Session, policy: VoucherPolicy, on: date) -> int | None:
    """What a voucher is worth when issued: the face value, the catalogue's standard for a single occupation and
    level, or None when the course chosen at enrolment decides (general vouchers)."""
    rules = rules_of(policy)
    if isinstance(rules.value, FixedValue):
        return rules.value.fen
    assert isinstance(rules.value, CatalogueValue)
    single = rules.usage.single
    if single is None or single.level is None:
        return None
    entry = active_demand_entry(
        session, region_code=policy.region_code, occupation_code=single.code, level=single.level, on=on
    )
    if entry is None:
        raise NoSubsidyStandard()
    return subsidy_fen(entry.subsidy_fen, entry.uplift_percent)


def get_policy(session: Session, policy_id: int, *, lock: bool = False) -> VoucherPolicy:
    """The policy; `lock` takes its row (FOR NO KEY UPDATE: its counters change, never its key, so rows that refer
    to it are not held up) until the transaction ends."""
    lock_mode = {"key_share": True} if lock else None
    policy = session.get(VoucherPolicy, policy_id, with_for_update=lock_mode, populate_existing=lock)
    if policy is None:
        raise PolicyNotFound()
    return policy


def ensure_open(policy: VoucherPolicy, today: date) -> None:
    if policy.state != "open":
        raise PolicyNotOpen("已关闭 / closed")
    if today < policy.opens_on:
        raise PolicyNotOpen(f"{policy.opens_on.isoformat()} 开始 / opens {policy.opens_on.isoformat()}")
    if today > policy.closes_on:
        raise PolicyNotOpen(f"{policy.closes_on.isoformat()} 已截止 / closed {policy.closes_on.isoformat()}")


def close_policy(session: Session, *, policy_id: int, by: Principal | None) -> VoucherPolicy:
    policy = get_policy(session, policy_id, lock=True)
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=policy.region_code))
    if policy.state == "closed":
        raise Conflict("政策已关闭 / the policy is already closed")
    policy.state, policy.closed_at = "closed", utc_now()
    record(session, by, "voucher_policy.closed", "voucher_policy", policy.id, {})
    return policy
