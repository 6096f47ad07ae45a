"""64 concurrent attempts on real connections: one voucher backs one enrolment, and the last seat goes once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from tests.factories.enrolment import AT, BEFORE, ready_class, voucher_holder

from skillvoucher.app import Runtime
from skillvoucher.core import DomainError, utc_now
from skillvoucher.db import UnitOfWork, create_db_engine
from skillvoucher.enrolment import Enrolment, confirm_enrolment, verify_voucher
from skillvoucher.identity import Principal
from skillvoucher.training import TrainingClass
from skillvoucher.vouchers import Voucher

ATTEMPTS = 64
pytestmark = pytest.mark.postgres_only  # SQLite serialises writers; the race is PostgreSQL's to prove


def _race(runtime: Runtime, attempts: list[tuple[int, Principal]]) -> Counter[str]:
    """Every attempt on its own connection, all released at once."""
    engine = create_db_engine(runtime.engine.url.render_as_string(hide_password=False), pool_size=len(attempts))
    uow = UnitOfWork(engine)
    together = threading.Barrier(len(attempts))

    def confirm(attempt: tuple[int, Principal]) -> str:
        enrolment_id, worker = attempt
        together.wait()
        try:
            with uow.begin() as session:
                confirm_enrolment(session, enrolment_id=enrolment_id, today=BEFORE, by=worker)
        except DomainError as error:
            return type(error).__name__
        except Exception as error:  # named in the assertion rather than lost in a thread
            return f"unexpected {type(error).__name__}: {error}"
        return "enrolled"

    try:
        with ThreadPoolExecutor(len(attempts)) as pool:
            return Counter(pool.map(confirm, attempts))
    finally:
        engine.dispose()


def test_one_voucher_backs_one_enrolment(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        setups = [ready_class(session) for _ in range(2)]
        worker, voucher = voucher_holder(session, runtime.cipher, setups[0])
        pending = []
        for i in range(ATTEMPTS):  # the same voucher verified for two classes, again and again
            setup = setups[i % 2]
            session.add(
                Enrolment(
                    class_id=setup.class_id,
                    person_id=voucher.person_id,
                    voucher_id=voucher.id,
                    state="pending",
                    budget_reserved_fen=0,
                    worker_pays=False,
                    verified_by="staff:90",
                    verified_at=utc_now(),
                )
            )
            session.flush()
        pending = list(session.scalars(select(Enrolment.id)))
    outcomes = _race(runtime, [(e, worker) for e in pending])
    assert outcomes == Counter({"enrolled": 1, "VoucherNotUsable": ATTEMPTS - 1}), outcomes
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.state == "enrolled")) == 1
        assert session.scalar(select(Voucher.state)) == "reserved"
        seats = session.scalars(select(TrainingClass.enrolled_count)).all()
        assert sorted(seats) == [0, 1]


def test_the_last_seat_is_taken_once(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        setup = ready_class(session, capacity=1)
        attempts = []
        for _ in range(ATTEMPTS):
            worker, voucher = voucher_holder(session, runtime.cipher, setup)
            offer = verify_voucher(
                session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=setup.staff
            )
            attempts.append((offer.enrolment_id, worker))
    outcomes = _race(runtime, attempts)
    assert outcomes == Counter({"enrolled": 1, "ClassFull": ATTEMPTS - 1}), outcomes
    with runtime.uow.read() as session:
        assert session.scalar(select(TrainingClass.enrolled_count)) == 1
        states = Counter(session.scalars(select(Voucher.state)))
        assert states == Counter({"reserved": 1, "claimed": ATTEMPTS - 1})
