"""Enrolling with a voucher: the institution verifies it, the worker confirms on their own device, and only then
is the voucher reserved — in one transaction with the class seat and the policy budget.

Locks are always taken in one order — enrolment, voucher, class, policy (only when its budget changes) — so
concurrent enrolments never deadlock; the partial unique indexes on `enrolments` and the class's seat check
constraint back the locks up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.core import Invalid, utc_now
from skillvoucher.enrolment.access import actor_of, authorize, record
from skillvoucher.enrolment.errors import (
    ClassFull,
    ClassNotOpenForEnrolment,
    EnrolmentNotFound,
    EnrolmentStateRefused,
    VoucherNotUsable,
)
from skillvoucher.enrolment.models import Enrolment
from skillvoucher.enrolment.tally import count_enrolment, lock_trainee, recount_trainee
from skillvoucher.identity import Permission, Person, Principal, Resource, Role
from skillvoucher.stats import month_of
from skillvoucher.training import (
    Course,
    Institution,
    TrainingClass,
    active_demand_entry,
    is_listed,
    subsidy_fen,
)
from skillvoucher.vouchers import (
    CapReached,
    PolicyKind,
    Voucher,
    VoucherCodeRejected,
    VoucherPolicy,
    get_policy,
    mask_holder_name,
    published_jwks,
    rules_of,
    verify_voucher_token,
    voucher_by_code,
)

ACTIVE = ("enrolled", "completed", "not_completed")


@dataclass(frozen=True)
class EnrolmentOffer:
    """What the institution sees after verifying a voucher: only what it needs."""

    enrolment_id: int
    holder_name_masked: str
    voucher_kind: str
    value_fen: int  # the subsidy this enrolment would hold
    worker_pays: bool  # no-face-value voucher: the worker pays and the subsidy follows the certificate
    voucher_expires_on: date
    class_id: int


@dataclass(frozen=True)
class _Context:
    voucher: Voucher
    policy: VoucherPolicy
    training_class: TrainingClass
    course: Course
    institution: Institution


# FOR NO KEY UPDATE: these actions change ordinary columns only, so inserts that reference the rows (a new pending
# enrolment's foreign keys) need not wait for them.
ROW_LOCK = {"key_share": True}


def _context(session: Session, voucher: Voucher, class_id: int, *, lock: bool) -> _Context:
    """The class (locked when `lock`), its course and institution, and the voucher's policy (not locked)."""
    training_class = session.get(
        TrainingClass, class_id, with_for_update=ROW_LOCK if lock else None, populate_existing=lock
    )
    if training_class is None:
        raise ClassNotOpenForEnrolment("班级不存在 / no such class")
    course = session.get(Course, training_class.course_id)
    assert course is not None
    institution = session.get(Institution, course.institution_id)
    assert institution is not None
    policy = session.get(VoucherPolicy, voucher.policy_id)
    assert policy is not None
    return _Context(voucher, policy, training_class, course, institution)


def _value_and_problem(session: Session, ctx: _Context, today: date) -> int:
    """The subsidy the enrolment holds, after every rule about voucher, class, course and institution holds."""
    voucher, policy, cls, course = ctx.voucher, ctx.policy, ctx.training_class, ctx.course
    if voucher.state == "issued":
        raise VoucherNotUsable("请先在电子社保卡中领用这张培训券 / the worker must take the voucher up first")
    if voucher.state != "claimed":
        raise VoucherNotUsable(
            f"培训券状态为“{voucher.state}”，不能使用 / a voucher in state {voucher.state} cannot be used"
        )
    if voucher.expires_on < today:
        raise VoucherNotUsable("培训券已过期 / the voucher has expired")
    if not is_listed(ctx.institution.accreditation):
        raise ClassNotOpenForEnrolment("培训机构不在目录内或已暂停 / the institution is not listed or is suspended")
    if cls.state != "approved":
        raise ClassNotOpenForEnrolment("班级未获批准开班 / the class is not approved")
    if cls.end_date < today:
        raise ClassNotOpenForEnrolment("班级已结束 / the class has ended")
    if policy.kind == PolicyKind.TARGETED and policy.target_class_id != cls.id:
        raise VoucherNotUsable("定向券只能用于指定班级 / a targeted voucher is used in its own class only")
    if not rules_of(policy).usage.allows(course.occupation_code, course.level):
        raise VoucherNotUsable("该培训券不能用于此职业或等级 / the voucher does not cover this occupation and level")
    if policy.once_per_occupation_level and _subsidised_before(session, voucher.person_id, course):
        raise VoucherNotUsable(
            "同一职业和等级只能享受一次补贴 / one subsidy per person per occupation and level: already enrolled or done"
        )
    value = voucher.value_fen
    if value is None:  # a general voucher is worth the course's subsidy standard
        entry = active_demand_entry(
            session,
            region_code=course.region_code,
            occupation_code=course.occupation_code,
            level=course.level,
            on=today,
        )
        if entry is None:
            raise VoucherNotUsable("该课程不在培训需求目录内 / the course is not in the training-demand catalogue")
        value = subsidy_fen(entry.subsidy_fen, entry.uplift_percent)
    return min(value, course.price_fen)  # never more than the institution charges


def _subsidised_before(session: Session, person_id: int, course: Course) -> bool:
    """An enrolment of the person, enrolled or completed, in a course of the same occupation and level."""
    return (
        session.scalar(
            select(Enrolment.id)
            .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
            .join(Course, Course.id == TrainingClass.course_id)
            .where(
                Enrolment.person_id == person_id,
                Enrolment.state.in_(("enrolled", "completed")),
                Course.occupation_code == course.occupation_code,
                Course.level == course.level,
            )
            .limit(1)
        )
        is not None
    )


def _find_voucher(session: Session, presented: str, now: datetime) -> Voucher:
    """A scanned QR token (verified against the published keys) or a typed voucher code."""
    text = presented.strip()
    if text.count(".") == 2:
        try:
            verified = verify_voucher_token(text, published_jwks(session, now), now)
        except VoucherCodeRejected as error:
            raise Invalid(str(error)) from None
        return voucher_by_code(session, verified.voucher_code)
    return voucher_by_code(session, text)


def verify_voucher(
    session: Session, *, class_id: int, presented: str, today: date, now: datetime, by: Principal | None
) -> EnrolmentOffer:
    """The institution checks a voucher for one of its classes; a pending enrolment awaits the worker's consent."""
    voucher = _find_voucher(session, presented, now)
    ctx = _context(session, voucher, class_id, lock=False)
    resource = Resource(region_code=ctx.course.region_code, institution_id=ctx.institution.id)
    authorize(by, Permission.ENROLMENT_MANAGE, resource)
    value = _value_and_problem(session, ctx, today)
    if ctx.training_class.enrolled_count >= ctx.training_class.capacity:
        raise ClassFull()
    pending = session.scalar(
        select(Enrolment).where(
            Enrolment.voucher_id == voucher.id, Enrolment.class_id == class_id, Enrolment.state == "pending"
        )
    )
    if pending is None:
        pending = Enrolment(
            class_id=class_id,
            person_id=voucher.person_id,
            voucher_id=voucher.id,
            state="pending",
            budget_reserved_fen=0,
            worker_pays=ctx.policy.kind == PolicyKind.NO_FACE_VALUE,
            verified_by=actor_of(by).label,
            verified_at=utc_now(),
        )
        session.add(pending)
        session.flush()
        record(session, by, "enrolment.verified", "enrolment", pending.id, {"class_id": class_id})
    person = session.get(Person, voucher.person_id)
    assert person is not None
    return EnrolmentOffer(
        enrolment_id=pending.id,
        holder_name_masked=mask_holder_name(person.name),
        voucher_kind=ctx.policy.kind,
        value_fen=value,
        worker_pays=pending.worker_pays,
        voucher_expires_on=voucher.expires_on,
        class_id=class_id,
    )


def _locked_enrolment(session: Session, enrolment_id: int) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id, with_for_update=ROW_LOCK, populate_existing=True)
    if enrolment is None:
        raise EnrolmentNotFound()
    return enrolment


def confirm_enrolment(session: Session, *, enrolment_id: int, today: date, by: Principal | None) -> Enrolment:
    """The worker consents on their own device: the voucher is reserved, a seat taken, the budget held."""
    enrolment = _locked_enrolment(session, enrolment_id)
    authorize(by, Permission.WORKER_SELF, Resource(person_id=enrolment.person_id))
    if enrolment.state != "pending":
        raise EnrolmentStateRefused(enrolment.state, "确认 / confirmed")
    voucher = session.get(Voucher, enrolment.voucher_id, with_for_update=ROW_LOCK, populate_existing=True)
    assert voucher is not None
    ctx = _context(session, voucher, enrolment.class_id, lock=True)
    value = _value_and_problem(session, ctx, today)
    cls, policy = ctx.training_class, ctx.policy
    if cls.enrolled_count >= cls.capacity:
        raise ClassFull()
    reserve = value if voucher.value_fen is None else 0  # a fixed value was committed when issued
    if reserve:  # only then is the policy's budget touched, and its row locked (after the class: the lock order)
        policy = get_policy(session, policy.id, lock=True)
        if policy.budget_cap_fen is not None and policy.committed_fen + reserve > policy.budget_cap_fen:
            raise CapReached("budget")
        policy.committed_fen += reserve
    counted_under = lock_trainee(session, enrolment.person_id)  # the last lock: after the policy, as claims take it
    voucher.state = "reserved"
    cls.enrolled_count += 1
    enrolment.state, enrolment.confirmed_at = "enrolled", utc_now()
    enrolment.value_fen, enrolment.budget_reserved_fen = value, reserve
    count_enrolment(session, enrolment, ctx.course, policy.id, month_of(enrolment.confirmed_at), used=1, held_fen=value)
    recount_trainee(session, enrolment.person_id, counted_under)
    record(session, by, "enrolment.confirmed", "enrolment", enrolment.id, {"value_fen": value, "class_id": cls.id})
    return enrolment


def cancel_enrolment(
    session: Session, *, enrolment_id: int, reason: str, today: date, by: Principal | None
) -> Enrolment:
    """Before the class starts the voucher is released; after, the policy says release or forfeit."""
    enrolment = _locked_enrolment(session, enrolment_id)
    voucher = session.get(Voucher, enrolment.voucher_id, with_for_update=ROW_LOCK, populate_existing=True)
    assert voucher is not None
    ctx = _context(session, voucher, enrolment.class_id, lock=True)
    if by is not None and not (by.role is Role.WORKER and by.account_id == enrolment.person_id):
        authorize(
            by,
            Permission.ENROLMENT_MANAGE,
            Resource(region_code=ctx.course.region_code, institution_id=ctx.institution.id),
        )
    text = reason.strip()
    if not text:
        raise Invalid("请填写原因 / give a reason")
    if enrolment.state not in ("pending", "enrolled"):
        raise EnrolmentStateRefused(enrolment.state, "取消 / cancelled")
    outcome = None
    if enrolment.state == "enrolled":
        started = today >= ctx.training_class.start_date
        release = not started or ctx.policy.late_cancellation == "release"
        if release:
            voucher.state = "claimed"
            if enrolment.budget_reserved_fen:
                get_policy(session, ctx.policy.id, lock=True).committed_fen -= enrolment.budget_reserved_fen
        else:
            voucher.state = "forfeited"
        outcome = "released" if release else "forfeited"
        ctx.training_class.enrolled_count -= 1
    counted_under = None
    if outcome is not None:
        counted_under = lock_trainee(session, enrolment.person_id)  # the last lock: after the policy
        assert enrolment.confirmed_at is not None
        assert enrolment.value_fen is not None
        confirmed_in = month_of(enrolment.confirmed_at)
        count_enrolment(
            session, enrolment, ctx.course, voucher.policy_id, confirmed_in, used=-1, held_fen=-enrolment.value_fen
        )
    enrolment.state, enrolment.ended_at = "cancelled", utc_now()
    enrolment.end_reason, enrolment.voucher_outcome = text[:500], outcome
    if outcome == "forfeited":
        count_enrolment(session, enrolment, ctx.course, voucher.policy_id, month_of(enrolment.ended_at), forfeited=1)
    if outcome is not None:
        recount_trainee(session, enrolment.person_id, counted_under)
    session.flush()
    data = {"reason": text[:500], "voucher": outcome}
    record(session, by, "enrolment.cancelled", "enrolment", enrolment.id, data)
    return enrolment
