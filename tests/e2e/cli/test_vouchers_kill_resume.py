"""A batch killed with SIGKILL half-way and run again: every eligible person gets exactly one voucher."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.factories.cli import cli_env
from tests.factories.identity import make_id_number, make_record
from tests.factories.vouchers import OFFICER, TODAY, terms

from skillvoucher.app import Runtime
from skillvoucher.identity import store_records
from skillvoucher.jobs import Job
from skillvoucher.vouchers import Voucher, define_policy

PERSONS = 3000
pytestmark = pytest.mark.postgres_only  # one subprocess run is enough; PostgreSQL is what production runs


def _issue(runtime: Runtime, policy: int) -> subprocess.Popen[str]:
    command = [str(Path(sys.executable).parent / "skillvoucher"), "vouchers", "issue", "--policy", str(policy)]
    command += ["--chunk", "5", "--today", TODAY.isoformat()]
    return subprocess.Popen(
        command, env={**os.environ, **cli_env(runtime)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _done(runtime: Runtime) -> int:
    with runtime.uow.read() as session:
        return int(session.scalar(select(func.coalesce(func.max(Job.done), 0))) or 0)


def test_a_killed_batch_resumes_without_duplicates_or_gaps(runtime: Runtime) -> None:
    births = [date(1975 + i % 25, 1 + i % 12, 1 + i % 28) for i in range(PERSONS)]
    numbers = [make_id_number("350203", birth, i % 997) for i, birth in enumerate(births)]
    records = [make_record(id_number=number, region_code="350203") for number in numbers]
    with runtime.uow.begin() as session:
        store_records(session, records, cipher=runtime.cipher, import_id=None)
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER).id
    first = _issue(runtime, policy)
    deadline = time.monotonic() + 60
    while _done(runtime) < 100 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the batch finished before it could be killed: raise PERSONS"
    first.send_signal(signal.SIGKILL)
    first.communicate()  # reaps it and closes its pipe
    killed_at = _done(runtime)
    assert 0 < killed_at < PERSONS

    second = _issue(runtime, policy)
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output
    assert "resuming job" in output
    with runtime.uow.read() as session:
        vouchers = session.scalar(select(func.count()).select_from(Voucher))
        persons = session.scalar(select(func.count(func.distinct(Voucher.person_id))))
        job = session.execute(select(Job.state, Job.done)).one()
    assert vouchers == persons == PERSONS
    assert tuple(job) == ("finished", PERSONS)
