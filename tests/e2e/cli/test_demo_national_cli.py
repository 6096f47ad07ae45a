"""`skillvoucher demo national` at a small scale: the scaled totals exactly, a run cut short resumed without counting
anything twice, a second run adding nothing, and `stats verify` clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.factories.cli import cli_runner
from typer.testing import CliRunner

from skillvoucher.app import Runtime
from skillvoucher.catalog import Region
from skillvoucher.cli.main import app
from skillvoucher.enrolment import Enrolment, enrol_class_roster
from skillvoucher.identity import Person
from skillvoucher.reporting import headline, pilot_split, verify
from skillvoucher.stats import NATIONAL
from skillvoucher.training import TrainingClass
from skillvoucher.vouchers import Voucher, VoucherPolicy

SCALE = ["demo", "national", "--scale", "0.0001"]  # 19,267,200 and 5,007,200 scaled: 1,927 and 501


def _counts(runtime: Runtime) -> dict[str, int]:
    with runtime.uow.read() as session:
        tables: list[Any] = [Person, VoucherPolicy, Voucher, TrainingClass, Enrolment]
        return {t.__tablename__: int(session.scalar(select(func.count()).select_from(t)) or 0) for t in tables}


@pytest.mark.postgres_only  # the demo runs on PostgreSQL only
def test_the_national_demo_lands_on_the_totals_resumes_and_verifies(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = cli_runner(runtime)
    target = "skillvoucher.demo.national_classes.enrol_class_roster"
    calls = []

    def cut_short(*args: Any, **kwargs: Any) -> Any:  # the process dies between a class's issuance and enrolment
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("killed")
        return enrol_class_roster(*args, **kwargs)

    monkeypatch.setattr(target, cut_short)
    interrupted = cli.invoke(app, [*SCALE, "--workers", "1"])
    assert interrupted.exit_code != 0
    with runtime.uow.read() as session:
        assert 0 < headline(session, NATIONAL).used < 501
    monkeypatch.undo()

    resumed = cli.invoke(app, [*SCALE, "--workers", "2"])
    assert resumed.exit_code == 0, resumed.output
    assert "1,927 issued" in resumed.output
    assert "501 used" in resumed.output
    assert "rollups match the raw tables" in resumed.output
    made = _counts(runtime)
    assert made["vouchers"] == 1_927
    assert made["enrolments"] == 501

    again = cli.invoke(app, [*SCALE, "--workers", "2"])
    assert again.exit_code == 0, again.output
    assert _counts(runtime) == made  # nothing made twice
    with runtime.uow.read() as session:
        national = headline(session, NATIONAL)
        assert (national.issued, national.used, national.claimed) == (1_927, 501, 501)
        assert verify(session).differences == []
        # the demo's stand-in pilot cities carry the flag, so the pilot split shows the 2020 share
        assert session.scalar(select(func.count()).select_from(Region).where(Region.pilot)) == 38
        pilot, rollout = pilot_split(session, NATIONAL)
        assert 0 < pilot.totals.issued < national.issued
        assert pilot.totals.issued + rollout.totals.issued == national.issued


def test_sqlite_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    env = {
        "SKILLVOUCHER_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "SKILLVOUCHER_DATA_DIR": str(tmp_path),
    }
    refused = CliRunner(env=env).invoke(app, SCALE)
    assert refused.exit_code == 2
    assert "PostgreSQL only" in refused.output
