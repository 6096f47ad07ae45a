"""Putting synthetic persons into the registry through the registry's own bulk path."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.audit import record
from skillvoucher.catalog import Region
from skillvoucher.core import Actor
from skillvoucher.db import UnitOfWork
from skillvoucher.demo.persons import RegionWeights, county_weights, generate_persons
from skillvoucher.identity import PersonRecord, PiiCipher, store_records

CHUNK_SIZE = 20_000


@dataclass
class GenerationResult:
    requested: int
    added: int = 0
    existing: int = 0


def region_weights(session: Session, *, within: str | None = None) -> RegionWeights:
    """Counties weighted by their province's population; `within` limits them to one province."""
    query = select(Region.province_code, Region.code).where(Region.level == "county")
    if within is not None:
        query = query.where(Region.province_code == within)
    rows = session.execute(query)
    by_province: dict[str, list[str]] = {}
    for province, code in rows:
        by_province.setdefault(province, []).append(code)
    return county_weights(by_province)


def generate_demo_persons(
    uow: UnitOfWork,
    cipher: PiiCipher,
    *,
    count: int,
    today: date,
    actor: Actor,
    seed: int = 2021,
    within: str | None = None,
    on_progress: Callable[[int], None] = lambda done: None,
) -> GenerationResult:
    """Add `count` synthetic persons, one transaction per chunk (an interrupted run is simply run again)."""
    with uow.read() as session:
        weights = region_weights(session, within=within)
    records = generate_persons(count, regions=weights, today=today, seed=seed)
    return store_demo_persons(uow, cipher, records, actor=actor, seed=seed, on_progress=on_progress)


def store_demo_persons(
    uow: UnitOfWork,
    cipher: PiiCipher,
    records: Iterable[PersonRecord],
    *,
    actor: Actor,
    seed: int,
    on_progress: Callable[[int], None] = lambda done: None,
) -> GenerationResult:
    """Put generated persons into the registry through its bulk path, a chunk per transaction, in their order:
    a later chunk's persons get higher ids."""
    result = GenerationResult(requested=0)
    for chunk in _chunks(records, CHUNK_SIZE):
        with uow.begin() as session:
            stored = store_records(session, chunk, cipher=cipher, import_id=None)
            record(
                session,
                actor=actor,
                action="demo.persons_generated",
                subject_type="demo",
                subject_id=seed,
                data={"added": stored.added, "existing": stored.existing},
            )
        result.requested += len(chunk)
        result.added += stored.added
        result.existing += stored.existing
        on_progress(result.added + result.existing)
    return result


def _chunks(records: Iterable[PersonRecord], size: int) -> Iterator[list[PersonRecord]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk
