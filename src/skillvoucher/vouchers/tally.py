"""What voucher actions add to the statistics rollups (see skillvoucher.stats)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, Select, func, null, select, union_all
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
    chosen: Select[Any],
    insert_from: Callable[[Any], Any],
    policy: VoucherPolicy,
    at: datetime,
) -> int:
    """Issue vouchers to the persons `chosen` selects (person_id, region_code, population_groups) and count them as
    issued `at`; returns how many were new. `insert_from(rows)` makes the INSERT … SELECT … ON CONFLICT DO NOTHING
    of vouchers from those rows.

    PostgreSQL does it in one statement, so the tally sees what the INSERT saw: the chosen persons are a CTE (read
    once, eligibility and all), the INSERT reads them, and the tally groups them by region and groups. When the
    INSERT skipped a person the policy had already served, the tally is taken again from the rows it did insert
    (their ids lie between the lowest and highest it returned; nobody else inserts for the policy, which is locked).
    SQLite, whose CTEs cannot insert, returns the new vouchers' persons and looks them up.
    """
    if session.get_bind().dialect.name == "postgresql":
        groups = _insert_and_tally(session, chosen.cte("chosen"), insert_from, policy.id)
    else:
        rows = chosen.subquery("chosen")
        person_ids = list(session.scalars(insert_from(rows).returning(Voucher.person_id)))
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


def _insert_and_tally(
    session: Session, chosen: CTE, insert_from: Callable[[Any], Any], policy_id: int
) -> list[tuple[str, int, int]]:
    inserted = insert_from(chosen).returning(Voucher.id).cte("inserted")
    none = null()
    tally = select(chosen.c.region_code, chosen.c.population_groups, func.count(), none, none).group_by(
        chosen.c.region_code, chosen.c.population_groups
    )
    summary = select(none, none, func.count(), func.min(inserted.c.id), func.max(inserted.c.id))
    groups: list[tuple[str, int, int]] = []
    new = first_id = last_id = 0
    for region, bits, n, lowest, highest in session.execute(union_all(tally, summary)).all():
        if region is None:
            new, first_id, last_id = int(n), lowest, highest
        else:
            groups.append((region, int(bits), int(n)))
    if new == sum(n for _, _, n in groups):
        return groups
    if not new:
        return []
    rows = session.execute(
        select(Person.region_code, Person.population_groups, func.count())
        .select_from(Voucher)
        .join(Person, Person.id == Voucher.person_id)
        .where(Voucher.policy_id == policy_id, Voucher.id.between(first_id, last_id))
        .group_by(Person.region_code, Person.population_groups)
    )
    return [(region, int(bits), int(n)) for region, bits, n in rows]


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
