"""`stats verify`: recompute every rollup from the raw tables and report each difference.

The raw tables say what happened: each voucher's issue, take-up, expiry or revocation; each enrolment's
confirmation, completion or forfeit; each certificate not revoked. Tallied by the same keys the counting uses
(`stats.keys_of`), the result must equal the stored counters summed over their slots.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Integer, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from skillvoucher.enrolment import Certificate, Enrolment
from skillvoucher.identity import Person
from skillvoucher.stats import MEASURES, NO_POLICY, StatCount, Subject, flush_counts, keys_of, lineage
from skillvoucher.stats.measures import Key
from skillvoucher.training import Course, TrainingClass
from skillvoucher.vouchers import Voucher, VoucherPolicy

Cells = dict[Key, dict[str, int]]


@dataclass(frozen=True)
class Difference:
    key: Key
    measure: str
    stored: int
    recomputed: int


def _month(session: Session, column: Any) -> ColumnElement[int]:
    """yyyymm of a UTC timestamp in China time (UTC+8, no daylight saving)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.to_char(func.timezone("Asia/Shanghai", column), "YYYYMM"), Integer)
    return cast(func.strftime("%Y%m", column, "+8 hours"), Integer)


def _day_month(session: Session, column: Any) -> ColumnElement[int]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.to_char(column, "YYYYMM"), Integer)
    return cast(func.strftime("%Y%m", column), Integer)


def _voucher_facts(session: Session) -> Iterator[tuple[Subject, str, int]]:
    """Issued, taken up, expired, revoked: per person region and groups, policy and month."""
    region, groups = Person.region_code, Person.population_groups
    counted: list[tuple[str, Any, list[ColumnElement[bool]]]] = [
        ("issued", Voucher.issued_at, []),
        ("claimed", Voucher.claimed_at, [Voucher.claimed_at.is_not(None)]),
        ("expired", Voucher.ended_at, [Voucher.state == "expired"]),
        ("revoked", Voucher.ended_at, [Voucher.state == "revoked"]),
    ]
    for measure, moment, where in counted:
        month = _month(session, moment)
        statement = (
            select(region, groups, Voucher.policy_id, month, func.count())
            .join(Person, Person.id == Voucher.person_id)
            .where(*where)
            .group_by(region, groups, Voucher.policy_id, month)
        )
        for r, g, policy_id, m, n in session.execute(statement):
            yield Subject(r, int(g), int(policy_id), int(m)), measure, int(n)


def _enrolment_facts(session: Session) -> Iterator[tuple[Subject, str, int]]:
    """Used, held, completed, forfeited (by enrolment) and certified (by certificate)."""
    live = ("enrolled", "completed", "not_completed")
    counted: list[tuple[str, Any, Any, list[ColumnElement[bool]]]] = [
        ("used", Enrolment.confirmed_at, func.count(), [Enrolment.state.in_(live)]),
        ("held_fen", Enrolment.confirmed_at, func.sum(Enrolment.value_fen), [Enrolment.state.in_(live[:2])]),
        ("completed", Enrolment.ended_at, func.count(), [Enrolment.state == "completed"]),
        (
            "forfeited",
            Enrolment.ended_at,
            func.count(),
            [Enrolment.state == "cancelled", Enrolment.voucher_outcome == "forfeited"],
        ),
    ]
    for measure, moment, amount, where in counted:
        yield from _enrolment_tally(session, measure, _month(session, moment), amount, where, None)
    certificate_month = _day_month(session, Certificate.issued_on)
    yield from _enrolment_tally(
        session, "certified", certificate_month, func.count(), [Certificate.revoked_at.is_(None)], Certificate
    )


def _enrolment_tally(
    session: Session, measure: str, month: Any, amount: Any, where: list[ColumnElement[bool]], certificate: Any
) -> Iterator[tuple[Subject, str, int]]:
    columns = [
        Person.region_code,
        Person.population_groups,
        Voucher.policy_id,
        month,
        Course.occupation_code,
        Course.level,
        Course.institution_id,
    ]
    statement = select(*columns, amount)
    if certificate is not None:
        statement = statement.select_from(Certificate).join(Enrolment, Enrolment.id == Certificate.enrolment_id)
    else:
        statement = statement.select_from(Enrolment)
    statement = (
        statement.join(Voucher, Voucher.id == Enrolment.voucher_id)
        .join(Person, Person.id == Enrolment.person_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Course, Course.id == TrainingClass.course_id)
        .where(*where)
        .group_by(*columns)
    )
    row: Any
    for row in session.execute(statement):
        r, g, policy_id, m, occupation, level, institution_id, n = row
        subject = Subject(r, int(g), int(policy_id), int(m), f"{occupation}:{level}", int(institution_id))
        yield subject, measure, int(n or 0)


def _trainee_facts(session: Session) -> Iterator[tuple[Subject, str, int]]:
    """Each person with a live enrolment, once, under their earliest live enrolment (by confirmation, then id)."""
    order = func.row_number().over(partition_by=Enrolment.person_id, order_by=(Enrolment.confirmed_at, Enrolment.id))
    ranked = (
        select(Enrolment.id, order.label("rank"))
        .where(Enrolment.state.in_(("enrolled", "completed", "not_completed")))
        .subquery()
    )
    earliest = select(ranked.c.id).where(ranked.c.rank == 1)
    yield from _enrolment_tally(
        session, "trainees", _month(session, Enrolment.confirmed_at), func.count(), [Enrolment.id.in_(earliest)], None
    )


def _class_facts(session: Session) -> Iterator[tuple[Subject, str, int]]:
    """Approved classes (cancelled ones no longer), under the course's region and the month of the decision."""
    month = _month(session, TrainingClass.decided_at)
    columns = [Course.region_code, month, Course.occupation_code, Course.level, Course.institution_id]
    statement = (
        select(*columns, func.count())
        .join(Course, Course.id == TrainingClass.course_id)
        .where(TrainingClass.state == "approved")
        .group_by(*columns)
    )
    row: Any
    for row in session.execute(statement):
        region, m, occupation, level, institution_id, n = row
        subject = Subject(region, 0, NO_POLICY, int(m), f"{occupation}:{level}", int(institution_id))
        yield subject, "classes", int(n)


def recompute(session: Session) -> Cells:
    cells: Cells = {}
    kinds: dict[int, str] = dict(session.execute(select(VoucherPolicy.id, VoucherPolicy.kind)).all())
    facts_of = (_voucher_facts, _enrolment_facts, _trainee_facts, _class_facts)
    for facts in (reader(session) for reader in facts_of):
        for subject, measure, amount in facts:
            kind = kinds.get(subject.policy_id)  # None for NO_POLICY; a voucher's policy always has one
            for key in keys_of(replace(subject, kind=kind), lineage(session, subject.region_code)):
                cell = cells.setdefault(key, {})
                cell[measure] = cell.get(measure, 0) + amount
    return cells


def stored(session: Session) -> Cells:
    return dict(_stored_cells(session))


def _stored_cells(session: Session) -> Iterator[tuple[Key, dict[str, int]]]:
    """The stored counters summed over their slots, streamed (millions of cells on a national database)."""
    flush_counts(session)
    key_columns = [StatCount.region_code, StatCount.month, StatCount.policy_id, StatCount.dimension, StatCount.member]
    sums = [func.sum(getattr(StatCount, m)) for m in MEASURES]
    statement = select(*key_columns, *sums).group_by(*key_columns).execution_options(yield_per=10_000)
    row: Any
    for row in session.execute(statement):
        key: Key = (str(row[0]), int(row[1]), int(row[2]), str(row[3]), str(row[4]))
        yield key, {m: int(v or 0) for m, v in zip(MEASURES, row[5:], strict=True)}


@dataclass(frozen=True)
class Verification:
    keys_checked: int
    differences: list[Difference]


def verify(session: Session) -> Verification:
    """Every rollup cell against the raw tables. Cells that are zero on both sides do not count as different.
    The stored cells are streamed and matched off the recomputed ones, so only one side is held in memory."""
    expected = recompute(session)
    differences: list[Difference] = []
    checked = 0
    for key, cell in _stored_cells(session):
        checked += 1
        differences += _differences(key, cell, expected.pop(key, {}))
    checked += len(expected)
    for key, cell in expected.items():  # recomputed cells nothing was stored for
        differences += _differences(key, {}, cell)
    differences.sort(key=lambda difference: (difference.key, MEASURES.index(difference.measure)))
    return Verification(checked, differences)


def _differences(key: Key, stored_cell: dict[str, int], expected_cell: dict[str, int]) -> list[Difference]:
    return [
        Difference(key, measure, stored_cell.get(measure, 0), expected_cell.get(measure, 0))
        for measure in MEASURES
        if stored_cell.get(measure, 0) != expected_cell.get(measure, 0)
    ]


def rebuild(session: Session) -> int:
    """Replace every rollup with the recomputed one (after restoring a backup, or a fix); returns the cells written."""
    flush_counts(session)
    session.execute(delete(StatCount))
    rows = [
        {
            "region_code": region,
            "month": month,
            "policy_id": policy_id,
            "dimension": dimension,
            "member": member,
            "slot": 0,
            **{m: cell.get(m, 0) for m in MEASURES},
        }
        for (region, month, policy_id, dimension, member), cell in recompute(session).items()
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(StatCount), rows[start : start + 5000])
    return len(rows)


def rollups_missing(session: Session) -> bool:
    """Vouchers exist but no rollup does: a database that held vouchers before the statistics were added."""
    has_vouchers = session.scalar(select(Voucher.id).limit(1)) is not None
    return has_vouchers and session.scalar(select(StatCount.month).limit(1)) is None
