"""Concurrent writers on real connections still produce one gap-free, verifiable chain."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import delete

from skillvoucher.app import Runtime
from skillvoucher.audit import AuditEvent, AuditHead, record, verify_chain
from skillvoucher.core import Actor

WRITERS = 8
EVENTS_EACH = 15


def test_racing_writers_keep_the_chain_intact(runtime: Runtime) -> None:
    start_together = threading.Barrier(WRITERS)

    def write(writer: int) -> None:
        start_together.wait()
        for number in range(EVENTS_EACH):
            with runtime.uow.begin() as session:
                record(session, actor=Actor.system(f"w{writer}"), action="t.raced", subject_type="t", subject_id=number)

    with runtime.uow.begin() as session:  # start from an empty chain: the first writers also race to create its tip
        session.execute(delete(AuditEvent))
        session.execute(delete(AuditHead))
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, range(WRITERS)))
    with runtime.uow.read() as session:
        checked, broken = verify_chain(session)
    assert broken is None
    assert checked == WRITERS * EVENTS_EACH
