"""Jobs run in the background of the serving process: one worker thread, jobs taken in order.

The thread only saves the request from waiting: each job's progress lives in its row, so a job the process did not
finish (killed, restarted) is picked up again at the next start, from its committed cursor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from skillvoucher.db import UnitOfWork
from skillvoucher.jobs.runner import Step, resumable_jobs, run_job

log = logging.getLogger(__name__)


class BackgroundJobs:
    def __init__(self, uow: UnitOfWork, steps: Mapping[str, Callable[[], Step]]) -> None:
        self._uow = uow
        self._steps = steps
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="skillvoucher-job")

    def submit(self, job_id: int, kind: str) -> Future[None]:
        return self._pool.submit(self._run, job_id, kind)

    def resume_pending(self) -> list[int]:
        """Queue the jobs a previous process left unfinished; returns their ids."""
        with self._uow.read() as session:
            pending = resumable_jobs(session, kinds=tuple(self._steps))
        for job_id, kind in pending:
            self.submit(job_id, kind)
        return [job_id for job_id, _ in pending]

    def _run(self, job_id: int, kind: str) -> None:
        try:
            run_job(self._uow, job_id, self._steps[kind]())
        except Exception:  # the job row carries the failure; the worker thread lives on for the next job
            log.exception("background job stopped", extra={"job_id": job_id})

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
