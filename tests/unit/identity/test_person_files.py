"""Reading person files: encodings, header spellings, blank and title rows, and files refused as a whole."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.factories.identity import (
    CHINESE_HEADER,
    ENGLISH_HEADER,
    make_numeric_id_number,
    valid_row,
    write_csv,
    write_xlsx,
)

from skillvoucher.identity import PersonFileRefused
from skillvoucher.identity.person_files import DataRow, FileLayout, inspect_file, read_rows


def rows_of(path: Path) -> tuple[FileLayout, list[DataRow]]:
    layout = inspect_file(path)
    return layout, list(read_rows(path, layout))


def refusal(path: Path) -> str:
    with pytest.raises(PersonFileRefused) as caught:
        inspect_file(path)
    return caught.value.message


@pytest.mark.parametrize(
    ("encoding", "label"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")]
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, label: str) -> None:
    row = valid_row("欧阳娜娜", groups="失业人员、农民工")
    path = write_csv(tmp_path / "persons.csv", [row], encoding=encoding)
    layout, rows = rows_of(path)
    assert layout.encoding == label
    assert rows == [DataRow(2, dict(zip(ENGLISH_HEADER, row, strict=True)))]


def test_english_headers_in_any_case_and_spacing(tmp_path: Path) -> None:
    header = ["Name", " ID Number ", "PHONE", "region_code", "Groups", "Employment Status", "备注"]
    row = [*valid_row(), "a note"]
    layout, rows = rows_of(write_csv(tmp_path / "p.csv", [row], header=header))
    assert rows[0].values["name"] == row[0]
    assert layout.headers["id_number"] == "ID Number"
    assert layout.ignored == ("备注",)


def test_alternative_chinese_headers(tmp_path: Path) -> None:
    header = ["身份证号", "姓名（必填）", "户籍地代码"]
    row = valid_row()
    layout, rows = rows_of(write_csv(tmp_path / "p.csv", [[row[1], row[0], row[3]]], header=header))
    assert set(layout.columns) == {"name", "id_number", "region_code"}
    assert rows[0].values == {"id_number": row[1], "name": row[0], "region_code": row[3]}


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    good = [",".join(valid_row()) for _ in range(2)]
    path.write_text(
        "XX市职业培训券人员名单\n\n" + ",".join(CHINESE_HEADER) + f"\n{good[0]}\n\n,,,,,\n  \n{good[1]}\n", "utf-8"
    )
    layout, rows = rows_of(path)
    assert layout.header_row == 3
    assert layout.data_rows == 2
    assert [row.number for row in rows] == [4, 8]


def test_short_rows_give_blank_cells(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(",".join(CHINESE_HEADER) + "\n张三,110105199003071230,,110105\n", "utf-8")
    _, rows = rows_of(path)
    assert rows[0].values["groups"] == ""


def test_xlsx_rows_and_numeric_cells(tmp_path: Path) -> None:
    row = valid_row()
    numeric = [row[0], float(make_numeric_id_number()), int(row[2]), int(row[3]), row[4], row[5]]
    layout, rows = rows_of(write_xlsx(tmp_path / "p.xlsx", [row, [], numeric]))
    assert layout.kind == "xlsx"
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values["id_number"] == row[1]
    assert rows[1].values["region_code"] == row[3]
    assert rows[1].values["phone"] == row[2]
    assert "E+" in rows[1].values["id_number"].upper()  # Excel's rounding stays visible to the validator


def test_missing_required_column_is_refused(tmp_path: Path) -> None:
    message = refusal(write_csv(tmp_path / "p.csv", [valid_row()[:3]], header=CHINESE_HEADER[:3]))
    assert "户籍地区代码" in message
    assert "region_code" in message


def test_a_file_without_any_known_header_is_refused(tmp_path: Path) -> None:
    assert "missing required column" in refusal(write_csv(tmp_path / "p.csv", [["1", "2"]], header=["a", "b"]))


def test_the_same_column_twice_is_refused(tmp_path: Path) -> None:
    header = [*CHINESE_HEADER, "身份证号"]
    row = valid_row()
    assert "same field" in refusal(write_csv(tmp_path / "p.csv", [[*row, row[1]]], header=header))


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(",".join(CHINESE_HEADER).encode() + b"\n" + ",".join(valid_row()).encode() + b"\n\xff\xfe\x80,\n")
    message = refusal(path)
    assert "GB18030" in message
    assert "line 3" in message


def test_utf16_and_old_xls_and_empty_files_are_refused(tmp_path: Path) -> None:
    utf16 = tmp_path / "u.csv"
    utf16.write_text(",".join(CHINESE_HEADER), encoding="utf-16")
    assert "UTF-16" in refusal(utf16)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert ".xls" in refusal(xls)
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    assert "empty" in refusal(empty)


def test_an_unclosed_quote_is_refused_rather_than_swallowing_rows(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    rows = [",".join(valid_row()) for _ in range(3)]
    path.write_text(",".join(CHINESE_HEADER) + f'\n{rows[0]}\n"张三,{rows[1]}\n{rows[2]}\n', "utf-8")
    assert "row 3" in refusal(path)


def test_a_damaged_xlsx_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", [valid_row() for _ in range(50)])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    middle = sheet.header_offset + 60 + sheet.compress_size // 2
    data[middle] ^= 0xFF
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    assert "XLSX" in refusal(damaged)


def test_a_file_marked_utf8_that_is_not_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ",".join(CHINESE_HEADER).encode("gb18030") + b"\n")
    assert "marked as UTF-8" in refusal(path)
