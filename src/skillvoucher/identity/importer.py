"""`persons import`: a person file into the registry, in chunks of one transaction each.

The file is checked as a whole first (encoding, quoting, header) and refused before anything is written if it
cannot be read. Then rows stream through validation and sealing (hash + encrypt) on this thread while the previous
chunk is written on a second one, so Python and the database work at the same time. Each chunk commits with its
counts and one audit event: a crash loses at most the chunk in flight, and running the file again adds only what
is missing (persons are found by the unique ID-number hash, so a re-run adds nothing).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update

from skillvoucher import audit
from skillvoucher.core import Actor, utc_now
from skillvoucher.db import UnitOfWork
from skillvoucher.identity import queries
from skillvoucher.identity.bulk import SealedBatch, seal_batch, store_batch
from skillvoucher.identity.errors import PersonFileRefused
from skillvoucher.identity.import_report import ErrorReport, ReportLine
from skillvoucher.identity.models import PersonImport
from skillvoucher.identity.person_files import FileLayout, file_sha256, inspect_file, read_rows
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import mask_id_number
from skillvoucher.identity.validation import normalize_text, validate_row

DEFAULT_CHUNK_SIZE = 20_000
_ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030", None: "XLSX"}


@dataclass(frozen=True)
class ImportProgress:
    rows: int  # data rows done (stored or rejected)
    total: int | None  # data rows in the file, when known in advance


@dataclass(frozen=True)
class ImportSummary:
    import_id: int
    file_name: str
    file_format: str  # "UTF-8", "UTF-8 (BOM)", "GB18030" or "XLSX"
    rows_read: int
    added: int
    existing: int  # already in the registry before this import
    rejected: int  # rows not imported: invalid, or repeating an earlier row of the file
    problems: int  # lines of the error report (a rejected row may have several)
    error_report: Path | None
    ignored_columns: tuple[str, ...]


@dataclass
class _Chunk:
    number: int
    id_header: str  # the ID column as headed in the file, for the report
    rows: int = 0
    row_numbers: list[int] = field(default_factory=list)  # of the valid rows, in batch order
    id_numbers: list[str] = field(default_factory=list)  # of the valid rows: to mask in the report, never to store
    errors: list[ReportLine] = field(default_factory=list)
    batch: SealedBatch = field(default_factory=lambda: SealedBatch([]))
    staged: threading.Event = field(default_factory=threading.Event)  # set by the writer when its INSERT starts


@dataclass(frozen=True)
class _Outcome:
    added: int
    existing: int
    rejected: int
    errors: list[ReportLine]


@dataclass
class _Totals:
    rows: int = 0
    added: int = 0
    existing: int = 0
    rejected: int = 0
    problems: int = 0

    def collect(self, chunk: _Chunk, written: Future[_Outcome], report: ErrorReport) -> None:
        """Wait for a chunk's transaction, add up its counts and write its error lines (in row order)."""
        outcome = written.result()
        self.rows += chunk.rows
        self.added += outcome.added
        self.existing += outcome.existing
        self.rejected += outcome.rejected
        self.problems += len(outcome.errors)
        report.write(outcome.errors)


def import_person_file(
    path: Path,
    *,
    uow: UnitOfWork,
    cipher: PiiCipher,
    actor: Actor,
    reports_dir: Path,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    today: date | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
) -> ImportSummary:
    """Import a CSV or XLSX person file. Raises PersonFileRefused (and records the refusal) for an unusable file."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    digest = file_sha256(path)
    try:
        layout = inspect_file(path)
    except PersonFileRefused as refusal:
        _record_refusal(uow, path, digest, actor, refusal)
        raise
    import_id, regions = _start(uow, path, digest, layout, actor)
    today = today or china_today()
    totals = _Totals()
    report = ErrorReport(reports_dir / f"person-import-{import_id}-errors.csv")
    with report, ThreadPoolExecutor(max_workers=1, thread_name_prefix="person-import") as writer:
        pending: tuple[_Chunk, Future[_Outcome]] | None = None
        postgres = uow.engine.dialect.name == "postgresql"
        for chunk in _prepared_chunks(path, layout, chunk_size, regions, today, cipher, postgres=postgres):
            submitted = (chunk, writer.submit(_write_chunk, uow, chunk, import_id=import_id, actor=actor))
            if pending is not None:  # collect the previous chunk while this one is being written
                totals.collect(*pending, report)
                if progress:
                    progress(ImportProgress(totals.rows, layout.data_rows))
            _wait_until_staged(*submitted)
            pending = submitted
        if pending is not None:
            totals.collect(*pending, report)
            if progress:
                progress(ImportProgress(totals.rows, layout.data_rows))
    summary = ImportSummary(
        import_id=import_id,
        file_name=path.name,
        file_format=_ENCODING_LABELS[layout.encoding],
        rows_read=totals.rows,
        added=totals.added,
        existing=totals.existing,
        rejected=totals.rejected,
        problems=totals.problems,
        error_report=report.path if report.lines else None,
        ignored_columns=layout.ignored,
    )
    _finish(uow, summary, actor)
    return summary


def _wait_until_staged(chunk: _Chunk, written: Future[_Outcome]) -> None:
    """Let the writer stage its rows before this thread computes again.

    Under CPython's GIL, a thread returning from the network waits for a computing thread to let go, often for tens
    of milliseconds; the writer's many short round trips before its INSERT would each pay that. Once the server is
    running the INSERT, preparing the next chunk costs the writer nothing.
    """
    while not chunk.staged.wait(0.05) and not written.done():
        pass


def china_today() -> date:
    """The date in China (UTC+8, no daylight saving): a person born today there is not born in the future."""
    return (utc_now() + timedelta(hours=8)).date()


def _prepared_chunks(
    path: Path,
    layout: FileLayout,
    size: int,
    regions: frozenset[str],
    today: date,
    cipher: PiiCipher,
    *,
    postgres: bool,
) -> Iterator[_Chunk]:
    rows = read_rows(path, layout)
    id_header = layout.headers["id_number"]
    for number in itertools.count(1):
        chunk, records = _Chunk(number, id_header), []
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


def _write_chunk(uow: UnitOfWork, chunk: _Chunk, *, import_id: int, actor: Actor) -> _Outcome:
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
    return _Outcome(result.added, existing, rejected, errors)


def _repeat_errors(chunk: _Chunk, positions: tuple[int, ...]) -> list[ReportLine]:
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


def _start(uow: UnitOfWork, path: Path, digest: str, layout: FileLayout, actor: Actor) -> tuple[int, frozenset[str]]:
    with uow.begin() as session:
        run = _new_import(path, digest, actor, status="running")
        session.add(run)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="person_import.started",
            subject_type="person_import",
            subject_id=run.id,
            data={"file_name": path.name, "file_sha256": digest, "format": _ENCODING_LABELS[layout.encoding]},
        )
        return run.id, queries.known_region_codes(session)


def _finish(uow: UnitOfWork, summary: ImportSummary, actor: Actor) -> None:
    with uow.begin() as session:
        run = session.get_one(PersonImport, summary.import_id)
        run.status, run.finished_at = "finished", utc_now()
        run.error_report = str(summary.error_report) if summary.error_report else None
        audit.record(
            session,
            actor=actor,
            action="person_import.finished",
            subject_type="person_import",
            subject_id=run.id,
            data={
                "rows": summary.rows_read,
                "added": summary.added,
                "existing": summary.existing,
                "rejected": summary.rejected,
            },
        )


def _record_refusal(uow: UnitOfWork, path: Path, digest: str, actor: Actor, refusal: PersonFileRefused) -> None:
    with uow.begin() as session:
        run = _new_import(path, digest, actor, status="refused")
        run.finished_at = run.started_at
        session.add(run)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="person_import.refused",
            subject_type="person_import",
            subject_id=run.id,
            data={"file_name": path.name, "file_sha256": digest, "reason": refusal.message},
        )


def _new_import(path: Path, digest: str, actor: Actor, *, status: str) -> PersonImport:
    return PersonImport(
        file_name=path.name[:255],
        file_sha256=digest,
        status=status,
        rows_read=0,
        rows_added=0,
        rows_existing=0,
        rows_rejected=0,
        actor=actor.label,
        started_at=utc_now(),
    )
