"""A region's ancestors (city, province), read once from the reference data and kept: divisions rarely change."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.catalog import Region

_lock = threading.Lock()
_parents: dict[str, str | None] = {}


def lineage(session: Session, region_code: str) -> list[str]:
    """The region and each ancestor up to its province, nearest first."""
    if region_code not in _parents:
        _load(session)
    chain: list[str] = []
    code: str | None = region_code
    while code is not None and code not in chain:
        chain.append(code)
        code = _parents.get(code)
    return chain


def _load(session: Session) -> None:
    rows = session.execute(select(Region.code, Region.parent_code))
    with _lock:
        _parents.update(dict(rows.all()))
