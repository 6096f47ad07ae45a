"""Classes (开班): an institution applies, a bureau officer of the course's region approves or rejects with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from skillvoucher.core import Invalid, utc_now
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.stats import NO_POLICY, Subject, count, month_of
from skillvoucher.training import rules
from skillvoucher.training.access import actor_of, authorize, record
from skillvoucher.training.course_models import ClassSession, ClassTeacher, Course, TrainingClass
from skillvoucher.training.courses import get_course
from skillvoucher.training.errors import (
    ClassNotFound,
    ClassNotPending,
    CourseNotPublished,
    InstitutionNotListed,
    ReasonRequired,
)
from skillvoucher.training.institutions import get_institution
from skillvoucher.training.lifecycle import is_listed


@dataclass(frozen=True)
class Teacher:
    name: str
    qualification: str


@dataclass(frozen=True)
class ClassPlan:
    course_id: int
    start_date: date
    end_date: date
    capacity: int
    assessment_plan: str
    sessions: Sequence[rules.SessionPlan]
    teachers: Sequence[Teacher]


def apply_for_class(session: Session, *, plan: ClassPlan, today: date, by: Principal | None) -> TrainingClass:
    course = get_course(session, plan.course_id)
    institution = get_institution(session, course.institution_id)
    authorize(by, Permission.CLASS_APPLY, Resource(region_code=course.region_code, institution_id=institution.id))
    if not is_listed(institution.accreditation):
        raise InstitutionNotListed(institution.accreditation)
    if course.status != "published":
        raise CourseNotPublished()
    problem = rules.class_problem(
        start=plan.start_date,
        end=plan.end_date,
        today=today,
        capacity=plan.capacity,
        sessions=plan.sessions,
        course_capacity=course.capacity,
    ) or (None if plan.teachers else "请填写授课教师 / name at least one teacher")
    if problem:
        raise Invalid(problem)
    training_class = TrainingClass(
        course_id=course.id,
        start_date=plan.start_date,
        end_date=plan.end_date,
        capacity=plan.capacity,
        assessment_plan=plan.assessment_plan.strip(),
        state="applied",
        applied_by=actor_of(by).label,
        applied_at=utc_now(),
    )
    session.add(training_class)
    session.flush()
    session.add_all(
        ClassSession(class_id=training_class.id, starts_at=s.starts_at, ends_at=s.ends_at, topic=s.topic, place=s.place)
        for s in plan.sessions
    )
    session.add_all(
        ClassTeacher(class_id=training_class.id, name=t.name, qualification=t.qualification) for t in plan.teachers
    )
    session.flush()
    data = {"course_id": course.id, "start_date": plan.start_date.isoformat(), "sessions": len(plan.sessions)}
    record(session, by, "class.applied", "class", training_class.id, data)
    return training_class


def derive_next_start(session: Session, course: Course, today: date | None = None) -> None:
    """The course's earliest approved class start from today on (a denormalized fast path for search)."""
    on = today or utc_now().date()
    course.next_start = session.scalar(
        select(func.min(TrainingClass.start_date)).where(
            TrainingClass.course_id == course.id, TrainingClass.state == "approved", TrainingClass.start_date >= on
        )
    )
    session.flush()


def refresh_next_starts(session: Session, *, today: date) -> int:
    """Re-derive every value that time has passed (a daily job keeps search on its fast path); returns how many."""
    earliest = (
        select(func.min(TrainingClass.start_date))
        .where(
            TrainingClass.course_id == Course.id, TrainingClass.state == "approved", TrainingClass.start_date >= today
        )
        .scalar_subquery()
    )
    result = session.execute(update(Course).where(Course.next_start < today).values(next_start=earliest))
    return int(getattr(result, "rowcount", 0) or 0)


def decide_class(
    session: Session, *, class_id: int, approve: bool, reason: str = "", by: Principal | None
) -> TrainingClass:
    training_class = session.get(TrainingClass, class_id, with_for_update=True)
    if training_class is None:
        raise ClassNotFound()
    course = get_course(session, training_class.course_id)
    institution = get_institution(session, course.institution_id)
    authorize(by, Permission.CLASS_DECIDE, Resource(region_code=course.region_code))
    if training_class.state != "applied":
        raise ClassNotPending(training_class.state)
    if approve and not is_listed(institution.accreditation):
        raise InstitutionNotListed(institution.accreditation)
    if not approve and not reason.strip():
        raise ReasonRequired()
    training_class.state = "approved" if approve else "rejected"
    training_class.reason = reason.strip() or None
    training_class.decided_by, training_class.decided_at = actor_of(by).label, utc_now()
    if approve:
        _count_class(session, course, training_class.decided_at, +1)
    session.flush()
    derive_next_start(session, course)
    data = {"state": training_class.state, "reason": training_class.reason}
    record(session, by, "class.decided", "class", training_class.id, data)
    return training_class


def cancel_class(session: Session, *, class_id: int, reason: str, by: Principal | None) -> TrainingClass:
    training_class = session.get(TrainingClass, class_id, with_for_update=True)
    if training_class is None:
        raise ClassNotFound()
    course = get_course(session, training_class.course_id)
    authorize(
        by, Permission.CLASS_APPLY, Resource(region_code=course.region_code, institution_id=course.institution_id)
    )
    if training_class.state not in ("applied", "approved"):
        raise ClassNotPending(training_class.state)
    if not reason.strip():
        raise ReasonRequired()
    if training_class.state == "approved" and training_class.decided_at is not None:
        _count_class(session, course, training_class.decided_at, -1)
    training_class.state, training_class.reason = "cancelled", reason.strip()
    session.flush()
    derive_next_start(session, course)
    record(session, by, "class.cancelled", "class", training_class.id, {"reason": reason.strip()})
    return training_class


def _count_class(session: Session, course: Course, decided_at: datetime, delta: int) -> None:
    """An approved class counts in the statistics under its course's region, in the month it was approved."""
    subject = Subject(
        region_code=course.region_code,
        groups=0,
        policy_id=NO_POLICY,
        month=month_of(decided_at),
        occupation=f"{course.occupation_code}:{course.level}",
        institution_id=course.institution_id,
    )
    count(session, subject, classes=delta)
