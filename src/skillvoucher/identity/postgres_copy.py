"""The PostgreSQL half of the bulk store: COPY into a temporary staging table, then one set-based INSERT.

Records are sealed straight into COPY text (`seal_as_copy_text`). The importer does that on its preparing thread,
so the thread talking to the database spends its time waiting on the server rather than competing for the GIL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.records import PersonRecord

COLUMNS = (
    "name",
    "id_number_hash",
    "id_number_encrypted",
    "phone_hash",
    "phone_encrypted",
    "region_code",
    "gender",
    "birth_date",
    "population_groups",
    "employment_status",
)
_COLUMN_LIST = ", ".join(COLUMNS)
# One round trip: a chunk's setup should not wait on the server more often than it must.
_PREPARE = (
    "SET LOCAL work_mem = '64MB';"  # sort the chunk in memory, not in temporary files
    " SET LOCAL client_min_messages = warning;"  # no NOTICE for the DROP below
    " DROP TABLE IF EXISTS pg_temp.person_staging;"  # a second call in the same transaction stages afresh
    " CREATE TEMPORARY TABLE person_staging (pos int4, name text, id_number_hash bytea, id_number_encrypted bytea,"
    " phone_hash bytea, phone_encrypted bytea, region_code text, gender text, birth_date date,"
    " population_groups int4, employment_status text) ON COMMIT DROP"
)
_COPY = f"COPY person_staging (pos, {_COLUMN_LIST}) FROM STDIN"
# Hash order makes the unique index see its insertions in key order (far fewer page visits); within one hash the
# first position wins, so a repeat is always the later row. (Column names are constants of this module.)
_INSERT = (
    f"INSERT INTO persons ({_COLUMN_LIST}, import_id, created_at, updated_at)"  # noqa: S608
    f" SELECT {_COLUMN_LIST}, %(import_id)s::bigint, %(now)s::timestamptz, %(now)s::timestamptz"
    " FROM person_staging ORDER BY id_number_hash, pos"
    " ON CONFLICT (id_number_hash) DO NOTHING RETURNING id_number_hash"
)
# COPY text format: backslash escapes; a name cannot hold tabs or newlines once validated, but escape anyway.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def seal_as_copy_text(records: Sequence[PersonRecord], cipher: PiiCipher) -> tuple[list[bytes], bytes]:
    """Hash and encrypt the records straight into COPY text lines (position first); also return the ID hashes."""
    encrypt, lookup = cipher.encrypt, cipher.lookup_hash
    hashes: list[bytes] = []
    lines: list[str] = []
    for position, r in enumerate(records):
        id_hash = lookup("id_number", r.id_number)
        hashes.append(id_hash)
        phone = (
            "\\N\t\\N"
            if r.phone is None
            else f"\\\\x{lookup('phone', r.phone).hex()}\t\\\\x{encrypt('phone', r.phone).hex()}"
        )
        id_encrypted = encrypt("id_number", r.id_number)
        lines.append(
            f"{position}\t{r.name.translate(_ESCAPES)}\t\\\\x{id_hash.hex()}\t\\\\x{id_encrypted.hex()}"
            f"\t{phone}\t{r.region_code}\t{r.gender}\t{r.birth_date.isoformat()}\t{r.population_groups}"
            f"\t{r.employment_status}\n"
        )
    return hashes, "".join(lines).encode()


def insert_postgres(
    session: Session,
    data: bytes,
    *,
    import_id: int | None,
    now: datetime,
    on_staged: Callable[[], object] | None = None,
) -> set[bytes]:
    """Stage the COPY text and insert the persons not yet registered; return the ID hashes inserted.

    `on_staged` is called once the rows are staged, when the server starts the long INSERT.
    """
    connection = session.connection().connection.driver_connection
    with connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(_PREPARE)
        with cursor.copy(_COPY) as copy:
            copy.write(data)
        if on_staged is not None:
            on_staged()
        cursor.execute(_INSERT, {"import_id": import_id, "now": now})
        return {row[0] for row in cursor.fetchall()}
