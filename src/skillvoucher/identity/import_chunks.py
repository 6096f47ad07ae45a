"""A person import's chunks: prepared (validated, sealed) on one thread, written in one transaction on another."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import update

from skillvoucher import audit
from skillvoucher.core import Actor
from skillvoucher.db import UnitOfWork
from skillvoucher.identity.bulk import SealedBatch, seal_batch, store_batch
from skillvoucher.identity.import_report import ReportLine
from skillvoucher.identity.models import PersonImport
from skillvoucher.identity.person_files import FileLayout, read_rows
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import mask_id_number
from skillvoucher.identity.validation import normalize_text, validate_row


@dataclass
class Chunk:
    number: int
    id_header: str  # the ID column as headed in the file, for the report
    rows: int = 0
    row_numbers: list[int] = field(default_factory=list)  # of the valid rows, in batch order
    id_numbers: list[str] = field(default_factory=list)  # of the valid rows: to mask in the report, never to store
    errors: list[ReportLine] = field(default_factory=list)
    batch: SealedBatch = field(default_factory=lambda: SealedBatch([]))
    staged: threading.Event = field(default_factory=threading.Event)  # set by the writer when its INSERT starts


@dataclass(frozen=True)
class Outcome:
    added: int
    existing: int
    rejected: int
    errors: list[ReportLine]


def wait_until_staged(chunk: Chunk, written: Future[Outcome]) -> None:
    """Let the writer stage its rows before this thread computes again.

    Under CPython's GIL, a thread returning from the network waits for a computing thread to let go, often for tens
    of milliseconds; the writer's many short round trips before its INSERT would each pay that. Once the server is
    running the INSERT, preparing the next chunk costs the writer nothing.
    """
    while not chunk.staged.wait(0.05) and not written.done():
        pass


def prepared_chunks(
    path: Path,
    layout: FileLayout,
    size: int,
    regions: frozenset[str],
    today: date,
    cipher: PiiCipher,
    *,
    postgres: bool,
) -> Iterator[Chunk]:
    rows = read_rows(path, layout)
    id_header = layout.headers["id_number"]
    for number in itertools.count(1):
        chunk, records = Chunk(number, id_header), []
        for row in itertools.islice(rows, size):  # row by row: a chunk never holds its raw rows
            chunk.rows += 1
            result = validate_row(row.values, known_regions=regions, today=today)
            if isinstance(result, PersonRecord):
                records.append(result)
                chunk.row_numbers.append(row.number)
                chunk.id_numbers.append(result.id_number)
            else:
                masked = _masked_raw_id(row.values.get("id_number", ""))
                chunk.errors.extend(ReportLine(row.number, layout.headers[e.column], e.reason, masked) for e in result)
        if not chunk.rows:
            return
        chunk.batch = seal_batch(records, cipher, postgres=postgres)
        yield chunk


def _masked_raw_id(raw: str) -> str:
    text = "".join(normalize_text(raw).split()).upper()
    return mask_id_number(text) if text else ""


def write_chunk(uow: UnitOfWork, chunk: Chunk, *, import_id: int, actor: Actor) -> Outcome:
    """One transaction: the chunk's new persons, the import's running counts and one audit event."""
    with uow.begin() as session:
        result = store_batch(session, chunk.batch, import_id=import_id, on_staged=chunk.staged.set)
        errors = chunk.errors + _repeat_errors(chunk, result.repeated_positions)
        errors.sort(key=lambda line: line.row)
        existing = result.existing - len(result.repeated_positions)
        rejected = len({line.row for line in errors})
        session.execute(
            update(PersonImport)
            .where(PersonImport.id == import_id)
            .values(
                rows_read=PersonImport.rows_read + chunk.rows,
                rows_added=PersonImport.rows_added + result.added,
                rows_existing=PersonImport.rows_existing + existing,
                rows_rejected=PersonImport.rows_rejected + rejected,
            )
        )
        audit.record(
            session,
            actor=actor,
            action="person_import.chunk_stored",
            subject_type="person_import",
            subject_id=import_id,
            data={
                "chunk": chunk.number,
                "rows": chunk.rows,
                "added": result.added,
                "existing": existing,
                "rejected": rejected,
            },
        )
    return Outcome(result.added, existing, rejected, errors)


def _repeat_errors(chunk: Chunk, positions: tuple[int, ...]) -> list[ReportLine]:
    if not positions:
        return []
    first_row: dict[bytes, int] = {}
    for position, id_hash in enumerate(chunk.batch.hashes):
        first_row.setdefault(id_hash, chunk.row_numbers[position])
    lines = []
    for position in positions:
        row = chunk.row_numbers[position]
        earlier = first_row[chunk.batch.hashes[position]]
        where = (
            f"与第{earlier}行是同一人 / same person as row {earlier}"
            if earlier < row
            else "与本文件中较早的一行是同一人 / same person as an earlier row of this file"
        )
        masked = mask_id_number(chunk.id_numbers[position])
        lines.append(ReportLine(row, chunk.id_header, f"重复 / duplicate: {where}", masked))
    return lines
