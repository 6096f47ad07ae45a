"""Reading an institution's attendance file (CSV or XLSX): a session column (课次) and an ID number column."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from skillvoucher.enrolment.errors import AttendanceFileRefused
from skillvoucher.training import read_sheet

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
_SESSION = {"课次", "课次编号", "session", "sessionid"}
_ID_NUMBER = {"身份证号码", "身份证号", "公民身份号码", "idnumber"}


def _key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).lower().strip()
    return re.sub(r"[\s_\-*:：]", "", re.sub(r"\(.*?\)$", "", key))


def attendance_file_rows(path: Path) -> list[tuple[int, int, str]]:
    """(spreadsheet row, session id, ID number) for each data row; a session cell that is not a number gives 0,
    which `record_attendance_file` reports as not a session of the class."""
    columns: tuple[int, int] | None = None
    found: list[tuple[int, int, str]] = []
    for number, row in enumerate(read_sheet(path, AttendanceFileRefused), start=1):
        if columns is None:
            keys = [_key(cell) for cell in row]
            session_col = next((i for i, key in enumerate(keys) if key in _SESSION), None)
            id_col = next((i for i, key in enumerate(keys) if key in _ID_NUMBER), None)
            if session_col is not None and id_col is not None:
                columns = (session_col, id_col)
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        if not "".join(row).strip():
            continue
        session_cell = row[columns[0]].strip() if columns[0] < len(row) else ""
        id_cell = row[columns[1]].strip() if columns[1] < len(row) else ""
        found.append((number, int(session_cell) if session_cell.isdigit() else 0, id_cell))
        if len(found) > MAX_ROWS:
            raise AttendanceFileRefused(f"文件超过 {MAX_ROWS} 行 / the file has more than {MAX_ROWS} rows")
    if columns is None:
        raise AttendanceFileRefused("找不到“课次”和“身份证号码”列 / no columns headed 课次 and 身份证号码")
    return found
