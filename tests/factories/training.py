"""Test data for the training catalogues: institutions and assessment bodies (rows that staff accounts bind to)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from skillvoucher.core import utc_now
from skillvoucher.training.institution_models import AssessmentBody, Institution

_numbers = itertools.count(1)


def valid_uscc(number: int | None = None) -> str:
    """A valid unified social credit code (authority 5 = civil affairs, type 2 = private non-enterprise unit)."""
    from stdnum.cn import uscc

    body = f"52350203MJ{(number if number is not None else next(_numbers)) % 10_000_000:07d}"
    return body + uscc.calc_check_digit(body)


def institution_row(session: Session, *, id: int | None = None, region_code: str = "350203", **fields: object) -> int:
    """An accredited institution inserted directly (for tests about something else); an explicit id is kept."""
    if id is not None and session.get(Institution, id) is not None:
        return id
    now = utc_now()
    values: dict[str, object] = {
        "name": "厦门测试职业培训学校",
        "uscc": valid_uscc(id),
        "kind": "private_school",
        "address": "厦门市思明区测试路1号",
        "region_code": region_code,
        "contact_name": "联系人",
        "contact_phone": "0592-0000000",
        "accreditation": "accredited",
        "accreditation_reason": "测试",
        "accreditation_changed_at": now,
        "created_at": now,
    }
    values.update(fields)
    institution = Institution(id=id, **values)
    session.add(institution)
    session.flush()
    _advance_sequence(session, "institutions")
    return institution.id


def assessment_body_row(session: Session, *, id: int | None = None, region_code: str = "350200") -> int:
    if id is not None and session.get(AssessmentBody, id) is not None:
        return id
    body = AssessmentBody(
        id=id, name="厦门测试评价机构", uscc=valid_uscc(id), region_code=region_code, created_at=utc_now()
    )
    session.add(body)
    session.flush()
    _advance_sequence(session, "assessment_bodies")
    return body.id


def _advance_sequence(session: Session, table: str) -> None:
    """After an explicit id on PostgreSQL, move the id sequence past it so later inserts do not collide."""
    if session.get_bind().dialect.name != "postgresql":
        return
    highest = session.scalar(select(func.max(text("id"))).select_from(text(table)))
    session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {int(highest or 1)})"))


CARE = "4-10-01-05"  # 养老护理员
COOK = "4-03-02-01"  # 中式烹调师


def listed_school(
    session: Session, *, region_code: str = "350203", scope: tuple[tuple[str, int], ...] = ((CARE, 4),)
) -> int:
    """A registered, accredited institution with a registered scope, through the real actions."""
    from skillvoucher.training import (
        InstitutionDetails,
        change_accreditation,
        register_institution,
        set_registered_scope,
    )

    institution = register_institution(
        session,
        details=InstitutionDetails(
            name="厦门鹭岛职业培训学校",
            uscc=valid_uscc(),
            kind="private_school",
            address="厦门市思明区湖滨南路100号",
            region_code=region_code,
            contact_name="陈老师",
            contact_phone="0592-5550100",
        ),
        by=None,
    )
    change_accreditation(session, institution_id=institution.id, to="accredited", reason="材料齐全", by=None)
    set_registered_scope(session, institution_id=institution.id, scope=scope, by=None)
    return institution.id


def demand(session: Session, *, region_code: str = "350200", code: str = CARE, level: int = 4, **terms: object) -> int:
    from skillvoucher.training import DemandTerms, set_demand_entry

    values: dict[str, object] = {"subsidy_fen": 150_000, "standard_hours": 120, "valid_from": date(2026, 1, 1)}
    values.update(terms)
    entry = set_demand_entry(
        session,
        terms=DemandTerms(region_code=region_code, occupation_code=code, level=level, **values),  # type: ignore[arg-type]
        by=None,
    )
    return entry.id


def course_details(institution_id: int, **changes: object) -> object:
    from dataclasses import replace

    from skillvoucher.training import CourseDetails

    details = CourseDetails(
        institution_id=institution_id,
        occupation_code=CARE,
        level=4,
        title="养老护理员（四级）周末班",
        description="理论与实操",
        hours=120,
        price_fen=180_000,
        mode="in_person",
        address="厦门市思明区湖滨南路100号",
        region_code="350203",
        capacity=40,
    )
    return replace(details, **changes)  # type: ignore[arg-type]


def applied_class(session: Session, *, today: date, capacity: int = 30, region_code: str = "350203") -> tuple[int, int]:
    """A class applied for (the state in which its roster may change) of a new listed school: (school, class)."""
    from skillvoucher.identity import Principal, Role
    from skillvoucher.training import ClassPlan, CourseDetails, SessionPlan, Teacher, apply_for_class, publish_course

    school = listed_school(session, region_code=region_code)
    demand(session, region_code=region_code[:4] + "00", valid_from=today - timedelta(days=30))
    staff = Principal(Role.INSTITUTION_STAFF, 1, institution_id=school)
    details = course_details(school, region_code=region_code)
    assert isinstance(details, CourseDetails)
    course = publish_course(session, details=details, today=today, by=staff)
    start = today + timedelta(days=7)
    at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)
    plan = ClassPlan(
        course.id, start, start + timedelta(days=10), capacity, "第三方评价",
        [SessionPlan(at, at + timedelta(hours=3), "理论", "301")], [Teacher("王老师", "技师")],
    )  # fmt: skip
    return school, apply_for_class(session, plan=plan, today=today, by=staff).id
