"""`skillvoucher stats verify`, `stats rebuild` and `stats compact` against a real database."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from tests.factories.cli import cli_runner
from tests.factories.stats import move_to_next_slot
from tests.factories.vouchers import OFFICER, TODAY, person, terms

from skillvoucher.app import Runtime
from skillvoucher.bootstrap import prepare
from skillvoucher.catalog import Region
from skillvoucher.cli.main import app
from skillvoucher.reporting import headline, verify
from skillvoucher.stats import NATIONAL, StatCount
from skillvoucher.vouchers import define_policy


def test_verify_reports_a_tampered_rollup_and_rebuild_repairs_it(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        for _ in range(3):
            person(session, runtime.cipher)
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER).id
    cli = cli_runner(runtime)
    issued = cli.invoke(app, ["vouchers", "issue", "--policy", str(policy), "--today", TODAY.isoformat()])
    assert issued.exit_code == 0, issued.output

    clean = cli.invoke(app, ["stats", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "3 issued" in clean.output
    assert "rollups match the raw tables" in clean.output

    with runtime.uow.begin() as session:
        session.execute(update(StatCount).where(StatCount.region_code == "350000").values(issued=StatCount.issued + 1))
    broken = cli.invoke(app, ["stats", "verify"])
    assert broken.exit_code == 1
    assert "differences" in broken.output
    assert "350000" in broken.output

    rebuilt = cli.invoke(app, ["stats", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert cli.invoke(app, ["stats", "verify"]).exit_code == 0


def test_the_demo_data_is_counted_and_a_start_rebuilds_missing_rollups(runtime: Runtime) -> None:
    runtime.settings.load_demo_data = True
    prepare(runtime)
    with runtime.uow.read() as session:
        assert headline(session, NATIONAL).issued > 0  # the demo's batch, counted as it was issued
        assert verify(session).differences == []
    with runtime.uow.begin() as session:  # as a database from before the statistics would be
        session.execute(delete(StatCount))
    lines: list[str] = []
    prepare(runtime, echo=lines.append)
    assert any("statistics rollups rebuilt" in line for line in lines)
    with runtime.uow.read() as session:
        assert verify(session).differences == []
        assert headline(session, NATIONAL).issued > 0


def test_the_pilot_cities_are_set_by_code_and_replace_the_previous_set(runtime: Runtime) -> None:
    cli = cli_runner(runtime)
    marked = cli.invoke(app, ["reference", "pilot", "350200", "350100"])
    assert marked.exit_code == 0, marked.output
    assert "pilot cities: 2" in marked.output
    refused = cli.invoke(app, ["reference", "pilot", "350203"])  # a district, not a city
    assert refused.exit_code != 0
    assert "350203" in refused.output
    assert cli.invoke(app, ["reference", "pilot", "440100"]).exit_code == 0
    with runtime.uow.read() as session:
        assert list(session.scalars(select(Region.code).where(Region.pilot))) == ["440100"]


def test_compact_folds_slot_rows_and_the_figures_stay(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        for _ in range(2):
            person(session, runtime.cipher)
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER).id
    cli = cli_runner(runtime)
    assert cli.invoke(app, ["vouchers", "issue", "--policy", str(policy), "--today", TODAY.isoformat()]).exit_code == 0
    with runtime.uow.begin() as session:  # one issued voucher moved to another slot of the national row
        national = session.scalars(
            select(StatCount).where(
                StatCount.region_code == NATIONAL, StatCount.policy_id == policy, StatCount.dimension == "all"
            )
        ).one()
        move_to_next_slot(session, national, {"issued": 1})
        rows = session.scalar(select(func.count()).select_from(StatCount)) or 0
    compacted = cli.invoke(app, ["stats", "compact"])
    assert compacted.exit_code == 0, compacted.output
    assert f"({rows:,} → {rows - 1:,} rows)" in compacted.output
    verified = cli.invoke(app, ["stats", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "2 issued" in verified.output
