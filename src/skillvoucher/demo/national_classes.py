"""The national demo's targeted classes, each through the product's own actions: a listed institution with its
courses, the class applied for with its roster, the officer's approval and the class's targeted policy, the policy
issued to the roster, the roster enrolled — in three transactions, each found again by a re-run.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from skillvoucher.core import Conflict, replaying
from skillvoucher.db import UnitOfWork
from skillvoucher.demo.catalogue import NAMES, OCCUPATIONS, STANDARD_YUAN, SUFFIXES, TEACHERS
from skillvoucher.demo.national_plan import LARGEST_CLASS, PlannedClass
from skillvoucher.demo.national_steps import DEMO_FUNDING, LEVELS, WORKING_GROUPS, at
from skillvoucher.enrolment import enrol_class_roster
from skillvoucher.identity import PiiCipher
from skillvoucher.training import (
    ClassPlan,
    Course,
    CourseDetails,
    Institution,
    InstitutionDetails,
    RosterLine,
    SessionPlan,
    Teacher,
    TrainingClass,
    apply_for_class,
    change_accreditation,
    decide_class,
    publish_course,
    register_institution,
    set_class_roster,
    set_registered_scope,
)
from skillvoucher.vouchers import (
    CatalogueValue,
    Eligibility,
    PolicyKind,
    PolicyTerms,
    Validity,
    VoucherPolicy,
    define_policy,
    issue_to_class_roster,
)


@dataclass(frozen=True)
class CityInfo:
    code: str
    name: str
    counties: tuple[str, ...]
    county_names: dict[str, str]


def class_policy_name(city: str, year: int, occupation: str, key: str) -> str:
    return f"{city}{year}年{occupation}定向培训券（{key}）"


_KEY = re.compile(r"（(\d{2}-\d{4}-\d{5})）$")


def _institution(session: Session, city: CityInfo, number: int, on: date, seed: int) -> list[int]:
    """The city's n-th demo institution (found by its credit code, or registered, accredited, with two courses)."""
    rng = random.Random(f"{seed}-{city.code}-{number}")
    county = rng.choice(city.counties)
    body = f"52{county}MN{number:07d}"
    code = body + uscc.calc_check_digit(body)
    found = session.scalar(select(Institution.id).where(Institution.uscc == code))
    if found is not None:
        return list(session.scalars(select(Course.id).where(Course.institution_id == found).order_by(Course.id)))
    county_name = city.county_names[county]
    institution = register_institution(
        session,
        details=InstitutionDetails(
            name=f"{county_name}{rng.choice(NAMES)}{rng.choice(SUFFIXES)}",
            uscc=code,
            kind="private_school",
            address=f"{city.name}{county_name}{rng.randint(1, 300)}号",
            region_code=county,
            contact_name=rng.choice(TEACHERS),
            contact_phone=f"0{rng.randint(10, 99)}-{rng.randint(5_000_000, 5_999_999)}",
        ),
        by=None,
    )
    change_accreditation(session, institution_id=institution.id, to="accredited", reason="演示数据 / demo", by=None)
    scope = [(occupation[0], level) for occupation in rng.sample(OCCUPATIONS, 3) for level in LEVELS]
    set_registered_scope(session, institution_id=institution.id, scope=scope, by=None)
    names = {code: name for code, name, _ in OCCUPATIONS}
    courses = []
    for occupation, level in rng.sample(scope, 2):
        details = CourseDetails(
            institution_id=institution.id,
            occupation_code=occupation,
            level=level,
            title=f"{names[occupation]}（{level}级）线上班",
            description="线上直播授课，结业参加技能等级认定。",
            hours=40 + 40 * (5 - level),
            price_fen=STANDARD_YUAN[level] * 100 + rng.choice((0, 20_000, 50_000)),
            mode="online",
            address=institution.address,
            region_code=county,
            capacity=LARGEST_CLASS,
        )
        courses.append(publish_course(session, details=details, today=on, by=None).id)
    return courses


@dataclass(frozen=True)
class ClassDone:
    """How far a planned class got, read back from its targeted policy (found by the key in its name)."""

    policy_id: int
    class_id: int
    issued: int
    enrolled: int


def classes_done(session: Session, province: str) -> dict[str, ClassDone]:
    """The province's planned classes that were applied for, by key."""
    rows = session.execute(
        select(
            VoucherPolicy.name,
            VoucherPolicy.id,
            VoucherPolicy.issued_count,
            TrainingClass.id,
            TrainingClass.enrolled_count,
        )
        .join(TrainingClass, TrainingClass.id == VoucherPolicy.target_class_id)
        .where(VoucherPolicy.kind == PolicyKind.TARGETED.value, VoucherPolicy.region_code.startswith(province[:2]))
    )
    done = {}
    for name, policy_id, issued, class_id, enrolled in rows:
        if match := _KEY.search(name):
            done[match.group(1)] = ClassDone(policy_id, class_id, issued, enrolled)
    return done


def run_class(
    uow: UnitOfWork,
    cipher: PiiCipher,
    planned: PlannedClass,
    year: int,
    city: CityInfo,
    id_numbers: Callable[[], Sequence[str]],
    seed: int,
    courses: dict[tuple[str, int], list[int]],
    done: ClassDone | None,
) -> None:
    """One targeted class in three transactions: the institution applies with the roster, the officer approves the
    class and defines its targeted policy; the policy is issued to the roster; the roster is enrolled. Each ends
    with its audit event, so parallel workers hold the audit chain's lock only briefly; `done` says which ran.

    `courses`: the demo institutions' courses met so far, by city and number (a cache this adds to)."""
    applied = date(year, planned.month, planned.apply_day)
    issue_day, enrol_day = applied + timedelta(days=3), applied + timedelta(days=5)
    if done is None:
        done = _apply(uow, cipher, planned, year, city, id_numbers(), seed, courses)
    if done.issued == 0:
        with replaying(at(issue_day)), uow.begin() as session:
            issued = issue_to_class_roster(session, policy_id=done.policy_id, today=issue_day, by=None).issued
        done = replace(done, issued=issued)
    if done.enrolled == 0:
        with replaying(at(enrol_day)), uow.begin() as session:
            enrolled = enrol_class_roster(session, class_id=done.class_id, today=enrol_day, by=None).enrolled
        done = replace(done, enrolled=enrolled)
    if not done.issued == done.enrolled == planned.size:
        counts = f"{planned.size} listed, {done.issued} issued, {done.enrolled} enrolled"
        raise Conflict(f"class {planned.key}: {counts}")


def _apply(
    uow: UnitOfWork,
    cipher: PiiCipher,
    planned: PlannedClass,
    year: int,
    city: CityInfo,
    id_numbers: Sequence[str],
    seed: int,
    courses: dict[tuple[str, int], list[int]],
) -> ClassDone:
    applied = date(year, planned.month, planned.apply_day)
    start = applied + timedelta(days=8)
    end = start + timedelta(days=27)
    known = courses.get((city.code, planned.institution))
    with uow.begin() as session:
        with replaying(at(applied)):
            offered = known or _institution(session, city, planned.institution, applied, seed)
            course = session.get_one(Course, offered[planned.course])
            first = datetime.combine(start, time(1, 0), tzinfo=UTC)  # 09:00 in China
            weeks = [first + timedelta(days=7 * week) for week in range(4)]
            plan = ClassPlan(
                course_id=course.id,
                start_date=start,
                end_date=end,
                capacity=planned.capacity,
                assessment_plan="结业后由第三方评价机构组织技能等级认定",
                sessions=[
                    SessionPlan(day, day + timedelta(hours=3), f"第{n}讲", "线上直播")
                    for n, day in enumerate(weeks, start=1)
                ],
                teachers=[Teacher(TEACHERS[planned.institution % len(TEACHERS)], "高级技师")],
            )
            training_class = apply_for_class(session, plan=plan, today=applied, by=None)
            lines = [RosterLine(n, number) for n, number in enumerate(id_numbers, start=1)]
            set_class_roster(session, class_id=training_class.id, lines=lines, cipher=cipher, today=applied, by=None)
        with replaying(at(applied + timedelta(days=2))):
            decide_class(session, class_id=training_class.id, approve=True, by=None)
        issue_day = applied + timedelta(days=3)
        with replaying(at(issue_day)):
            occupation = {code: name for code, name, _ in OCCUPATIONS}[course.occupation_code]
            terms = PolicyTerms(
                name=class_policy_name(city.name, year, occupation, planned.key),
                kind=PolicyKind.TARGETED,
                region_code=city.code,
                funding_source="职业技能提升行动专账资金" + DEMO_FUNDING,
                opens_on=issue_day,
                closes_on=start,
                value=CatalogueValue(),
                validity=Validity(until=end),
                eligibility=Eligibility(groups=WORKING_GROUPS),
                yearly_limit=1,
                # Each worker is on one roster a year, so the rule could not refuse anyone; left off, issuance
                # need not compare the class's occupation with every other policy's (tens of thousands here).
                once_per_occupation_level=False,
                target_class_id=training_class.id,
            )
            policy = define_policy(session, terms=terms, today=issue_day, by=None)
        done = ClassDone(policy.id, training_class.id, 0, 0)
    courses[city.code, planned.institution] = offered
    return done
