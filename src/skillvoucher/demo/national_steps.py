"""The national demo's steps, each through the product's own actions: a province's demand catalogue and a batch
(a policy and its issuance job); the targeted classes are in national_classes.

Each step is replayed at its own date (`core.replaying`), and each is safe to run again: what a step makes carries
a name it is found by, and a batch job resumes from its cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from functools import reduce
from operator import or_

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.core import Conflict, replaying
from skillvoucher.db import UnitOfWork
from skillvoucher.demo.catalogue import OCCUPATIONS, STANDARD_YUAN, UPLIFT
from skillvoucher.demo.national_plan import PILOT_YEAR, YEARLY_LIMIT, Wave
from skillvoucher.identity import PopulationGroup
from skillvoucher.jobs import Job, run_job
from skillvoucher.training import (
    DemandEntry,
    DemandTerms,
    set_demand_entry,
)
from skillvoucher.vouchers import (
    CatalogueValue,
    Eligibility,
    FixedValue,
    PolicyKind,
    PolicyTerms,
    Validity,
    batch_step,
    define_policy,
    get_policy,
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
