"""The one eligibility rule, two forms: Python decides a claim, SQL selects a batch. They must always agree."""

from __future__ import annotations

import itertools
import secrets
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.core import utc_now
from skillvoucher.identity import EmploymentStatus, Person, PopulationGroup
from skillvoucher.vouchers import AgeRange, Eligibility, PersonFacts
from skillvoucher.vouchers.eligibility_sql import eligibility_predicate
from skillvoucher.vouchers.rules import years_before

REGIONS = ("350203", "350206", "350102", "110105", "350200", "350000")  # counties, a city and a province
_ids = itertools.count(1)

ages = st.builds(AgeRange, st.none() | st.integers(0, 80), st.none() | st.integers(0, 80))
rules = st.builds(
    Eligibility,
    # Often empty, so the age conditions get examples that reach them.
    regions=st.just(()) | st.lists(st.sampled_from(REGIONS), max_size=2, unique=True).map(tuple),
    groups=st.just(0) | st.integers(0, sum(PopulationGroup)),
    employment=st.just(())
    | st.lists(st.sampled_from([s.value for s in EmploymentStatus]), max_size=3, unique=True).map(tuple),
    male_age=ages,
    female_age=ages,
)
# Birthdays around the edges that matter: leap days, month ends, exact ages.
birth_dates = st.dates(date(1930, 1, 1), date(2020, 12, 31)) | st.sampled_from(
    [date(2000, 2, 29), date(1996, 2, 29), date(2008, 12, 1), date(2008, 12, 2), date(1966, 11, 30)]
)
days = st.sampled_from([date(2026, 12, 1), date(2028, 2, 29), date(2027, 2, 28), date(2027, 3, 1)])


def facts(on: date, rule: Eligibility) -> st.SearchStrategy[PersonFacts]:
    """Persons whose birthdays often fall exactly on one of the rule's age boundaries (or a day either side)."""
    edges = [
        years
        for ages in (rule.male_age, rule.female_age)
        for years in (ages.min_age, None if ages.max_age is None else ages.max_age + 1)
        if years is not None
    ]
    years = st.sampled_from(edges) if edges else st.integers(0, 81)
    boundary = st.builds(lambda y, shift: years_before(on, y) + timedelta(days=shift), years, st.integers(-1, 1))
    return st.builds(
        PersonFacts,
        region_code=st.sampled_from(["350203", "350206", "350102", "110105"]),
        gender=st.sampled_from(["M", "F"]),
        birth_date=birth_dates | boundary,
        population_groups=st.integers(0, sum(PopulationGroup)),
        employment_status=st.sampled_from([s.value for s in EmploymentStatus]),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Eligibility, list[PersonFacts], date]:
    on, rule = draw(days), draw(rules)
    return rule, draw(st.lists(facts(on, rule), min_size=1, max_size=30)), on


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_python_and_sql_agree(session: Session, case: tuple[Eligibility, list[PersonFacts], date]) -> None:
    rule, people, on = case
    savepoint = session.begin_nested()
    try:
        rows = {_insert(session, f): f for f in people}
        chosen = set(session.scalars(select(Person.id).where(Person.id.in_(rows), eligibility_predicate(rule, on))))
        expected = {pid for pid, f in rows.items() if rule.admits(f, on)}
        assert chosen == expected
    finally:
        savepoint.rollback()


def _insert(session: Session, f: PersonFacts) -> int:
    now = utc_now()
    person = Person(
        name="测试",
        id_number_hash=secrets.token_bytes(32),
        id_number_encrypted=b"x",
        region_code=f.region_code,
        gender=f.gender,
        birth_date=f.birth_date,
        population_groups=f.population_groups,
        employment_status=f.employment_status,
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    session.flush()
    return person.id
