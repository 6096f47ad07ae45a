"""Two officers adding overlapping demand entries at once: exactly one wins, on real connections.

On PostgreSQL the check inside the action cannot see the other's uncommitted row; the exclusion constraint of
migration 0004 makes the second writer wait and then fail. SQLite serializes writers (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from skillvoucher.app import Runtime
from skillvoucher.core import DomainError
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.training import DemandEntry, DemandTerms, set_demand_entry
from skillvoucher.training.errors import DemandPeriodOverlaps

WRITERS = 4


def test_racing_overlapping_entries_leave_one_active(runtime: Runtime) -> None:
    together = threading.Barrier(WRITERS)

    def write(writer: int) -> str:
        officer = Principal(Role.BUREAU_OFFICER, writer + 1, region_code="350200")
        terms = DemandTerms("350200", "4-10-01-05", 4, 100_000 + writer, 120, date(2027, 1, writer + 1))
        together.wait()
        try:
            with runtime.uow.begin() as session:
                set_demand_entry(session, terms=terms, by=officer)
        except DomainError as error:
            return type(error).__name__
        except Exception as error:  # named in the assertion below rather than lost in a thread
            return f"unexpected {type(error).__name__}: {error}"
        return "added"

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = list(pool.map(write, range(WRITERS)))
    assert sorted(outcomes) == sorted(["added"] + [DemandPeriodOverlaps.__name__] * (WRITERS - 1)), outcomes
    with runtime.uow.read() as session:
        active = select(func.count()).select_from(DemandEntry).where(DemandEntry.superseded_at.is_(None))
        assert session.scalar(active) == 1


def test_the_database_itself_refuses_overlapping_active_entries_on_postgresql(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (SQLite serializes writers)")
    terms = DemandTerms("350200", "4-10-01-05", 4, 100_000, 120, date(2027, 1, 1))
    with runtime.uow.begin() as session:
        entry = set_demand_entry(session, terms=terms, by=None)
        copy = {c.key: getattr(entry, c.key) for c in DemandEntry.__table__.columns if c.key != "id"}
    copy["valid_from"] = date(2027, 6, 1)  # overlaps the open-ended first entry; bypasses the action's check
    with pytest.raises(IntegrityError, match="ex_demand_entries_no_overlap"), runtime.uow.begin() as session:
        session.execute(insert(DemandEntry).values(**copy))
    copy["superseded_at"] = entry.created_at  # history rows may overlap
    with runtime.uow.begin() as session:
        session.execute(insert(DemandEntry).values(**copy))
