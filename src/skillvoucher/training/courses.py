"""Courses: publish (inside the registered scope and the region's demand catalogue) and withdraw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.catalog import OCCUPATION_EDITION, Occupation
from skillvoucher.core import Invalid, utc_now
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.training.access import authorize, record
from skillvoucher.training.course_models import COURSE_MODES, Course
from skillvoucher.training.demand import active_demand_entry
from skillvoucher.training.errors import (
    CourseNotFound,
    InstitutionNotListed,
    NotInDemandCatalogue,
    OutsideRegisteredScope,
    UnknownOccupation,
)
from skillvoucher.training.institution_models import Institution, RegisteredScope
from skillvoucher.training.institutions import get_institution
from skillvoucher.training.lifecycle import is_listed
from skillvoucher.training.searchtext import search_text


@dataclass(frozen=True)
class CourseDetails:
    institution_id: int
    occupation_code: str
    level: int
    title: str
    description: str
    hours: int
    price_fen: int
    mode: str
    address: str
    region_code: str
    capacity: int
    open_enrolment: bool = False


def course_problem(details: CourseDetails) -> str | None:
    if not details.title.strip():
        return "请填写课程名称 / the title is required"
    if details.hours <= 0 or details.capacity <= 0:
        return "课时和人数须大于0 / hours and capacity must be positive"
    if details.price_fen < 0:
        return "价格不能为负数 / the price must not be negative"
    if details.mode not in COURSE_MODES:
        return "授课方式须为 in_person、online 或 mixed / mode must be in_person, online or mixed"
    return None


def get_course(session: Session, course_id: int) -> Course:
    course = session.get(Course, course_id)
    if course is None:
        raise CourseNotFound()
    return course


def publish_course(session: Session, *, details: CourseDetails, today: date, by: Principal | None) -> Course:
    """Refused for an unlisted institution, outside its registered scope, or outside the region's demand catalogue."""
    institution = get_institution(session, details.institution_id)
    authorize(
        by, Permission.COURSE_PUBLISH, Resource(region_code=institution.region_code, institution_id=institution.id)
    )
    problem = course_problem(details)
    if problem:
        raise Invalid(problem)
    occupation = session.get(Occupation, (OCCUPATION_EDITION, details.occupation_code))
    if occupation is None:
        raise UnknownOccupation(details.occupation_code)
    check_may_offer(session, institution, details.occupation_code, details.level, details.region_code, today)
    now = utc_now()
    course = Course(
        institution_id=institution.id,
        occupation_edition=OCCUPATION_EDITION,
        occupation_code=details.occupation_code,
        level=details.level,
        title=details.title.strip(),
        description=details.description.strip(),
        hours=details.hours,
        price_fen=details.price_fen,
        mode=details.mode,
        address=details.address.strip(),
        region_code=details.region_code,
        capacity=details.capacity,
        open_enrolment=details.open_enrolment,
        status="published",
        search_text=search_text(details.title, occupation.name, institution.name),
        created_at=now,
        changed_at=now,
    )
    session.add(course)
    session.flush()
    data = {"occupation_code": course.occupation_code, "level": course.level, "price_fen": course.price_fen}
    record(session, by, "course.published", "course", course.id, data)
    return course


def check_may_offer(
    session: Session, institution: Institution, occupation_code: str, level: int, region_code: str, today: date
) -> None:
    if not is_listed(institution.accreditation):
        raise InstitutionNotListed(institution.accreditation)
    scope = session.get(RegisteredScope, (institution.id, OCCUPATION_EDITION, occupation_code, level))
    if scope is None:
        raise OutsideRegisteredScope(occupation_code, level)
    entry = active_demand_entry(
        session, region_code=region_code, occupation_code=occupation_code, level=level, on=today
    )
    if entry is None:
        raise NotInDemandCatalogue(occupation_code, level, region_code)


def withdraw_course(session: Session, *, course_id: int, reason: str, by: Principal | None) -> Course:
    course = get_course(session, course_id)
    institution = get_institution(session, course.institution_id)
    authorize(
        by, Permission.COURSE_PUBLISH, Resource(region_code=institution.region_code, institution_id=institution.id)
    )
    course.status, course.changed_at = "withdrawn", utc_now()
    session.flush()
    record(session, by, "course.withdrawn", "course", course.id, {"reason": reason.strip()})
    return course


def institution_courses(session: Session, institution_id: int) -> list[Course]:
    return list(session.scalars(select(Course).where(Course.institution_id == institution_id).order_by(Course.id)))
