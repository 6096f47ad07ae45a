"""Folding the slot rows of each key into one: the sums stay exact, the rows a dashboard reads shrink up to 8-fold.

Writers spread over `SLOTS` rows per key so that they do not queue on one row (counting.py); that is only needed
while a key is being written. `fold_slots` moves every slot's counts of a set of regions into slot 0, in one
transaction: the slot rows are locked in primary-key order (the order every writer locks counter rows in, so the
two never deadlock), deleted with `RETURNING`, and exactly what was deleted is added to slot 0. A writer that adds to
a slot meanwhile waits for the fold and then writes a fresh row. `skillvoucher stats compact` runs it over every
region, a province at a time; run it nightly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from skillvoucher.db import UnitOfWork, upsert_adding
from skillvoucher.stats.counting import KEY_COLUMNS
from skillvoucher.stats.measures import MEASURES
from skillvoucher.stats.models import StatCount

_ROWS_PER_STATEMENT = 1000


def fold_slots(session: Session, region_codes: Sequence[str]) -> int:
    """Fold these regions' slot rows into slot 0; returns how many rows were folded away."""
    codes = list(region_codes)
    slot_rows = [StatCount.region_code.in_(codes), StatCount.slot > 0]
    key = [getattr(StatCount, name) for name in KEY_COLUMNS]
    if session.get_bind().dialect.name == "postgresql":  # SQLite writes slot 0 only and has no row locks
        session.execute(select(StatCount.slot).where(*slot_rows).order_by(*key).with_for_update())
    measures = [getattr(StatCount, name) for name in MEASURES]
    moved = session.execute(delete(StatCount).where(*slot_rows).returning(*key, *measures)).all()
    folded: dict[tuple[Any, ...], list[int]] = {}
    width = len(KEY_COLUMNS) - 1  # the key without its slot
    for row in moved:
        sums = folded.setdefault(tuple(row[:width]), [0] * len(MEASURES))
        for index, amount in enumerate(row[len(KEY_COLUMNS) :]):
            sums[index] += amount
    rows = [
        {**dict(zip(KEY_COLUMNS[:width], folded_key, strict=True)), "slot": 0, **dict(zip(MEASURES, sums, strict=True))}
        for folded_key, sums in sorted(folded.items())
    ]
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        upsert_adding(session, StatCount.__table__, KEY_COLUMNS, rows[start : start + _ROWS_PER_STATEMENT])
    return len(moved)


def fold_batches(session: Session) -> list[list[str]]:
    """The regions that have slot rows, a province (with its cities and counties) at a time; the nation alone."""
    codes = session.scalars(select(StatCount.region_code).where(StatCount.slot > 0).distinct()).all()
    batches: dict[str, list[str]] = {}
    for code in sorted(codes):
        batches.setdefault(code[:2], []).append(code)
    return list(batches.values())


def compact(uow: UnitOfWork, on_batch: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Fold every region's slot rows, a province per transaction, then let PostgreSQL reuse the deleted rows' space
    and re-plan (`VACUUM (ANALYZE)`); returns how many rows were folded away. Run again, it folds what came since."""
    with uow.read() as session:
        batches = fold_batches(session)
    folded = 0
    for done, regions in enumerate(batches, start=1):
        with uow.begin() as session:
            folded += fold_slots(session, regions)
        on_batch(done, len(batches))
    if uow.engine.dialect.name == "postgresql":
        with uow.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE) stat_counts"))
    return folded
