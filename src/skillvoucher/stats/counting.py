"""Adding to the rollups in the caller's transaction.

Counts are gathered on the session and written once, just before the commit, sorted by key: every transaction takes
the counter rows' locks last and in one order (so two writers never deadlock on them), and holds them only for the
commit. Inside a savepoint they are written at once, so rolling the savepoint back takes them back too. A rolled
back transaction drops what it gathered.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from skillvoucher.db import upsert_adding
from skillvoucher.stats.measures import MEASURES, Key, Subject, keys_of
from skillvoucher.stats.models import StatCount
from skillvoucher.stats.regions import lineage

SLOTS = 8  # rows per key that concurrent PostgreSQL writers spread over
_PENDING = "skillvoucher.stats.pending"
KEY_COLUMNS = ["region_code", "dimension", "month", "policy_id", "member", "slot"]
_ROWS_PER_STATEMENT = 1000

Deltas = dict[str, int]


def count(session: Session, subject: Subject, **deltas: int) -> None:
    """Add `deltas` (measure name → amount, negative to take back) for one event."""
    count_many(session, [(subject, deltas)])


def count_many(session: Session, events: Iterable[tuple[Subject, Mapping[str, int]]]) -> None:
    """Add many events' deltas at once (a batch chunk passes one per region and group set, with the totals)."""
    gathered: dict[Key, Deltas] = {}
    for subject, deltas in events:
        unknown = set(deltas) - set(MEASURES)
        if unknown:
            raise ValueError(f"unknown measures: {sorted(unknown)}")
        for key in keys_of(subject, lineage(session, subject.region_code)):
            totals = gathered.setdefault(key, {})
            for measure, amount in deltas.items():
                totals[measure] = totals.get(measure, 0) + amount
    if session.in_nested_transaction():
        _write(session, gathered)
        return
    pending: dict[Key, Deltas] = session.info.setdefault(_PENDING, {})
    for key, deltas in gathered.items():
        totals = pending.setdefault(key, {})
        for measure, amount in deltas.items():
            totals[measure] = totals.get(measure, 0) + amount


def flush_counts(session: Session) -> None:
    """Write what the session gathered (readers in the same transaction call this to see their own counts)."""
    pending: dict[Key, Deltas] = session.info.pop(_PENDING, {})
    _write(session, pending)


def _write(session: Session, gathered: dict[Key, Deltas]) -> None:
    if not gathered:
        return
    slot = random.randrange(SLOTS) if session.get_bind().dialect.name == "postgresql" else 0  # noqa: S311
    rows: list[dict[str, Any]] = []
    for (region, month, policy_id, dimension, member), deltas in sorted(gathered.items()):
        if not any(deltas.values()):
            continue
        row: dict[str, Any] = {
            "region_code": region,
            "dimension": dimension,
            "month": month,
            "policy_id": policy_id,
            "member": member,
            "slot": slot,
        }
        row.update({measure: deltas.get(measure, 0) for measure in MEASURES})
        rows.append(row)
    # Sorted like the primary key, so concurrent writers lock shared rows in the same order.
    rows.sort(key=lambda r: tuple(r[name] for name in KEY_COLUMNS))
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        upsert_adding(session, StatCount.__table__, KEY_COLUMNS, rows[start : start + _ROWS_PER_STATEMENT])


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    flush_counts(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
