"""`stats compact` folds slot rows into one per key: every sum stays, also while enrolments are counted."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories.enrolment import confirming_together, pending_enrolments
from tests.factories.stats import counted_world, move_to_next_slot

from skillvoucher.app import Runtime
from skillvoucher.db import UnitOfWork, create_db_engine
from skillvoucher.reporting import headline, verify
from skillvoucher.reporting.verify import stored
from skillvoucher.stats import MEASURES, NATIONAL, StatCount, fold_batches, fold_slots

ATTEMPTS = 40


def _split_into_two_slots(session: Session) -> int:
    """Move half of every counter to another slot, as concurrent writers would have left it; the sums do not change.
    (The world was counted in one transaction: one slot, random on PostgreSQL, holds every key.)"""
    rows = session.execute(select(StatCount)).scalars().all()
    assert len({row.slot for row in rows}) == 1
    for row in rows:
        move_to_next_slot(session, row, {m: getattr(row, m) // 2 for m in MEASURES})
    return len(rows)


def _rows(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(StatCount)) or 0)


def test_folding_keeps_every_sum_and_leaves_one_row_per_key(session: Session) -> None:
    counted_world(session)
    session.flush()
    before = stored(session)
    keys = _split_into_two_slots(session)
    assert _rows(session) == 2 * keys
    slot_rows = int(session.scalar(select(func.count()).where(StatCount.slot > 0)) or 0)
    batches = fold_batches(session)
    assert [NATIONAL] in batches  # the nation is a batch of its own
    assert all(len({code[:2] for code in batch}) == 1 for batch in batches)  # a province at a time
    folded = sum(fold_slots(session, batch) for batch in batches)
    assert folded == slot_rows >= keys  # every row not in slot 0 (the world's own slot, on PostgreSQL, may be one)
    assert _rows(session) == keys
    assert session.scalar(select(func.max(StatCount.slot))) == 0
    assert stored(session) == before
    assert fold_batches(session) == []  # nothing left to fold: a second run does nothing


@pytest.mark.postgres_only  # SQLite writes slot 0 only and serialises writers; the race is PostgreSQL's
def test_folding_while_enrolments_are_counted_loses_nothing(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        attempts = pending_enrolments(session, runtime.cipher, ATTEMPTS)
    engine = create_db_engine(runtime.engine.url.render_as_string(hide_password=False), pool_size=ATTEMPTS + 1)
    uow = UnitOfWork(engine)
    together = threading.Barrier(ATTEMPTS + 1)  # the enrolments and the folding
    confirm = confirming_together(uow, together)
    confirming = threading.Event()
    folds: list[int] = []

    def fold_until_done() -> None:
        together.wait()
        while True:
            done = confirming.is_set()
            with uow.begin() as session:
                folds.append(sum(fold_slots(session, batch) for batch in fold_batches(session)))
            if done:
                return

    try:
        with ThreadPoolExecutor(ATTEMPTS + 1) as pool:
            folding = pool.submit(fold_until_done)
            outcomes = Counter(pool.map(confirm, attempts))
            confirming.set()
            folding.result()
    finally:
        engine.dispose()
    assert outcomes == Counter({"enrolled": ATTEMPTS}), outcomes
    assert len(folds) > 1  # it folded while the enrolments were counted …
    assert sum(folds) > 0  # … and found slot rows to fold
    with runtime.uow.read() as session:
        assert session.scalar(select(func.max(StatCount.slot))) == 0  # the last fold ran after the last enrolment
        assert headline(session, NATIONAL).used == ATTEMPTS
        assert headline(session, "350200").used == ATTEMPTS
        assert verify(session).differences == []
