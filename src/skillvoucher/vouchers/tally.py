"""What voucher actions add to the statistics rollups (see skillvoucher.stats)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from skillvoucher.identity import Person
from skillvoucher.stats import Subject, count, count_many, month_of
from skillvoucher.vouchers.models import Voucher, VoucherPolicy


def subject_of(person: Person, policy: VoucherPolicy, at: datetime) -> Subject:
    return Subject(
        region_code=person.region_code,
        groups=person.population_groups,
        policy_id=policy.id,
        month=month_of(at),
        kind=policy.kind,
    )


def count_voucher(session: Session, voucher: Voucher, at: datetime, **deltas: int) -> None:
    """One voucher's event, for its holder's region and groups."""
    person = session.get(Person, voucher.person_id)
    if person is None:  # every voucher is issued to a registered person, who is never deleted
        raise LookupError(f"voucher {voucher.id} has no person {voucher.person_id}")
    policy = session.get(VoucherPolicy, voucher.policy_id)
    if policy is None:  # nothing deletes a policy that has vouchers
        raise LookupError(f"voucher {voucher.id} has no policy {voucher.policy_id}")
    count(session, subject_of(person, policy, at), **deltas)


def insert_counted(
    session: Session,
    statement: Any,
    policy: VoucherPolicy,
    at: datetime,
    persons: Sequence[ColumnElement[bool]] = (),
) -> int:
    """Run an INSERT … SELECT of vouchers issued `at` and count them as issued; returns how many were new.

    PostgreSQL tallies the inserted rows by region and groups in the same statement (a data-modifying CTE); SQLite,
    which cannot, returns the new vouchers' persons and looks them up. `persons` narrows the persons the tally
    joins (a batch chunk's id range), so PostgreSQL reads that range rather than the whole registry.
    """
    if session.get_bind().dialect.name == "postgresql":
        inserted = statement.returning(Voucher.person_id).cte("inserted")
        tally = (
            select(Person.region_code, Person.population_groups, func.count())
            .join_from(inserted, Person, Person.id == inserted.c.person_id)
            .where(*persons)
            .group_by(Person.region_code, Person.population_groups)
        )
        groups = [(region, bits, int(n)) for region, bits, n in session.execute(tally)]
    else:
        person_ids = list(session.scalars(statement.returning(Voucher.person_id)))
        groups = _tally_persons(session, person_ids)
    policy_month = month_of(at)
    count_many(
        session,
        [
            (Subject(region, bits, policy.id, policy_month, kind=policy.kind), {"issued": n})
            for region, bits, n in groups
        ],
    )
    return sum(n for _, _, n in groups)


def _tally_persons(session: Session, person_ids: Sequence[int]) -> list[tuple[str, int, int]]:
    tally: Counter[tuple[str, int]] = Counter()
    for chunk in _slices(person_ids):
        rows = session.execute(select(Person.region_code, Person.population_groups).where(Person.id.in_(chunk)))
        tally.update((region, bits) for region, bits in rows)
    return [(region, bits, n) for (region, bits), n in tally.items()]


def count_vouchers_by_id(session: Session, voucher_ids: Sequence[int], at: datetime, measure: str) -> None:
    """Count a set-based change (expiry, batch revocation) of these vouchers, grouped by policy, region and groups."""
    tally: Counter[tuple[int, str, str, int]] = Counter()
    for chunk in _slices(voucher_ids):
        rows = session.execute(
            select(Voucher.policy_id, VoucherPolicy.kind, Person.region_code, Person.population_groups)
            .join(Person, Person.id == Voucher.person_id)
            .join(VoucherPolicy, VoucherPolicy.id == Voucher.policy_id)
            .where(Voucher.id.in_(chunk))
        )
        tally.update((policy_id, kind, region, bits) for policy_id, kind, region, bits in rows)
    at_month = month_of(at)
    count_many(
        session,
        [
            (Subject(region, bits, policy_id, at_month, kind=kind), {measure: n})
            for (policy_id, kind, region, bits), n in tally.items()
        ],
    )


def _slices(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    """Ids in slices short enough for one `IN (…)` on either database (SQLite caps a statement's parameters)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
