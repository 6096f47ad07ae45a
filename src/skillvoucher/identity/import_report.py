"""The row-level error report of a person import: a CSV the officer opens in Excel (UTF-8 with BOM).

Written as the import goes, so it never holds more than one chunk's lines in memory. It names the row, the column
as headed in the file, and the reason; the ID number appears only masked.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, NamedTuple

HEADER = ("行号/row", "列/column", "原因/reason", "身份证号（遮蔽）/id_number (masked)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ReportLine(NamedTuple):
    row: int
    column: str
    reason: str
    id_number_masked: str


class ErrorReport:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = 0
        self._file: IO[str] | None = None
        self._writer: Any = None  # csv's writer type is private

    def write(self, lines: Iterable[ReportLine]) -> None:
        for line in lines:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("w", encoding="utf-8-sig", newline="")
                self._writer = csv.writer(self._file)
                self._writer.writerow(HEADER)
            self._writer.writerow([line.row, *(_cell(text) for text in line[1:])])
            self.lines += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> ErrorReport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def _cell(text: str) -> str:
    """Text that Excel would run as a formula (a cell copied from the file starting with '=') is quoted."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def read_report(path: Path) -> list[dict[str, str]]:
    """The report's lines as dictionaries keyed by HEADER (for tests and tools)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))
