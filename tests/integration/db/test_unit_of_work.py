from __future__ import annotations

import pytest
from sqlalchemy import func, select

from skillvoucher.app import Runtime
from skillvoucher.audit import AuditEvent, record
from skillvoucher.core import Actor


def _events(runtime: Runtime) -> int:
    with runtime.uow.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_block_that_ends_normally_commits(runtime: Runtime) -> None:
    before = _events(runtime)
    with runtime.uow.begin() as session:
        record(session, actor=Actor.system("test"), action="t.done", subject_type="t", subject_id=1)
    assert _events(runtime) == before + 1


def test_exception_rolls_everything_back(runtime: Runtime) -> None:
    before = _events(runtime)

    def fail_half_way() -> None:
        with runtime.uow.begin() as session:
            record(session, actor=Actor.system("test"), action="t.done", subject_type="t", subject_id=1)
            raise RuntimeError("half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        fail_half_way()
    assert _events(runtime) == before


def test_read_never_commits(runtime: Runtime) -> None:
    before = _events(runtime)
    with runtime.uow.read() as session:
        record(session, actor=Actor.system("test"), action="t.done", subject_type="t", subject_id=1)
    assert _events(runtime) == before
