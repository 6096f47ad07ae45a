"""`skillvoucher staff …` and the demo data set, as an operator uses them."""

from __future__ import annotations

import re

from sqlalchemy import select
from tests.factories.cli import cli_runner

from skillvoucher.app import Runtime
from skillvoucher.bootstrap import prepare
from skillvoucher.cli.main import app
from skillvoucher.identity.account_models import StaffAccount
from skillvoucher.identity.credentials import verify_password
from skillvoucher.vouchers import published_jwks


def _account(runtime: Runtime, username: str) -> StaffAccount:
    with runtime.uow.read() as session:
        account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
        assert account is not None
        session.expunge(account)  # keep its loaded values after the read session ends
        return account


def test_create_reset_disable_enable(runtime: Runtime) -> None:
    runner = cli_runner(runtime)
    created = runner.invoke(app, ["staff", "create", "Xm.Officer", "--role", "bureau_officer", "--region", "350200"])
    assert created.exit_code == 0, created.output
    first = re.search(r"one-time password: (\S+)", created.output)
    assert first is not None
    account = _account(runtime, "xm.officer")
    assert verify_password(account.password_hash, first.group(1))
    assert account.must_change_password

    reset = runner.invoke(app, ["staff", "reset", "xm.officer"])
    assert reset.exit_code == 0, reset.output
    one_time = re.search(r"one-time password: (\S+)", reset.output)
    assert one_time is not None
    assert verify_password(_account(runtime, "xm.officer").password_hash, one_time.group(1))

    assert runner.invoke(app, ["staff", "disable", "xm.officer"]).exit_code == 0
    assert _account(runtime, "xm.officer").disabled_at is not None
    assert runner.invoke(app, ["staff", "enable", "xm.officer"]).exit_code == 0
    assert _account(runtime, "xm.officer").disabled_at is None
    listed = runner.invoke(app, ["staff", "list"])
    assert "xm.officer" in listed.output
    assert one_time.group(1) not in listed.output


def test_bad_input_gets_a_clear_error_and_creates_nothing(runtime: Runtime) -> None:
    runner = cli_runner(runtime)
    no_region = runner.invoke(app, ["staff", "create", "someone", "--role", "auditor"])
    assert no_region.exit_code == 2
    assert "needs a region" in no_region.output
    bad_role = runner.invoke(app, ["staff", "create", "someone", "--role", "worker"])
    assert bad_role.exit_code != 0
    unknown = runner.invoke(app, ["staff", "disable", "nobody"])
    assert unknown.exit_code == 3
    with runtime.uow.read() as session:
        assert session.scalar(select(StaffAccount).where(StaffAccount.username == "someone")) is None


def test_demo_data_set_has_every_role_once_and_totp_codes_in_development(runtime: Runtime) -> None:
    runtime.settings.load_demo_data = True
    lines: list[str] = []
    prepare(runtime, echo=lines.append)
    prepare(runtime, echo=lines.append)  # a second start adds nothing
    with runtime.uow.read() as session:
        roles = sorted(session.scalars(select(StaffAccount.role)))
    assert roles == sorted(
        ["admin", "bureau_officer", "bureau_officer", "bureau_officer", "auditor", "institution_staff", "assessor"]
    )
    assert sum("loaded the demo data set" in line for line in lines) == 1
    assert any("xiamen.officer" in line for line in lines)
    code = cli_runner(runtime).invoke(app, ["demo", "totp", "xiamen.officer"])
    assert code.exit_code == 0, code.output
    assert re.fullmatch(r"\d{6}\n", code.output)


def test_production_mode_has_no_demo_accounts_and_no_demo_codes(runtime: Runtime) -> None:
    runtime.settings.mode = "production"
    runtime.settings.load_demo_data = True
    prepare(runtime)
    with runtime.uow.read() as session:
        assert session.scalars(select(StaffAccount)).all() == []
        assert len(published_jwks(session, runtime.clock.now())["keys"]) == 1  # published before any QR is shown
    env = {"SKILLVOUCHER_MODE": "production"}
    refused = cli_runner(runtime).invoke(app, ["demo", "totp", "admin"], env=env)
    assert refused.exit_code == 5
