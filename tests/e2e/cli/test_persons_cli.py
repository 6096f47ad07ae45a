"""`skillvoucher persons import` and `persons list` as an officer runs them: masked numbers only, clear exit codes."""

from __future__ import annotations

import re
from pathlib import Path

from tests.factories.cli import cli_env
from tests.factories.identity import CHINESE_HEADER, make_id_number, valid_row, write_csv, wrong_check_character
from typer.testing import CliRunner

from skillvoucher.app import Runtime
from skillvoucher.cli.main import app


def test_import_then_list_shows_masked_numbers(runtime: Runtime, tmp_path: Path) -> None:
    rows = [valid_row("赵一"), valid_row("钱二", region="440305"), ["坏校验", wrong_check_character(make_id_number())]]
    rows[2] += ["", "110105", "", ""]
    path = write_csv(tmp_path / "persons.csv", rows)
    runner = CliRunner(env=cli_env(runtime))

    imported = runner.invoke(app, ["persons", "import", str(path), "--chunk-size", "2"])
    assert imported.exit_code == 0, imported.output
    assert "2 added" in imported.output
    assert "1 rejected" in imported.output
    report = re.search(r"error report \(one line per problem\): (\S+)", imported.output)
    assert report is not None
    assert Path(report.group(1)).is_file()

    listed = runner.invoke(app, ["persons", "list"])
    assert listed.exit_code == 0, listed.output
    for name, number, phone, *_ in rows[:2]:
        assert name in listed.output
        assert number[:4] + "*" * 10 + number[-4:] in listed.output
        assert number not in listed.output
        assert phone[:3] + "****" + phone[-4:] in listed.output
        assert phone not in listed.output
    assert "南山区" in listed.output  # region names, not just codes

    only_shenzhen = runner.invoke(app, ["persons", "list", "--region", "440300"])
    assert "钱二" in only_shenzhen.output
    assert "赵一" not in only_shenzhen.output

    again = runner.invoke(app, ["persons", "import", str(path)])
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output
    assert "2 already registered" in again.output


def test_a_refused_file_exits_non_zero_with_the_reason(runtime: Runtime, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", [valid_row()[:2]], header=CHINESE_HEADER[:2])
    result = CliRunner(env=cli_env(runtime)).invoke(app, ["persons", "import", str(path)])
    assert result.exit_code == 2
    assert "户籍地区代码" in result.output
    assert "PersonFileRefused" in result.output
