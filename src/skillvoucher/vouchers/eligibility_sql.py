"""`Eligibility` compiled to a SQL predicate over the persons table, for batch issuance.

Mirrors `Eligibility.refusal` condition by condition; tests/property/test_eligibility_agrees.py proves they agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, true

from skillvoucher.identity import Person, region_prefix
from skillvoucher.vouchers.rules import AgeRange, Eligibility


def eligibility_predicate(rule: Eligibility, on: date) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if rule.regions:
        conditions.append(or_(*(Person.region_code.startswith(region_prefix(r)) for r in rule.regions)))
    if rule.groups:
        conditions.append(Person.population_groups.op("&")(rule.groups) != 0)
    if rule.employment:
        conditions.append(Person.employment_status.in_(rule.employment))
    conditions.append(
        or_(
            and_(Person.gender == "M", _ages(rule.male_age, on)),
            and_(Person.gender == "F", _ages(rule.female_age, on)),
        )
    )
    return and_(true(), *conditions)


def _ages(ages: AgeRange, on: date) -> ColumnElement[bool]:
    earliest, latest = ages.born_after(on), ages.born_on_or_before(on)
    if earliest is not None and latest is not None and earliest >= latest:
        return false()
    parts: list[ColumnElement[bool]] = []
    if earliest is not None:
        parts.append(Person.birth_date > earliest)
    if latest is not None:
        parts.append(Person.birth_date <= latest)
    return and_(true(), *parts)
