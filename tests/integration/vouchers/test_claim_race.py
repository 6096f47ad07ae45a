"""Concurrent claims on real connections: the quantity cap and one-voucher-per-person hold under contention."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from tests.factories.vouchers import OFFICER, TODAY, person, terms

from skillvoucher.app import Runtime
from skillvoucher.core import DomainError
from skillvoucher.identity import Principal, Role
from skillvoucher.vouchers import CapReached, Voucher, VoucherPolicy, claim_from_policy, define_policy

CLAIMERS = 16
CAP = 5


def _claim_all(runtime: Runtime, policy_id: int, person_ids: list[int]) -> list[str]:
    together = threading.Barrier(len(person_ids))

    def claim(person_id: int) -> str:
        together.wait()
        try:
            with runtime.uow.begin() as session:
                by = Principal(Role.WORKER, person_id)
                claim_from_policy(session, policy_id=policy_id, person_id=person_id, today=TODAY, by=by)
        except DomainError as error:
            return type(error).__name__
        except Exception as error:  # named in the assertion rather than lost in a thread
            return f"unexpected {type(error).__name__}: {error}"
        return "claimed"

    with ThreadPoolExecutor(len(person_ids)) as pool:
        return list(pool.map(claim, person_ids))


def test_racing_claimers_never_exceed_the_cap(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        people = [person(session, runtime.cipher).id for _ in range(CLAIMERS)]
        policy = define_policy(session, terms=terms(quantity_cap=CAP), today=TODAY, by=OFFICER)
    outcomes = _claim_all(runtime, policy.id, people)
    assert sorted(outcomes) == sorted(["claimed"] * CAP + [CapReached.__name__] * (CLAIMERS - CAP)), outcomes
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Voucher)) == CAP
        assert session.scalar(select(VoucherPolicy.issued_count)) == CAP


def test_one_person_claiming_many_times_at_once_gets_one(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        someone = person(session, runtime.cipher).id
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
    outcomes = _claim_all(runtime, policy.id, [someone] * 8)
    assert sorted(outcomes) == sorted(["claimed"] + ["AlreadyServed"] * 7), outcomes
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Voucher)) == 1
