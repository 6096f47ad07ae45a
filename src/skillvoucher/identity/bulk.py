"""Storing many persons at once: seal (hash + encrypt) in Python, then one set-based insert per chunk.

The unique constraint on `id_number_hash` decides who is new; nothing checks before inserting. PostgreSQL gets
the rows by binary `COPY` into a temporary staging table and `INSERT … SELECT … ON CONFLICT DO NOTHING
RETURNING`; SQLite by `executemany` under its write lock (BEGIN IMMEDIATE).
"""

from __future__ import annotations

from collections.abc import Sequence
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
from skillvoucher.identity.records import PersonRecord

PERSONS = cast(Table, Person.__table__)  # the Core table, for set-based statements


class SealedPerson(NamedTuple):
    """A person as stored: PII only as keyed hash and ciphertext. Field order is the staging table's."""

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


def store_sealed(
    session: Session, sealed: Sequence[SealedPerson], *, import_id: int | None, now: datetime | None = None
) -> StoreResult:
    """Insert the persons not yet registered, in the caller's transaction; report which positions were not new."""
    if not sealed:
        return StoreResult(0, 0, ())
    now = now or utc_now()
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        inserted = _insert_postgres(session, sealed, import_id, now)
    else:
        inserted = _insert_sqlite(session, sealed, import_id, now)
    return _classify(session, sealed, inserted, import_id)


_STAGING_COLUMNS = ", ".join(SealedPerson._fields)
# Hash order makes the unique index see its insertions in key order (far fewer page visits); within one hash the
# first position wins, so a repeat is always the later row. (Column names are constants of this module.)
_INSERT_FROM_STAGING = (
    f"INSERT INTO persons ({_STAGING_COLUMNS}, import_id, created_at, updated_at)"  # noqa: S608
    f" SELECT {_STAGING_COLUMNS}, %(import_id)s::bigint, %(now)s::timestamptz, %(now)s::timestamptz"
    " FROM person_staging ORDER BY id_number_hash, pos"
    " ON CONFLICT (id_number_hash) DO NOTHING RETURNING id_number_hash"
)
_STAGING_TYPES = ["int4", "text", "bytea", "bytea", "bytea", "bytea", "text", "text", "date", "int4", "text"]


def _insert_postgres(
    session: Session, sealed: Sequence[SealedPerson], import_id: int | None, now: datetime
) -> set[bytes]:
    connection = session.connection().connection.driver_connection
    with connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(
            "CREATE TEMPORARY TABLE person_staging (pos int4, name text, id_number_hash bytea,"
            " id_number_encrypted bytea, phone_hash bytea, phone_encrypted bytea, region_code text, gender text,"
            " birth_date date, population_groups int4, employment_status text) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY person_staging (pos, {_STAGING_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_STAGING_TYPES)
            write_row = copy.write_row
            for position, row in enumerate(sealed):
                write_row((position, *row))
        cursor.execute(_INSERT_FROM_STAGING, {"import_id": import_id, "now": now})
        inserted = {row[0] for row in cursor.fetchall()}
        cursor.execute("DROP TABLE person_staging")  # so a second call in the same transaction can stage again
    return inserted


def _insert_sqlite(
    session: Session, sealed: Sequence[SealedPerson], import_id: int | None, now: datetime
) -> set[bytes]:
    # The transaction holds SQLite's write lock, and rowids only grow: rows above the old maximum are ours.
    before = session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0
    extra = {"import_id": import_id, "created_at": now, "updated_at": now}
    statement = sqlite_insert(PERSONS).on_conflict_do_nothing(index_elements=["id_number_hash"])
    session.execute(statement, [{**row._asdict(), **extra} for row in sealed])
    return queries.hashes_added_after(session, before)


def _classify(
    session: Session, sealed: Sequence[SealedPerson], inserted: set[bytes], import_id: int | None
) -> StoreResult:
    first_position: dict[bytes, int] = {}
    existing: list[int] = []
    repeated: list[int] = []
    conflicts: list[int] = []
    for position, row in enumerate(sealed):
        key = row.id_number_hash
        if key in first_position:
            existing.append(position)
            repeated.append(position)
        else:
            first_position[key] = position
            if key not in inserted:
                conflicts.append(position)
    if conflicts:
        owners = queries.import_ids_by_hash(session, [sealed[p].id_number_hash for p in conflicts])
        for position in conflicts:
            existing.append(position)
            if import_id is not None and owners.get(sealed[position].id_number_hash) == import_id:
                repeated.append(position)
    added = len(sealed) - len(existing)
    return StoreResult(added, len(existing), tuple(sorted(existing)), tuple(sorted(repeated)))
