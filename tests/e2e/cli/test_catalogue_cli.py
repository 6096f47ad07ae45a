from __future__ import annotations

from pathlib import Path

from tests.factories.cli import cli_env
from typer.testing import CliRunner

from skillvoucher.app import Runtime
from skillvoucher.cli.main import app


def test_import_demand_reports_bad_rows_and_keeps_good_ones(runtime: Runtime, tmp_path: Path) -> None:
    file = tmp_path / "xiamen.csv"
    file.write_text(
        "region_code,occupation_code,level,subsidy_yuan,standard_hours,valid_from\n"
        "350200,4-10-01-05,5,700,80,2027-01-01\n"
        "350200,4-10-01-05,4,-1,80,2027-01-01\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["catalogue", "import-demand", str(file)], env=cli_env(runtime))
    assert result.exit_code == 0, result.output
    assert "1 entries added, 1 rows refused" in result.output
    report = (tmp_path / "xiamen.errors.csv").read_text(encoding="utf-8-sig")
    assert "3," in report
    assert "negative" in report
    refreshed = CliRunner().invoke(app, ["catalogue", "refresh"], env=cli_env(runtime))
    assert refreshed.exit_code == 0, refreshed.output
    assert "0 courses re-derived" in refreshed.output
