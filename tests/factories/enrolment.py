"""A class ready for enrolment, through the real actions: a listed school, a 6-hour course, an approved class of
two 3-hour sessions starting on DAY, a Xiamen voucher policy, and workers holding claimed vouchers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from skillvoucher.db import UnitOfWork
from skillvoucher.enrolment import confirm_enrolment, verify_voucher
from skillvoucher.identity import PiiCipher, Principal, Role
from skillvoucher.training import (
    ClassPlan,
    CourseDetails,
    SessionPlan,
    Teacher,
    apply_for_class,
    decide_class,
    publish_course,
    register_assessment_body,
)
from skillvoucher.vouchers import Voucher, claim_from_policy, define_policy
from tests.factories.training import course_details, demand, listed_school, valid_uscc
from tests.factories.vouchers import OFFICER, person, terms

DAY = date(2026, 12, 10)  # the class's first day
BEFORE = date(2026, 12, 1)  # when workers enrol
FIRST_SESSION = datetime(2026, 12, 10, 1, tzinfo=UTC)  # 09:00 in Xiamen
SECOND_SESSION = datetime(2026, 12, 11, 1, tzinfo=UTC)
AT = FIRST_SESSION + timedelta(minutes=10)  # during the first session


@dataclass(frozen=True)
class ClassSetup:
    school: int
    class_id: int
    session_ids: tuple[int, int]
    policy_id: int
    staff: Principal
    assessor: Principal


def ready_class(session: Session, *, capacity: int = 30, **policy_terms: object) -> ClassSetup:
    school = listed_school(session)
    demand(session, valid_from=BEFORE - timedelta(days=30))
    staff = Principal(Role.INSTITUTION_STAFF, 90, institution_id=school)
    details = course_details(school, hours=6, price_fen=200_000)
    assert isinstance(details, CourseDetails)
    course = publish_course(session, details=details, today=BEFORE, by=staff)
    sessions = [
        SessionPlan(FIRST_SESSION, FIRST_SESSION + timedelta(hours=3), "理论", "301"),
        SessionPlan(SECOND_SESSION, SECOND_SESSION + timedelta(hours=3), "实操", "实训室"),
    ]
    plan = ClassPlan(
        course.id, DAY, DAY + timedelta(days=5), capacity, "第三方评价", sessions, [Teacher("王老师", "技师")]
    )
    training_class = apply_for_class(session, plan=plan, today=BEFORE, by=staff)
    decide_class(session, class_id=training_class.id, approve=True, by=OFFICER)
    from sqlalchemy import select

    from skillvoucher.training import ClassSession

    ids = tuple(
        session.scalars(
            select(ClassSession.id).where(ClassSession.class_id == training_class.id).order_by(ClassSession.starts_at)
        )
    )
    policy = define_policy(session, terms=terms(**policy_terms), today=BEFORE, by=OFFICER)
    body = register_assessment_body(
        session, name="厦门市职业技能鉴定中心", uscc=valid_uscc(), region_code="350200", by=None
    )
    assessor = Principal(Role.ASSESSOR, 91, region_code="350200", assessment_body_id=body.id)
    return ClassSetup(school, training_class.id, (ids[0], ids[1]), policy.id, staff, assessor)


def voucher_holder(session: Session, cipher: PiiCipher, setup: ClassSetup) -> tuple[Principal, Voucher]:
    """A new worker with a claimed voucher of the setup's policy."""
    someone = person(session, cipher)
    worker = Principal(Role.WORKER, someone.id)
    voucher = claim_from_policy(session, policy_id=setup.policy_id, person_id=someone.id, today=BEFORE, by=worker)
    return worker, voucher


def pending_enrolments(session: Session, cipher: PiiCipher, count: int) -> list[tuple[int, Principal]]:
    """A class of `count` seats and as many workers, each with an enrolment the institution has verified and the
    worker has still to confirm: (enrolment id, worker)."""
    setup = ready_class(session, capacity=count)
    pending: list[tuple[int, Principal]] = []
    for _ in range(count):
        worker, voucher = voucher_holder(session, cipher, setup)
        offer = verify_voucher(
            session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=setup.staff
        )
        pending.append((offer.enrolment_id, worker))
    return pending


def confirming_together(uow: UnitOfWork, together: threading.Barrier) -> Callable[[tuple[int, Principal]], str]:
    """A confirmation for a thread of a race: waits for the others, then confirms in its own transaction and says
    "enrolled" or the error (a deadlock or a lost update would surface there)."""

    def confirm(pending: tuple[int, Principal]) -> str:
        together.wait()
        try:
            with uow.begin() as session:
                confirm_enrolment(session, enrolment_id=pending[0], today=BEFORE, by=pending[1])
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        return "enrolled"

    return confirm
