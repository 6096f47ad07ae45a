"""What enrolment, assessment and certificates add to the statistics rollups (see skillvoucher.stats).

An enrolment's counts sit in the month it was confirmed (used, held), the month it ended (completed, forfeited) or
the certificate's issue date (certified); taking an event back subtracts in the month it was first counted.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.enrolment.models import Enrolment
from skillvoucher.identity import Person
from skillvoucher.stats import Subject, count, month_of
from skillvoucher.training import Course, TrainingClass
from skillvoucher.vouchers import Voucher, VoucherPolicy


def count_enrolment(
    session: Session, enrolment: Enrolment, course: Course, policy_id: int, month: int, **deltas: int
) -> None:
    person = session.get(Person, enrolment.person_id)
    if person is None:  # enrolments reference persons by foreign key
        raise LookupError(f"enrolment {enrolment.id} has no person")
    policy = session.get(VoucherPolicy, policy_id)  # locked earlier in the enrolment's transaction, or cheap by key
    if policy is None:  # nothing deletes a policy that has vouchers
        raise LookupError(f"enrolment {enrolment.id} has no policy {policy_id}")
    subject = Subject(
        region_code=person.region_code,
        groups=person.population_groups,
        policy_id=policy_id,
        month=month,
        occupation=f"{course.occupation_code}:{course.level}",
        institution_id=course.institution_id,
        kind=policy.kind,
    )
    count(session, subject, **deltas)


LIVE_STATES = ("enrolled", "completed", "not_completed")  # an enrolment that used its voucher


def earliest_live_enrolment(session: Session, person_id: int) -> Enrolment | None:
    """The enrolment a trainee is counted under: their earliest live one (by confirmation, then id)."""
    return session.scalar(
        select(Enrolment)
        .where(Enrolment.person_id == person_id, Enrolment.state.in_(LIVE_STATES))
        .order_by(Enrolment.confirmed_at, Enrolment.id)
        .limit(1)
    )


def lock_trainee(session: Session, person_id: int) -> Enrolment | None:
    """Lock the person's row (after the enrolment's other locks: claims lock policy, then person) and return the
    enrolment they are counted under now; call `recount_trainee` with it once the enrolment has changed."""
    session.get(Person, person_id, with_for_update={"key_share": True})
    return earliest_live_enrolment(session, person_id)


def recount_trainee(session: Session, person_id: int, counted_under: Enrolment | None) -> None:
    """Move the person's trainee count to their earliest live enrolment now (or take it away if none is left)."""
    session.flush()
    now_under = earliest_live_enrolment(session, person_id)
    if (now_under.id if now_under else None) == (counted_under.id if counted_under else None):
        return
    for enrolment, delta in ((counted_under, -1), (now_under, +1)):
        if enrolment is not None:
            _count_under(session, enrolment, trainees=delta)


def _count_under(session: Session, enrolment: Enrolment, **deltas: int) -> None:
    assert enrolment.confirmed_at is not None
    training_class = session.get(TrainingClass, enrolment.class_id)
    voucher = session.get(Voucher, enrolment.voucher_id)
    assert training_class is not None
    assert voucher is not None
    course = session.get(Course, training_class.course_id)
    assert course is not None
    count_enrolment(session, enrolment, course, voucher.policy_id, month_of(enrolment.confirmed_at), **deltas)
