"""Statistics tables as files bureaus exchange: XLSX (openpyxl) and CSV (UTF-8 with a byte-order mark, so Excel
reads the Chinese correctly).

The caller gives the words (column headers, sheet titles) in the reader's language; the figures are the rollups'
own, so a file's totals are the page's. Amounts are written in yuan: exact decimals, never floats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from skillvoucher.reporting.figures import Row, Totals

# The measure columns of every table, in order; `use_rate` is derived, `held_fen` is shown in yuan.
COLUMNS: Final = (
    "issued",
    "claimed",
    "used",
    "use_rate",
    "trainees",
    "completed",
    "certified",
    "forfeited",
    "expired",
    "revoked",
    "classes",
    "held_fen",
)
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE: Final = "text/csv; charset=utf-8"
_HEADER_FILL: Final = PatternFill("solid", fgColor="EEF2F8")
_BOLD: Final = Font(bold=True)
_FORMATS: Final = {"use_rate": "0.00%", "held_fen": "#,##0.00"}
_COUNT_FORMAT: Final = "#,##0"
_NOT_IN_TITLES: Final = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Words:
    """Headers in the reader's language: `measures` names every one of COLUMNS."""

    code: str
    measures: Mapping[str, str]
    total: str


@dataclass(frozen=True)
class Sheet:
    title: str  # the sheet's name (and a CSV file's name)
    label: str  # the header of the rows' label column (地区, 月份 …)
    rows: Sequence[Row]
    total: Totals | None = None  # a total line, for tables whose rows add up to the scope's totals
    columns: Sequence[str] = COLUMNS  # which of COLUMNS, in their order


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _cells(totals: Totals, columns: Sequence[str]) -> list[Any]:
    values: dict[str, Any] = {**totals.as_dict(), "held_fen": yuan(totals.held_fen)}
    return [values[column] for column in columns]


def _lines(sheet: Sheet, words: Words) -> list[tuple[list[Any], bool]]:
    """(cells, is the total line) for the header, each row and the total."""
    header = [sheet.label, words.code, *(words.measures[column] for column in sheet.columns)]
    lines: list[tuple[list[Any], bool]] = [(header, True)]
    lines += [([row.label, row.key, *_cells(row.totals, sheet.columns)], False) for row in sheet.rows]
    if sheet.total is not None:
        lines.append(([words.total, "", *_cells(sheet.total, sheet.columns)], True))
    return lines


def table_csv(sheet: Sheet, words: Words) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells, _ in _lines(sheet, words):
        writer.writerow([_csv_text(value) for value in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # the use rate: a percentage as Excel shows it
        return f"{value * 100:.2f}%"
    return str(value)


def table_xlsx(sheet: Sheet, words: Words) -> bytes:
    workbook = Workbook()
    _write_table(workbook.active, sheet, words)
    return _saved(workbook)


def report_xlsx(summary_title: str, summary: Sequence[tuple[str, Any]], sheets: Sequence[Sheet], words: Words) -> bytes:
    """One workbook: a summary sheet (label, value lines) followed by one sheet per table."""
    workbook = Workbook()
    first = workbook.active
    first.title = _title(summary_title)
    for number, (label, value) in enumerate(summary, start=1):
        first.cell(number, 1, label).font = _BOLD
        cell = first.cell(number, 2, value)
        if isinstance(value, Decimal):
            cell.number_format = _FORMATS["held_fen"]
        elif isinstance(value, float):
            cell.number_format = _FORMATS["use_rate"]
        elif isinstance(value, int):
            cell.number_format = _COUNT_FORMAT
        cell.alignment = Alignment(horizontal="left")
    first.column_dimensions["A"].width = 24
    first.column_dimensions["B"].width = 40
    for sheet in sheets:
        _write_table(workbook.create_sheet(), sheet, words)
    return _saved(workbook)


def _write_table(worksheet: Any, sheet: Sheet, words: Words) -> None:
    worksheet.title = _title(sheet.title)
    for number, (cells, emphasised) in enumerate(_lines(sheet, words), start=1):
        for column, value in enumerate(cells, start=1):
            cell = worksheet.cell(number, column, value)
            if number == 1:
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            elif column > 2:
                cell.number_format = _FORMATS.get(sheet.columns[column - 3], _COUNT_FORMAT)
            if emphasised:
                cell.font = _BOLD
    worksheet.freeze_panes = "C2"
    worksheet.column_dimensions["A"].width = max(12, min(40, 2 + max((_width(r.label) for r in sheet.rows), default=0)))
    worksheet.column_dimensions["B"].width = 12
    for column in range(3, 3 + len(sheet.columns)):
        worksheet.column_dimensions[get_column_letter(column)].width = 14


def _width(text: str) -> int:
    """Columns a label needs: Chinese characters are about two wide."""
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)


def _title(text: str) -> str:
    return _NOT_IN_TITLES.sub(" ", text)[:31] or "Sheet"


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
