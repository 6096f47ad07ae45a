"""Concurrent counted actions on real PostgreSQL connections: no lost update, no deadlock, the rollups exact."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from tests.factories.enrolment import confirming_together, pending_enrolments

from skillvoucher.app import Runtime
from skillvoucher.db import UnitOfWork, create_db_engine
from skillvoucher.reporting import headline, verify
from skillvoucher.stats import NATIONAL, StatCount

ATTEMPTS = 40  # a class holds 40 at most
pytestmark = pytest.mark.postgres_only  # SQLite serialises writers; the race is PostgreSQL's to prove


def test_concurrent_enrolments_all_count_exactly(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        attempts = pending_enrolments(session, runtime.cipher, ATTEMPTS)
    engine = create_db_engine(runtime.engine.url.render_as_string(hide_password=False), pool_size=ATTEMPTS)
    confirm = confirming_together(UnitOfWork(engine), threading.Barrier(ATTEMPTS))
    try:
        with ThreadPoolExecutor(ATTEMPTS) as pool:
            outcomes = Counter(pool.map(confirm, attempts))
    finally:
        engine.dispose()
    assert outcomes == Counter({"enrolled": ATTEMPTS}), outcomes
    with runtime.uow.read() as session:
        assert headline(session, NATIONAL).used == ATTEMPTS
        assert headline(session, "350200").used == ATTEMPTS
        slots = session.scalar(
            select(func.count(func.distinct(StatCount.slot))).where(
                StatCount.region_code == NATIONAL, StatCount.dimension == "all", StatCount.used != 0
            )
        )
        assert slots is not None
        assert slots > 1
        assert verify(session).differences == []
