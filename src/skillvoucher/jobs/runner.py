"""Running a job: one chunk per transaction, the chunk's work and the job's cursor committed together.

A job killed at any point resumes from its last committed cursor, so a rerun neither repeats nor skips work.
Two runners of one job are harmless: each chunk first takes the job's row lock and reads the cursor afresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.core import Conflict, DomainError, NotFound, utc_now
from skillvoucher.db import UnitOfWork
from skillvoucher.jobs.models import Job

log = logging.getLogger(__name__)

# One chunk of work on a locked job; returns True when the job has nothing left to do.
Step = Callable[[Session, Job], bool]
RESUMABLE_STATES = ("queued", "running", "failed")
STALE_AFTER = timedelta(minutes=2)  # a running job without a heartbeat this long was left by a dead process


def create_job(
    session: Session,
    *,
    kind: str,
    created_by: str,
    subject_id: int | None = None,
    region_code: str | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    job = Job(
        kind=kind,
        subject_id=subject_id,
        region_code=region_code,
        params=params or {},
        state="queued",
        done=0,
        cursor=0,
        result={},
        created_by=created_by,
        created_at=utc_now(),
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("没有这个任务 / no such job")
    return job


def run_job(
    uow: UnitOfWork,
    job_id: int,
    step: Step,
    *,
    stop_after: int | None = None,
    on_chunk: Callable[[Job], None] | None = None,
) -> Job:
    """Run chunks until the job is done (or `stop_after` chunks, for tests of a run cut short).

    `on_chunk` sees the job after each committed chunk (a progress bar).

    A domain error ends the job as failed with that message; any other error leaves it failed with the error's
    type, and it can be run again from its cursor.
    """
    chunks = 0
    while stop_after is None or chunks < stop_after:
        try:
            with uow.begin() as session:
                job = _lock(session, job_id)
                if job.state == "finished":
                    return job
                if job.state == "queued":
                    job.started_at = utc_now()
                job.state, job.error, job.heartbeat_at = "running", None, utc_now()
                finished = step(session, job)
                if finished:
                    job.state, job.finished_at = "finished", utc_now()
        except DomainError as error:
            _fail(uow, job_id, error.message)
            raise
        except Exception as error:
            _fail(uow, job_id, f"{type(error).__name__}; run the job again to resume")
            raise
        chunks += 1
        if on_chunk is not None:
            on_chunk(job)
        if finished:
            break
    with uow.read() as session:
        job = get_job(session, job_id)
        session.expunge(job)  # keep its loaded state: the read's rollback would expire it
        return job


def _lock(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None:
        raise NotFound("没有这个任务 / no such job")
    return job


def _fail(uow: UnitOfWork, job_id: int, message: str) -> None:
    with uow.begin() as session:
        job = _lock(session, job_id)
        job.state, job.error, job.heartbeat_at = "failed", message[:1000], utc_now()
    log.warning("job failed", extra={"job_id": job_id, "reason": message[:200]})


def resumable_jobs(session: Session, *, kinds: tuple[str, ...]) -> list[tuple[int, str]]:
    """Queued jobs, and running ones whose process went quiet: what a starting runner should pick up."""
    quiet_since = utc_now() - STALE_AFTER
    rows = session.execute(
        select(Job.id, Job.kind)
        .where(Job.kind.in_(kinds), Job.state.in_(("queued", "running")))
        .where((Job.state == "queued") | (Job.heartbeat_at < quiet_since))
        .order_by(Job.id)
    )
    return [(job_id, kind) for job_id, kind in rows]


def ensure_resumable(job: Job) -> None:
    if job.state not in RESUMABLE_STATES:
        raise Conflict("任务已完成 / the job has finished")
