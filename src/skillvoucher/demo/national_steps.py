"""The national demo's steps, each through the product's own actions: a province's demand catalogue, a batch
(a policy and its issuance job), and a targeted class (institution, course, class with its roster, the officer's
approval, the class's targeted policy issued to the roster, the roster enrolled).

Each step is replayed at its own date (`core.replaying`), and each is safe to run again: what a step makes carries
a name or a code it is found by, and a class is made in one transaction from application to enrolment.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import reduce
from operator import or_

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from skillvoucher.core import Conflict, replaying
from skillvoucher.db import UnitOfWork
from skillvoucher.demo.catalogue import NAMES, OCCUPATIONS, STANDARD_YUAN, SUFFIXES, TEACHERS, UPLIFT
from skillvoucher.demo.national_plan import LARGEST_CLASS, PILOT_YEAR, YEARLY_LIMIT, PlannedClass, Wave
from skillvoucher.enrolment import enrol_class_roster
from skillvoucher.identity import PiiCipher, PopulationGroup
from skillvoucher.jobs import Job, run_job
from skillvoucher.training import (
    ClassPlan,
    Course,
    CourseDetails,
    DemandEntry,
    DemandTerms,
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
    set_demand_entry,
    set_registered_scope,
)
from skillvoucher.vouchers import (
    CatalogueValue,
    Eligibility,
    FixedValue,
    PolicyKind,
    PolicyTerms,
    Validity,
    VoucherPolicy,
    batch_step,
    define_policy,
    get_policy,
    issue_to_class_roster,
    start_batch,
)

DEMO_FUNDING = "（全国演示数据）"  # every policy the demo defines names its funding source so; nothing else does
WORKING_GROUPS = int(reduce(or_, PopulationGroup))  # every group: retirees (no group) are not served
LEVELS = (5, 4, 3)
KIND_LABELS = {"face_value": "面值券", "general": "通用券", "no_face_value": "抵用券"}
CATALOGUE_FROM = date(2020, 1, 1)


def at(day: date) -> datetime:
    """10:00 in China on that day: when the demo's actions of the day happen."""
    return datetime.combine(day, time(2, 0), tzinfo=UTC)


def ensure_demand(session: Session, province: str) -> int:
    """The province's training-demand catalogue for the demo's occupations (levels 5 to 3); returns how many added."""
    existing = set(
        session.execute(
            select(DemandEntry.occupation_code, DemandEntry.level).where(
                DemandEntry.region_code == province, DemandEntry.superseded_at.is_(None)
            )
        ).all()
    )
    added = 0
    for code, _, flag in OCCUPATIONS:
        for level in LEVELS:
            if (code, level) in existing:
                continue
            terms = DemandTerms(
                region_code=province,
                occupation_code=code,
                level=level,
                subsidy_fen=STANDARD_YUAN[level] * 100,
                standard_hours=40 + 40 * (5 - level),
                valid_from=CATALOGUE_FROM,
                flag=flag,
                uplift_percent=UPLIFT[flag],
            )
            set_demand_entry(session, terms=terms, by=None)
            added += 1
    return added


# --- batches -----------------------------------------------------------------------------------------------------


def wave_name(wave: Wave, province_name: str) -> str:
    label = KIND_LABELS[wave.kind]
    if wave.year == PILOT_YEAR:
        return f"{province_name}{wave.year}年职业培训券试点（第{wave.number}批·{label}）"
    return f"{province_name}{wave.year}年职业培训券（第{wave.number}批·{label}）"


def _wave_terms(wave: Wave, name: str, pilot_cities: Sequence[str]) -> PolicyTerms:
    value = CatalogueValue() if wave.value_fen is None else FixedValue(wave.value_fen)
    pilot = wave.year == PILOT_YEAR
    return PolicyTerms(
        name=name,
        kind=PolicyKind(wave.kind),
        region_code=wave.province,
        funding_source=("就业补助资金" if pilot else "职业技能提升行动专账资金") + DEMO_FUNDING,
        opens_on=wave.day,
        closes_on=date(wave.year, 12, 31),
        value=value,
        validity=Validity(until=date(wave.year, 12, 31) if pilot else date(wave.year + 1, 6, 30)),
        eligibility=Eligibility(regions=tuple(pilot_cities) if pilot else (), groups=WORKING_GROUPS),
        quantity_cap=wave.cap,
        yearly_limit=YEARLY_LIMIT,
    )


def run_wave(
    uow: UnitOfWork,
    wave: Wave,
    name: str,
    policy_id: int | None,
    pilot_cities: Sequence[str],
    on_issued: Callable[[int], None],
) -> int:
    """Define the batch's policy (unless `policy_id` is the one defined before) and run its issuance job to the
    cap; a job cut short resumes. Returns the policy's id."""
    with replaying(at(wave.day)):
        with uow.begin() as session:
            if policy_id is None:
                terms = _wave_terms(wave, name, pilot_cities)
                policy_id = define_policy(session, terms=terms, today=wave.day, by=None).id
            reported = get_policy(session, policy_id).issued_count
            job_id = None
            if reported < wave.cap:
                job_id = start_batch(session, policy_id=policy_id, today=wave.day, by=None).id
        on_issued(reported)  # issued before a kill, or by a finished batch

        def report(job: Job) -> None:
            nonlocal reported
            on_issued(job.done - reported)
            reported = job.done

        if job_id is not None:
            run_job(uow, job_id, batch_step(), on_chunk=report)
    with uow.read() as session:
        issued = get_policy(session, policy_id).issued_count
    if issued != wave.cap:
        raise Conflict(f"{name}: {issued} issued of {wave.cap}: the registry has too few eligible persons")
    return policy_id


# --- targeted classes --------------------------------------------------------------------------------------------


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
