"""Test data for vouchers: policy terms and registry persons with chosen facts, through the real services."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from skillvoucher.core import Actor
from skillvoucher.identity import Person, PiiCipher, PopulationGroup, Principal, Role, register_person
from skillvoucher.vouchers import Eligibility, FixedValue, PolicyKind, PolicyTerms, Validity
from tests.factories.identity import make_id_number, make_record

TODAY = date(2026, 12, 1)
OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code="350200")  # 厦门市
_sequence = itertools.count(1)


def terms(**changes: object) -> PolicyTerms:
    base = PolicyTerms(
        name="厦门市失业人员培训券",
        kind=PolicyKind.FACE_VALUE,
        region_code="350200",
        funding_source="就业补助资金",
        opens_on=date(2026, 11, 1),
        closes_on=date(2027, 6, 30),
        value=FixedValue(100_000),
        validity=Validity(until=date(2027, 12, 31)),
        eligibility=Eligibility(groups=int(PopulationGroup.UNEMPLOYED)),
        claimable=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def person(
    session: Session,
    cipher: PiiCipher,
    *,
    region_code: str = "350203",
    birth: date = date(1990, 3, 7),
    groups: int = PopulationGroup.UNEMPLOYED,
    employment_status: str = "unemployed",
    id_number: str | None = None,
) -> Person:
    number = id_number or make_id_number(region_code, birth, next(_sequence) % 1000)
    record = make_record(
        name="林小明", id_number=number, region_code=region_code, groups=groups, employment_status=employment_status
    )
    return register_person(session, record=record, cipher=cipher, actor=Actor.system("test"))


def worker(person: Person) -> Principal:
    return Principal(Role.WORKER, person.id)
