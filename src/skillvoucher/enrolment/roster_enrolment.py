"""Enrolling a targeted class's roster in one transaction (docs/enrolment.md, "A targeted class's roster").

The institution reported the roster with its class application, a bureau officer approved the class and its roster,
and each listed worker's targeted voucher names that class: so the institution may enrol the roster's voucher holders
together instead of one verification and one confirmation per worker. The rules are `confirm_enrolment`'s, applied
set-based: the institution listed, the class approved and not ended, each voucher live and not expired (one still
`issued` is taken up on the way, as `take_up` would), one active enrolment per voucher and per person in a class, the
seats. Locks follow the single-enrolment order — vouchers, then the class — so the two paths never deadlock; the
partial unique indexes and the class's seat check constraint back them up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    case,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased

from skillvoucher.core import utc_now
from skillvoucher.db import among
from skillvoucher.db.types import UtcDateTime
from skillvoucher.enrolment.access import actor_of, authorize, record
from skillvoucher.enrolment.enrol import ACTIVE, ROW_LOCK
from skillvoucher.enrolment.errors import ClassNotOpenForEnrolment, VoucherNotUsable
from skillvoucher.enrolment.models import Enrolment
from skillvoucher.identity import Permission, Person, Principal, Resource
from skillvoucher.stats import Subject, count_many, month_of
from skillvoucher.training import ClassTrainee, Course, Institution, TrainingClass, is_listed
from skillvoucher.vouchers import PolicyKind, Voucher, VoucherPolicy, rules_of

_IDS_PER_STATEMENT = 1000


@dataclass(frozen=True)
class RosterEnrolment:
    class_id: int
    listed: int  # persons on the roster
    enrolled: int  # enrolled by this call (a second call enrols nobody twice)
    taken_up: int  # of them, vouchers still to be taken up, taken up on the way
    held_fen: int  # the subsidy the new enrolments hold
    seats_left: int


@dataclass(frozen=True)
class _Candidate:
    voucher_id: int
    person_id: int
    policy_id: int
    state: str
    value_fen: int
    region_code: str
    groups: int


def enrol_class_roster(session: Session, *, class_id: int, today: date, by: Principal | None) -> RosterEnrolment:
    """Enrol every holder of the class's targeted vouchers who is on its roster and not enrolled yet."""
    training_class = session.get(TrainingClass, class_id)
    if training_class is None:
        raise ClassNotOpenForEnrolment("班级不存在 / no such class")
    course = session.get_one(Course, training_class.course_id)
    institution = session.get_one(Institution, course.institution_id)
    authorize(by, Permission.ENROLMENT_MANAGE, Resource(region_code=course.region_code, institution_id=institution.id))
    policies = list(
        session.scalars(
            select(VoucherPolicy)
            .where(VoucherPolicy.kind == PolicyKind.TARGETED.value, VoucherPolicy.target_class_id == class_id)
            .order_by(VoucherPolicy.id)
        )
    )
    if not policies:
        raise VoucherNotUsable(
            "该班级没有定向券，请逐人验证培训券 / the class has no targeted vouchers: verify each worker's voucher"
        )
    if not is_listed(institution.accreditation):
        raise ClassNotOpenForEnrolment("培训机构不在目录内或已暂停 / the institution is not listed or is suspended")
    _ensure_open(training_class, today)
    for policy in policies:  # a targeted policy is used on its class's course; a class whose course changed is not
        if not rules_of(policy).usage.allows(course.occupation_code, course.level):
            raise VoucherNotUsable(
                "该培训券不能用于此职业或等级 / the voucher does not cover this occupation and level"
            )
    candidates = _locked_candidates(session, training_class.id, course, policies, today)
    training_class = session.get_one(TrainingClass, class_id, with_for_update=ROW_LOCK, populate_existing=True)
    _ensure_open(training_class, today)  # read again under the lock
    seats = training_class.capacity - training_class.enrolled_count
    chosen = candidates[: max(seats, 0)]
    on_roster = select(func.count()).select_from(ClassTrainee).where(ClassTrainee.class_id == class_id)
    listed = int(session.scalar(on_roster) or 0)
    if not chosen:
        return RosterEnrolment(class_id, listed, 0, 0, 0, max(seats, 0))
    now = utc_now()
    first_timers = _new_trainees(session, chosen)
    taken_up = _reserve(session, chosen, policies, today, now)
    _insert_enrolments(session, chosen, class_id, course, actor_of(by).label, now)
    training_class.enrolled_count += len(chosen)  # ck_classes_seats keeps it within the capacity
    held = [min(c.value_fen, course.price_fen) for c in chosen]
    kinds = {policy.id: policy.kind for policy in policies}
    _count(session, chosen, held, course, taken_up, first_timers, kinds, now)
    session.flush()
    data = {"enrolled": len(chosen), "taken_up": len(taken_up), "held_fen": sum(held), "listed": listed}
    record(session, by, "enrolment.roster_enrolled", "class", class_id, data)
    return RosterEnrolment(class_id, listed, len(chosen), len(taken_up), sum(held), seats - len(chosen))


def _ensure_open(training_class: TrainingClass, today: date) -> None:
    if training_class.state != "approved":
        raise ClassNotOpenForEnrolment("班级未获批准开班 / the class is not approved")
    if training_class.end_date < today:
        raise ClassNotOpenForEnrolment("班级已结束 / the class has ended")


def _locked_candidates(
    session: Session, class_id: int, course: Course, policies: Sequence[VoucherPolicy], today: date
) -> list[_Candidate]:
    """The roster's usable targeted vouchers, one per person (the lowest id), locked in id order.

    The roster's vouchers are read through the (policy, person) index and their state and last day checked here:
    with those conditions in SQL, PostgreSQL may read the partial index of live vouchers — every live voucher in the
    country — when its statistics lag behind a bulk load.
    """
    any_enrolment = exists().where(
        Enrolment.voucher_id == Voucher.id, Enrolment.state.in_((*ACTIVE, "pending"))
    )  # a pending one awaits its worker's own confirmation
    in_class = exists().where(
        Enrolment.class_id == class_id, Enrolment.person_id == Voucher.person_id, Enrolment.state.in_(ACTIVE)
    )
    on_roster = exists().where(ClassTrainee.class_id == class_id, ClassTrainee.person_id == Voucher.person_id)
    conditions: list[ColumnElement[bool]] = [
        Voucher.policy_id.in_([p.id for p in policies]),
        on_roster,
        ~any_enrolment,
        ~in_class,
    ]
    once = [p.id for p in policies if p.once_per_occupation_level]
    if once:
        conditions.append(or_(Voucher.policy_id.not_in(once), ~_subsidised_before(course)))
    rows = session.execute(
        select(
            Voucher.id,
            Voucher.person_id,
            Voucher.policy_id,
            Voucher.state,
            Voucher.expires_on,
            Voucher.value_fen,
            Person.region_code,
            Person.population_groups,
        )
        .join(Person, Person.id == Voucher.person_id)
        .where(*conditions)
        .order_by(Voucher.id)
        .with_for_update(key_share=True, of=Voucher)
    ).all()
    chosen: dict[int, _Candidate] = {}
    for voucher_id, person_id, policy_id, state, expires_on, value_fen, region, groups in rows:
        if state not in ("issued", "claimed") or expires_on < today:
            continue
        if value_fen is None:  # a targeted policy's single occupation and level price it when issued
            raise VoucherNotUsable("定向券面值未定 / a targeted voucher without a value cannot be used in bulk")
        if person_id not in chosen:  # two targeted vouchers for one class: the person takes one seat
            chosen[person_id] = _Candidate(voucher_id, person_id, policy_id, state, value_fen, region, groups)
    return sorted(chosen.values(), key=lambda c: c.person_id)


def _subsidised_before(course: Course) -> ColumnElement[bool]:
    """The voucher's holder is enrolled in, or has completed, a course of the same occupation and level."""
    earlier_class, earlier_course = aliased(TrainingClass), aliased(Course)
    return exists().where(
        Enrolment.person_id == Voucher.person_id,
        Enrolment.state.in_(("enrolled", "completed")),
        Enrolment.class_id == earlier_class.id,
        earlier_class.course_id == earlier_course.id,
        earlier_course.occupation_code == course.occupation_code,
        earlier_course.level == course.level,
    )


def _reserve(
    session: Session, chosen: Sequence[_Candidate], policies: Sequence[VoucherPolicy], today: date, now: datetime
) -> list[_Candidate]:
    """Reserve the chosen vouchers in one statement per policy; those still `issued` are taken up on the way, as
    `take_up` does (claimed now, a validity from the claim starting today). Returns the ones taken up."""
    for policy in policies:
        ids = [c.voucher_id for c in chosen if c.policy_id == policy.id]
        expires_on = rules_of(policy).validity.expires_on(claimed_on=today, closes_on=policy.closes_on)
        taken = Voucher.state == "issued"  # the row's state before this statement
        for batch in _batches(ids):
            session.execute(
                update(Voucher)
                .where(among(session, Voucher.id, batch))
                .values(
                    state="reserved",
                    claimed_at=case((taken, literal(now, UtcDateTime)), else_=Voucher.claimed_at),
                    expires_on=case((taken, literal(expires_on, Date)), else_=Voucher.expires_on),
                ),
                execution_options={"synchronize_session": False},
            )
    return [c for c in chosen if c.state == "issued"]


def _insert_enrolments(
    session: Session, chosen: Sequence[_Candidate], class_id: int, course: Course, label: str, now: datetime
) -> None:
    held = case((Voucher.value_fen > course.price_fen, course.price_fen), else_=Voucher.value_fen)
    columns = [
        "class_id",
        "person_id",
        "voucher_id",
        "state",
        "value_fen",
        "budget_reserved_fen",
        "worker_pays",
        "verified_by",
        "verified_at",
        "confirmed_at",
    ]
    for ids in _batches([c.voucher_id for c in chosen]):
        rows = select(
            literal(class_id, Integer),
            Voucher.person_id,
            Voucher.id,
            literal("enrolled", String),
            held,
            literal(0, Integer),
            false(),  # a targeted voucher is never a no-face-value one
            literal(label, String),
            literal(now, UtcDateTime),
            literal(now, UtcDateTime),
        ).where(among(session, Voucher.id, ids))
        session.execute(insert(Enrolment).from_select(columns, rows))


def _count(
    session: Session,
    chosen: Sequence[_Candidate],
    held: Sequence[int],
    course: Course,
    taken_up: Sequence[_Candidate],
    first_timers: set[int],
    kinds: dict[int, str],
    now: datetime,
) -> None:
    """What `take_up` and `confirm_enrolment` count, tallied by region, groups and policy."""
    month = month_of(now)
    occupation = f"{course.occupation_code}:{course.level}"
    claimed = Counter((c.region_code, c.groups, c.policy_id) for c in taken_up)
    used: Counter[tuple[str, int, int]] = Counter()
    held_fen: Counter[tuple[str, int, int]] = Counter()
    trainees: Counter[tuple[str, int, int]] = Counter()
    for candidate, value in zip(chosen, held, strict=True):
        key = (candidate.region_code, candidate.groups, candidate.policy_id)
        used[key] += 1
        held_fen[key] += value
        trainees[key] += candidate.person_id in first_timers
    events: list[tuple[Subject, dict[str, int]]] = [
        (Subject(region, groups, policy_id, month, kind=kinds[policy_id]), {"claimed": n})
        for (region, groups, policy_id), n in claimed.items()
    ]
    events += [
        (
            Subject(region, groups, policy_id, month, occupation, course.institution_id, kinds[policy_id]),
            {
                "used": n,
                "held_fen": held_fen[region, groups, policy_id],
                "trainees": trainees[region, groups, policy_id],
            },
        )
        for (region, groups, policy_id), n in used.items()
    ]
    count_many(session, events)


def _new_trainees(session: Session, chosen: Sequence[_Candidate]) -> set[int]:
    """The persons with no live enrolment yet: each becomes a trainee under this class's enrolment. Their rows are
    locked first, the last lock as in `confirm_enrolment`, so a concurrent enrolment of one of them waits."""
    person_ids = sorted(c.person_id for c in chosen)
    enrolled_before: set[int] = set()
    for batch in _batches(person_ids):
        session.execute(
            select(Person.id)
            .where(among(session, Person.id, batch))
            .order_by(Person.id)
            .with_for_update(key_share=True)
        )
        # The state is checked here: in SQL it would let PostgreSQL read the partial index of every live enrolment.
        rows = session.execute(select(Enrolment.person_id, Enrolment.state).where(Enrolment.person_id.in_(batch)))
        enrolled_before.update(person_id for person_id, state in rows if state in ACTIVE)
    return set(person_ids) - enrolled_before


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        yield list(ids[start : start + _IDS_PER_STATEMENT])
