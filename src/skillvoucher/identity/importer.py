"""`persons import`: a person file into the registry, in chunks of one transaction each.

The file is checked as a whole first (encoding, quoting, header) and refused before anything is written if it
cannot be read. Then rows stream through validation and sealing (hash + encrypt) on this thread while the previous
chunk is written on a second one, so Python and the database work at the same time. Each chunk commits with its
counts and one audit event: a crash loses at most the chunk in flight, and running the file again adds only what
is missing (persons are found by the unique ID-number hash, so a re-run adds nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from skillvoucher import audit
from skillvoucher.core import Actor, utc_now
from skillvoucher.db import UnitOfWork
from skillvoucher.identity import queries
from skillvoucher.identity.errors import PersonFileRefused
from skillvoucher.identity.import_chunks import Chunk, Outcome, prepared_chunks, wait_until_staged, write_chunk
from skillvoucher.identity.import_report import ErrorReport
from skillvoucher.identity.models import PersonImport
from skillvoucher.identity.person_files import FileLayout, file_sha256, inspect_file
from skillvoucher.identity.pii import PiiCipher

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
class _Totals:
    rows: int = 0
    added: int = 0
    existing: int = 0
    rejected: int = 0
    problems: int = 0

    def collect(self, chunk: Chunk, written: Future[Outcome], report: ErrorReport) -> None:
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
    report = ErrorReport(reports_dir.resolve() / f"person-import-{import_id}-errors.csv")
    with report, ThreadPoolExecutor(max_workers=1, thread_name_prefix="person-import") as writer:
        pending: tuple[Chunk, Future[Outcome]] | None = None
        postgres = uow.engine.dialect.name == "postgresql"
        for chunk in prepared_chunks(path, layout, chunk_size, regions, today, cipher, postgres=postgres):
            submitted = (chunk, writer.submit(write_chunk, uow, chunk, import_id=import_id, actor=actor))
            if pending is not None:  # collect the previous chunk while this one is being written
                totals.collect(*pending, report)
                if progress:
                    progress(ImportProgress(totals.rows, layout.data_rows))
            wait_until_staged(*submitted)
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


def china_today() -> date:
    """The date in China (UTC+8, no daylight saving): a person born today there is not born in the future."""
    return (utc_now() + timedelta(hours=8)).date()


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
