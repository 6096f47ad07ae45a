"""Demo voucher policies for Fujian, issued through the real actions: one batch-issued, one open to claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from skillvoucher.db import UnitOfWork
from skillvoucher.identity import PopulationGroup
from skillvoucher.jobs import run_job
from skillvoucher.vouchers import (
    AgeRange,
    CatalogueValue,
    Eligibility,
    FixedValue,
    PolicyKind,
    PolicyTerms,
    Validity,
    batch_step,
    define_policy,
    start_batch,
)

G = PopulationGroup
MEN, WOMEN = AgeRange(16, 60), AgeRange(16, 55)  # working age


@dataclass(frozen=True)
class DemoVouchers:
    policies: int
    issued: int


def generate_demo_vouchers(uow: UnitOfWork, *, today: date, region_code: str = "350000") -> DemoVouchers:
    batch = PolicyTerms(
        name="福建省就业技能培训券（面值1000元）",
        kind=PolicyKind.FACE_VALUE,
        region_code=region_code,
        funding_source="就业补助资金",
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=335),
        value=FixedValue(100_000),
        validity=Validity(until=today + timedelta(days=365)),
        eligibility=Eligibility(
            groups=int(G.UNEMPLOYED | G.RURAL_MIGRANT | G.GRADUATING_STUDENT | G.LIFTED_FROM_POVERTY),
            male_age=MEN,
            female_age=WOMEN,
        ),
        budget_cap_fen=50_000_000,
        yearly_limit=3,
    )
    claimable = PolicyTerms(
        name="福建省职业技能提升通用券（按需申领）",
        kind=PolicyKind.GENERAL,
        region_code=region_code,
        funding_source="职业技能提升行动专账资金",
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=180),
        value=CatalogueValue(),
        validity=Validity(days_from_claim=180),
        eligibility=Eligibility(male_age=MEN, female_age=WOMEN),
        quantity_cap=1_000,
        yearly_limit=3,
        claimable=True,
    )
    with uow.begin() as session:
        batch_policy = define_policy(session, terms=batch, today=today, by=None)
        define_policy(session, terms=claimable, today=today, by=None)
        job = start_batch(session, policy_id=batch_policy.id, today=today, by=None)
    finished = run_job(uow, job.id, batch_step())
    return DemoVouchers(policies=2, issued=int(finished.result.get("issued", 0)))
