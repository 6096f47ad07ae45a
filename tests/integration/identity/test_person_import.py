"""Importing person files: good rows in, bad rows reported by row number, bad files refused, re-runs add nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.factories.identity import (
    CHINESE_HEADER,
    ENGLISH_HEADER,
    make_id_number,
    make_numeric_id_number,
    valid_row,
    write_csv,
    write_xlsx,
    wrong_check_character,
)

from skillvoucher.app import Runtime
from skillvoucher.audit import AuditEvent, verify_chain
from skillvoucher.core import Actor
from skillvoucher.identity import (
    ImportProgress,
    ImportSummary,
    Person,
    PersonFileRefused,
    PersonImport,
    check_character,
    find_person_by_id_number,
    import_person_file,
    read_report,
)

ACTOR = Actor.operator("tests")
TODAY = date(2025, 6, 1)
ROW, COLUMN, REASON, MASKED = "行号/row", "列/column", "原因/reason", "身份证号（遮蔽）/id_number (masked)"


def run_import(runtime: Runtime, path: Path, *, chunk_size: int = 1000, **options: object) -> ImportSummary:
    return import_person_file(
        path,
        uow=runtime.uow,
        cipher=runtime.cipher,
        actor=ACTOR,
        reports_dir=runtime.settings.data_dir / "reports",
        chunk_size=chunk_size,
        today=TODAY,
        **options,  # type: ignore[arg-type]
    )


def person_count(runtime: Runtime) -> int:
    with runtime.uow.read() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def impossible_date_number() -> str:
    body = "11010519900230123"
    return body + check_character(body)


@pytest.fixture
def mixed_file(tmp_path: Path) -> tuple[Path, list[list[str]]]:
    """Rows 2, 4, 9 good; each other row has one kind of problem; row 6 is blank."""
    good = [valid_row("赵一"), valid_row("钱二"), valid_row("孙三")]
    rows = [
        good[0],  # 2
        [*valid_row("坏校验")[:1], wrong_check_character(make_id_number()), *valid_row()[2:]],  # 3
        good[1],  # 4
        ["坏日期", impossible_date_number(), "", "110105", "", ""],  # 5
        ["", "", "", "", "", ""],  # 6: blank, skipped
        ["坏地区", make_id_number(), "", "999999", "", ""],  # 7
        ["重复者", good[0][1], "", "110105", "", ""],  # 8: the same person as row 2
        good[2],  # 9
        ["坏类别", make_id_number(), "", "110105", "外星人", ""],  # 10
    ]
    return write_csv(tmp_path / "mixed.csv", rows), rows


def test_good_rows_are_imported_and_each_bad_row_is_reported(
    runtime: Runtime, mixed_file: tuple[Path, list[list[str]]]
) -> None:
    path, rows = mixed_file
    summary = run_import(runtime, path)
    assert (summary.rows_read, summary.added, summary.existing, summary.rejected) == (8, 3, 0, 5)
    assert summary.error_report is not None
    report = read_report(summary.error_report)
    assert [(line[ROW], line[COLUMN]) for line in report] == [
        ("3", "公民身份号码"),
        ("5", "公民身份号码"),
        ("7", "户籍地区代码"),
        ("8", "公民身份号码"),
        ("10", "人员类别"),
    ]
    reasons = {line[ROW]: line[REASON] for line in report}
    assert "check character" in reasons["3"]
    assert "not a real date" in reasons["5"]
    assert "not a current" in reasons["7"]
    assert "row 2" in reasons["8"]
    assert "外星人" in reasons["10"]
    text = summary.error_report.read_text("utf-8-sig")
    for row in rows:
        if row[1]:
            assert row[1] not in text  # only masked numbers in the report
    assert report[3][MASKED] == rows[0][1][:4] + "**********" + rows[0][1][-4:]
    assert summary.error_report.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8


def test_the_import_run_is_recorded_and_audited_with_counts_only(
    runtime: Runtime, mixed_file: tuple[Path, list[list[str]]]
) -> None:
    path, rows = mixed_file
    summary = run_import(runtime, path, chunk_size=3)
    with runtime.uow.read() as session:
        run = session.get_one(PersonImport, summary.import_id)
        assert (run.status, run.rows_read, run.rows_added, run.rows_rejected) == ("finished", 8, 3, 5)
        assert run.error_report == str(summary.error_report)
        assert run.finished_at is not None
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "person_import")).all()
        actions = [event.action for event in events]
        assert actions == ["person_import.started"] + ["person_import.chunk_stored"] * 3 + ["person_import.finished"]
        everything = " ".join(event.data for event in events)
        for row in rows:
            assert not row[1] or row[1] not in everything
        assert verify_chain(session)[1] is None
        imported = session.scalars(select(Person).where(Person.import_id == summary.import_id)).all()
        assert sorted(p.name for p in imported) == ["孙三", "赵一", "钱二"]


def test_running_an_import_twice_adds_nothing(runtime: Runtime, mixed_file: tuple[Path, list[list[str]]]) -> None:
    path, _ = mixed_file
    run_import(runtime, path)
    second = run_import(runtime, path)
    assert (second.added, second.existing) == (0, 3)
    assert person_count(runtime) == 3


def test_a_duplicate_in_another_chunk_is_still_the_later_row(runtime: Runtime, tmp_path: Path) -> None:
    rows = [valid_row() for _ in range(5)]
    rows.append(["同一人", rows[0][1], "", "110105", "", ""])
    summary = run_import(runtime, write_csv(tmp_path / "p.csv", rows), chunk_size=2)
    assert (summary.added, summary.rejected) == (5, 1)
    assert summary.error_report is not None
    (line,) = read_report(summary.error_report)
    assert line[ROW] == "7"
    assert "earlier row" in line[REASON]


def test_an_interrupted_import_resumes_where_it_stopped(runtime: Runtime, tmp_path: Path) -> None:
    rows = [valid_row() for _ in range(6)]
    run_import(runtime, write_csv(tmp_path / "first-half.csv", rows[:3]))
    summary = run_import(runtime, write_csv(tmp_path / "whole.csv", rows), chunk_size=2)
    assert (summary.added, summary.existing, summary.rejected) == (3, 3, 0)
    assert summary.error_report is None


def test_formatting_is_normalized(runtime: Runtime, tmp_path: Path) -> None:
    number = make_id_number()
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in number)
    rows = [["  王 五 ", f" {full_width[:6]} {full_width[6:]} ".lower(), "138 0013 8000", "１１０１０５", "农民工", ""]]
    summary = run_import(runtime, write_csv(tmp_path / "p.csv", rows))
    assert (summary.added, summary.rejected) == (1, 0)
    with runtime.uow.read() as session:
        person = find_person_by_id_number(session, runtime.cipher, number)
        assert person is not None
        assert (person.name, person.region_code) == ("王五", "110105")
        assert person.phone_encrypted is not None
        assert runtime.cipher.decrypt("phone", person.phone_encrypted) == "13800138000"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_each_encoding_bureaus_export(runtime: Runtime, tmp_path: Path, encoding: str) -> None:
    rows = [valid_row("欧阳娜娜", groups="脱贫人口、农民工"), valid_row("司马光")]
    summary = run_import(runtime, write_csv(tmp_path / "p.csv", rows, encoding=encoding, header=ENGLISH_HEADER))
    assert (summary.added, summary.rejected) == (2, 0)
    with runtime.uow.read() as session:
        assert sorted(session.scalars(select(Person.name))) == sorted(["欧阳娜娜", "司马光"])


def test_xlsx_files(runtime: Runtime, tmp_path: Path) -> None:
    rows: list[list[object]] = [list(valid_row("周六")), list(valid_row("吴七"))]
    rows.append(["数字身份证", float(make_numeric_id_number()), "", 110105, "", ""])
    summary = run_import(runtime, write_xlsx(tmp_path / "p.xlsx", rows))
    assert (summary.file_format, summary.added, summary.rejected) == ("XLSX", 2, 1)
    assert summary.error_report is not None
    (line,) = read_report(summary.error_report)
    assert line[ROW] == "4"
    assert "Excel" in line[REASON]


def test_a_file_missing_a_required_column_is_refused_whole(runtime: Runtime, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [valid_row()[:2]], header=CHINESE_HEADER[:2])
    with pytest.raises(PersonFileRefused, match="户籍地区代码"):
        run_import(runtime, path)
    assert person_count(runtime) == 0
    with runtime.uow.read() as session:
        run = session.scalars(select(PersonImport)).one()
        assert (run.status, run.rows_read) == ("refused", 0)
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "person_import.refused")).one()
        assert "region_code" in event.data


def test_a_file_with_undecodable_bytes_is_refused_whole(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    good = "\n".join(",".join(valid_row()) for _ in range(3))
    path.write_bytes((",".join(CHINESE_HEADER) + "\n" + good + "\n").encode() + b"\x80\xff\n")
    with pytest.raises(PersonFileRefused, match="UTF-8"):
        run_import(runtime, path)
    assert person_count(runtime) == 0


def test_progress_is_reported_per_chunk(runtime: Runtime, tmp_path: Path) -> None:
    seen: list[ImportProgress] = []
    run_import(
        runtime, write_csv(tmp_path / "p.csv", [valid_row() for _ in range(5)]), chunk_size=2, progress=seen.append
    )
    assert seen == [ImportProgress(2, 5), ImportProgress(4, 5), ImportProgress(5, 5)]
