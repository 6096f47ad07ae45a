"""A targeted class through the real actions: the school applies with a roster of resident ID numbers, an officer
approves it, defines the class's targeted policy and issues it to the roster (everyone listed holds an `issued`
voucher)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from skillvoucher.identity import PiiCipher, Principal, Role
from skillvoucher.training import (
    ClassPlan,
    CourseDetails,
    RosterLine,
    SessionPlan,
    Teacher,
    apply_for_class,
    decide_class,
    publish_course,
    set_class_roster,
)
from skillvoucher.vouchers import PolicyKind, define_policy, issue_to_class_roster
from tests.factories.enrolment import BEFORE, DAY, FIRST_SESSION
from tests.factories.identity import make_id_number
from tests.factories.training import course_details, demand, listed_school
from tests.factories.vouchers import OFFICER, person, terms

_births = iter(range(10_000))


@dataclass(frozen=True)
class TargetedClass:
    school: int
    class_id: int
    policy_id: int
    staff: Principal
    person_ids: tuple[int, ...]  # the roster, in the order listed


def targeted_class(
    session: Session,
    cipher: PiiCipher,
    *,
    roster: int = 3,
    capacity: int = 30,
    school: int | None = None,
    **policy_terms: object,
) -> TargetedClass:
    """`school`: an existing listed school with the care worker's demand entry (ready_class's), else a new one."""
    if school is None:
        school = listed_school(session)
        demand(session, valid_from=BEFORE - timedelta(days=30))
    staff = Principal(Role.INSTITUTION_STAFF, 92, institution_id=school)
    details = course_details(school, hours=6, price_fen=200_000)
    assert isinstance(details, CourseDetails)
    course = publish_course(session, details=details, today=BEFORE, by=staff)
    sessions = [SessionPlan(FIRST_SESSION, FIRST_SESSION + timedelta(hours=3), "理论", "301")]
    plan = ClassPlan(
        course.id, DAY, DAY + timedelta(days=5), capacity, "第三方评价", sessions, [Teacher("王老师", "技师")]
    )
    training_class = apply_for_class(session, plan=plan, today=BEFORE, by=staff)
    numbers = [make_id_number("350203", date(1984, 1, 1) + timedelta(days=next(_births))) for _ in range(roster)]
    people = [person(session, cipher, id_number=number) for number in numbers]
    lines = [RosterLine(n, number) for n, number in enumerate(numbers, start=1)]
    set_class_roster(session, class_id=training_class.id, lines=lines, cipher=cipher, today=BEFORE, by=staff)
    decide_class(session, class_id=training_class.id, approve=True, by=OFFICER)
    changes: dict[str, object] = {"kind": PolicyKind.TARGETED, "target_class_id": training_class.id, "claimable": False}
    policy = define_policy(session, terms=terms(**{**changes, **policy_terms}), today=BEFORE, by=OFFICER)
    issued = issue_to_class_roster(session, policy_id=policy.id, today=BEFORE, by=OFFICER)
    assert issued.issued == roster
    return TargetedClass(school, training_class.id, policy.id, staff, tuple(p.id for p in people))
