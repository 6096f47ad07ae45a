"""Demo catalogues through the real actions: a demand catalogue with Xiamen-style standards, accredited institutions
with a registered scope, published courses, and classes applied for and decided."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from skillvoucher.catalog import Region
from skillvoucher.db import UnitOfWork
from skillvoucher.training import (
    ClassPlan,
    CourseDetails,
    DemandEntry,
    DemandTerms,
    Institution,
    InstitutionDetails,
    SessionPlan,
    Teacher,
    apply_for_class,
    change_accreditation,
    decide_class,
    publish_course,
    register_institution,
    set_demand_entry,
    set_registered_scope,
)

# Xiamen's published standards (yuan) by level, 5 = 初级 … 1 = 高级技师; shortage +20 %, key occupations +30 %.
STANDARD_YUAN = {5: 700, 4: 1_000, 3: 1_500, 2: 2_000, 1: 3_000}
OCCUPATIONS: tuple[tuple[str, str, str], ...] = (  # code, name, flag
    ("4-10-01-05", "养老护理员", "shortage"),
    ("4-10-01-03", "保育师", "shortage"),
    ("4-10-01-06", "家政服务员", "none"),
    ("4-03-02-01", "中式烹调师", "none"),
    ("4-03-02-02", "中式面点师", "none"),
    ("4-03-02-07", "茶艺师", "none"),
    ("4-01-06-01", "电子商务师", "key"),
    ("4-01-06-02", "互联网营销师", "key"),
    ("4-12-01-01", "汽车维修工", "none"),
    ("6-31-01-03", "电工", "key"),
    ("6-18-02-04", "焊工", "shortage"),
    ("4-14-02-02", "健康管理师", "none"),
)
UPLIFT = {"none": 0, "shortage": 20, "key": 30}
NAMES = ("鹭岛", "闽南", "海峡", "嘉庚", "育才", "启航", "金桥", "新星", "海西", "八闽", "榕城", "刺桐")
SUFFIXES = ("职业培训学校", "职业技能培训中心", "技工学校", "培训学院")
CLASS_KINDS = ("周末班", "晚班", "脱产班", "提升班")
TEACHERS = ("王老师", "李老师", "陈老师", "林老师", "黄老师")


@dataclass
class CatalogueResult:
    demand_entries: int = 0
    institutions: int = 0
    courses: int = 0
    classes: int = 0


def generate_demo_catalogue(
    uow: UnitOfWork,
    *,
    institutions: int,
    courses_per_institution: int,
    today: date,
    within: str,
    seed: int = 2021,
    on_progress: Callable[[int], None] | None = None,
) -> CatalogueResult:
    """Idempotent for a seed: existing demand entries and institutions (by their credit codes) are kept."""
    result = CatalogueResult()
    with uow.begin() as session:
        result.demand_entries = _demand(session, within, date(today.year, 1, 1))
        counties = list(
            session.scalars(select(Region.code).where(Region.level == "county", Region.province_code == within))
        )
    for number in range(institutions):
        rng = random.Random(seed * 1_000_000 + number)  # one stream per institution: a re-run skips the same ones
        county = rng.choice(counties)
        body = f"52{county}MJ{seed % 100:02d}{number:05d}"
        code = body + uscc.calc_check_digit(body)
        with uow.begin() as session:
            if session.scalar(select(Institution.id).where(Institution.uscc == code)) is None:
                courses, classes = _institution(session, rng, code, county, courses_per_institution, today)
                result.institutions += 1
                result.courses += courses
                result.classes += classes
        if on_progress:
            on_progress(number + 1)
    return result


def _demand(session: Session, region: str, valid_from: date) -> int:
    existing = set(
        session.execute(
            select(DemandEntry.occupation_code, DemandEntry.level).where(
                DemandEntry.region_code == region, DemandEntry.superseded_at.is_(None)
            )
        )
    )
    added = 0
    for code, _, flag in OCCUPATIONS:
        for level, yuan in STANDARD_YUAN.items():
            if (code, level) in existing:
                continue
            terms = DemandTerms(
                region_code=region,
                occupation_code=code,
                level=level,
                subsidy_fen=yuan * 100,
                standard_hours=40 + 40 * (5 - level),
                valid_from=valid_from,
                flag=flag,
                uplift_percent=UPLIFT[flag],
            )
            set_demand_entry(session, terms=terms, by=None)
            added += 1
    return added


def _institution(
    session: Session, rng: random.Random, code: str, county: str, courses: int, today: date
) -> tuple[int, int]:
    name = f"{rng.choice(NAMES)}{rng.choice(SUFFIXES)}"
    institution = register_institution(
        session,
        details=InstitutionDetails(
            name=name,
            uscc=code,
            kind="private_school",
            address=f"{rng.randint(1, 300)}号",
            region_code=county,
            contact_name=rng.choice(TEACHERS),
            contact_phone=f"0592-{rng.randint(5_000_000, 5_999_999)}",
        ),
        by=None,
    )
    change_accreditation(session, institution_id=institution.id, to="accredited", reason="演示数据 / demo", by=None)
    scope = [(occupation[0], level) for occupation in rng.sample(OCCUPATIONS, 3) for level in (5, 4, 3)]
    set_registered_scope(session, institution_id=institution.id, scope=scope, by=None)
    names = {code: name for code, name, _ in OCCUPATIONS}
    classes = 0
    for _ in range(courses):
        occupation, level = rng.choice(scope)
        course = publish_course(
            session,
            details=CourseDetails(
                institution_id=institution.id,
                occupation_code=occupation,
                level=level,
                title=f"{names[occupation]}（{level}级）{rng.choice(CLASS_KINDS)}",
                description="理论与实操结合，结业参加技能等级认定。",
                hours=40 + 40 * (5 - level),
                price_fen=STANDARD_YUAN[level] * 100 + rng.choice((0, 20_000, 50_000)),
                mode=rng.choice(("in_person", "in_person", "mixed", "online")),
                address=institution.address,
                region_code=county,
                capacity=rng.choice((30, 40, 50)),
                open_enrolment=rng.random() < 0.15,
            ),
            today=today,
            by=None,
        )
        if rng.random() < 0.8:
            start = today + timedelta(days=rng.randint(7, 120))
            at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)  # 09:00 in China
            applied = apply_for_class(
                session,
                plan=ClassPlan(
                    course_id=course.id,
                    start_date=start,
                    end_date=start + timedelta(days=28),
                    capacity=course.capacity,
                    assessment_plan="结业后由第三方评价机构组织技能等级认定",
                    sessions=[
                        SessionPlan(
                            at + timedelta(days=7 * w),
                            at + timedelta(days=7 * w, hours=3),
                            f"第{w + 1}讲",
                            institution.address,
                        )
                        for w in range(4)
                    ],
                    teachers=[Teacher(rng.choice(TEACHERS), "高级技师")],
                ),
                today=today,
                by=None,
            )
            if rng.random() < 0.9:
                decide_class(session, class_id=applied.id, approve=True, by=None)
            classes += 1
    return courses, classes
