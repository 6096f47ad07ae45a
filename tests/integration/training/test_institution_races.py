"""Racing writers on real connections: the unique constraints decide, and the loser gets the named conflict."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from tests.factories.training import valid_uscc

from skillvoucher.app import Runtime
from skillvoucher.core import DomainError
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.training import InstitutionDetails, register_institution, request_bank_account_change

WRITERS = 4


def race(runtime: Runtime, act: Callable[[int], object]) -> list[str]:
    together = threading.Barrier(WRITERS)

    def run(writer: int) -> str:
        together.wait()
        try:
            act(writer)  # one transaction of its own
        except DomainError as error:
            return type(error).__name__
        return "done"

    with ThreadPoolExecutor(WRITERS) as pool:
        return sorted(pool.map(run, range(WRITERS)))


def test_one_institution_per_credit_code(runtime: Runtime) -> None:
    code = valid_uscc()

    def register(writer: int) -> None:
        with runtime.uow.begin() as session:
            details = InstitutionDetails(f"学校{writer}", code, "private_school", "地址", "350203", "联系人", "0592")
            register_institution(session, details=details, by=None)

    assert race(runtime, register) == sorted(["done"] + ["UsccTaken"] * (WRITERS - 1))


def test_one_pending_bank_account_change(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        details = InstitutionDetails("学校", valid_uscc(), "private_school", "地址", "350203", "联系人", "0592")
        school = register_institution(session, details=details, by=None).id

    def request(writer: int) -> None:
        staff = Principal(Role.INSTITUTION_STAFF, writer + 1, institution_id=school)
        with runtime.uow.begin() as session:
            request_bank_account_change(
                session,
                institution_id=school,
                bank_name="银行",
                account_name="学校",
                account_number=f"6222{writer:08d}",
                by=staff,
            )

    assert race(runtime, request) == sorted(["done"] + ["BankChangePending"] * (WRITERS - 1))
