"""Storing many persons at once: seal (hash + encrypt) in Python, then one set-based insert per chunk.

The unique constraint on `id_number_hash` decides who is new; nothing checks before inserting. PostgreSQL gets
the rows by `COPY` into a temporary staging table and `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`
(postgres_copy.py); SQLite by `executemany` under its write lock (BEGIN IMMEDIATE).

Sealing and storing are separate steps so the importer can seal the next chunk while the database stores this one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, cast

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from skillvoucher.core import utc_now
from skillvoucher.identity import queries
from skillvoucher.identity.models import Person
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.postgres_copy import COLUMNS, insert_postgres, seal_as_copy_text
from skillvoucher.identity.records import PersonRecord

PERSONS = cast(Table, Person.__table__)  # the Core table, for set-based statements


class SealedPerson(NamedTuple):
    """A person as stored: PII only as keyed hash and ciphertext. Field order is the staging table's (COLUMNS)."""

    name: str
    id_number_hash: bytes
    id_number_encrypted: bytes
    phone_hash: bytes | None
    phone_encrypted: bytes | None
    region_code: str
    gender: str
    birth_date: date
    population_groups: int
    employment_status: str


assert SealedPerson._fields == COLUMNS


@dataclass(frozen=True)
class SealedBatch:
    """Persons ready to store, in input order: their ID-number hashes, and the rows in the database's form.

    For PostgreSQL the rows are COPY text (one bytes object, not a million small ones, so holding a chunk costs
    the garbage collector nothing); for SQLite a list of SealedPerson.
    """

    hashes: list[bytes]
    copy_data: bytes | None = None
    rows: list[SealedPerson] | None = None


@dataclass(frozen=True)
class StoreResult:
    added: int
    existing: int  # input positions not added because the person was already registered
    existing_positions: tuple[int, ...]  # those positions (indexes into the records given)
    # The subset of existing_positions whose person this same import added: earlier in the same call, or in an
    # earlier call with the same import_id (a person listed twice in one file).
    repeated_positions: tuple[int, ...] = ()


def seal(records: Sequence[PersonRecord], cipher: PiiCipher) -> list[SealedPerson]:
    encrypt, lookup = cipher.encrypt, cipher.lookup_hash
    return [
        SealedPerson(
            r.name,
            lookup("id_number", r.id_number),
            encrypt("id_number", r.id_number),
            None if r.phone is None else lookup("phone", r.phone),
            None if r.phone is None else encrypt("phone", r.phone),
            r.region_code,
            r.gender,
            r.birth_date,
            r.population_groups,
            r.employment_status,
        )
        for r in records
    ]


def seal_batch(records: Sequence[PersonRecord], cipher: PiiCipher, *, postgres: bool) -> SealedBatch:
    if postgres:
        hashes, data = seal_as_copy_text(records, cipher)
        return SealedBatch(hashes, copy_data=data)
    rows = seal(records, cipher)
    return SealedBatch([row.id_number_hash for row in rows], rows=rows)


def store_batch(
    session: Session,
    batch: SealedBatch,
    *,
    import_id: int | None,
    now: datetime | None = None,
    on_staged: Callable[[], object] | None = None,
) -> StoreResult:
    """Insert the persons not yet registered, in the caller's transaction; report which positions were not new.

    `on_staged` (optional) is called when the rows have reached the database and the long insert begins.
    """
    if not batch.hashes:
        return StoreResult(0, 0, ())
    now = now or utc_now()
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        if batch.copy_data is None:
            raise ValueError("this batch was sealed for SQLite, not PostgreSQL")
        inserted = insert_postgres(session, batch.copy_data, import_id=import_id, now=now, on_staged=on_staged)
    else:
        if batch.rows is None:
            raise ValueError("this batch was sealed for PostgreSQL, not SQLite")
        if on_staged is not None:
            on_staged()
        inserted = _insert_sqlite(session, batch.rows, import_id, now)
    return _classify(session, batch.hashes, inserted, import_id)


def _insert_sqlite(session: Session, rows: Sequence[SealedPerson], import_id: int | None, now: datetime) -> set[bytes]:
    # The transaction holds SQLite's write lock, and rowids only grow: rows above the old maximum are ours.
    before = session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0
    extra = {"import_id": import_id, "created_at": now, "updated_at": now}
    statement = sqlite_insert(PERSONS).on_conflict_do_nothing(index_elements=["id_number_hash"])
    session.execute(statement, [{**row._asdict(), **extra} for row in rows])
    return queries.hashes_added_after(session, before)


def _classify(session: Session, hashes: list[bytes], inserted: set[bytes], import_id: int | None) -> StoreResult:
    first_position: dict[bytes, int] = {}
    existing: list[int] = []
    repeated: list[int] = []
    conflicts: list[int] = []
    for position, key in enumerate(hashes):
        if key in first_position:
            existing.append(position)
            repeated.append(position)
        else:
            first_position[key] = position
            if key not in inserted:
                conflicts.append(position)
    if conflicts:
        owners = queries.import_ids_by_hash(session, [hashes[p] for p in conflicts])
        for position in conflicts:
            existing.append(position)
            if import_id is not None and owners.get(hashes[position]) == import_id:
                repeated.append(position)
    added = len(hashes) - len(existing)
    return StoreResult(added, len(existing), tuple(sorted(existing)), tuple(sorted(repeated)))
