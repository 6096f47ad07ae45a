"""Racing real PostgreSQL connections for the voucher signing keys: one first key, one active key after rotations."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from skillvoucher.app import Runtime
from skillvoucher.vouchers import VoucherSigningKey, active_key, rotate_keys

WRITERS = 6
pytestmark = pytest.mark.postgres_only  # SQLite runs one write transaction at a time: there is no race to lose


def race(act: Callable[[int], str]) -> list[str]:
    together = threading.Barrier(WRITERS)

    def run(writer: int) -> str:
        together.wait()
        return act(writer)  # one transaction of its own

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(run, range(WRITERS)))


def _keys(runtime: Runtime) -> list[VoucherSigningKey]:
    with runtime.uow.read() as session:
        rows = list(session.scalars(select(VoucherSigningKey)))
        session.expunge_all()
        return rows


def test_processes_asking_at_once_share_one_first_key(runtime: Runtime) -> None:
    def first_key(writer: int) -> str:
        with runtime.uow.begin() as session:
            return active_key(session, runtime.cipher).kid

    kids = race(first_key)

    assert len(set(kids)) == 1
    assert [row.kid for row in _keys(runtime)] == kids[:1]


def test_concurrent_rotations_leave_one_active_key(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        first = active_key(session, runtime.cipher).kid
    start = runtime.clock.now()

    def rotate(writer: int) -> str:
        with runtime.uow.begin() as session:
            return rotate_keys(session, runtime.cipher, start + timedelta(seconds=writer))

    new_kids = race(rotate)

    rows = _keys(runtime)
    assert {row.kid for row in rows} == {first, *new_kids}
    active = [row.kid for row in rows if row.retired_at is None]
    assert len(active) == 1
    assert active[0] in new_kids
