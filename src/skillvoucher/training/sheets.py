"""Reading a bureau's or institution's table file, CSV or XLSX, as rows of cell text (the demand catalogue import
and class rosters). CSV is UTF-8 (with or without BOM), else GB18030; an XLSX file's first sheet is read."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from skillvoucher.core import DomainError

Refusal = Callable[[str], DomainError]


def read_sheet(path: Path, refused: Refusal) -> Iterator[list[str]]:
    """Every row of the file as cell text; `refused(message)` is raised for a file that cannot be read."""
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        yield from _xlsx_rows(path, refused)
        return
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            yield from csv.reader(io.StringIO(content, newline=""), strict=True)
        except csv.Error as error:
            raise refused(f"CSV 格式有误 / malformed CSV: {error}") from None
        return
    raise refused("文件既不是 UTF-8 也不是 GB18030 编码 / the file is neither UTF-8 nor GB18030")


def _xlsx_rows(path: Path, refused: Refusal) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise refused(f"无法读取 XLSX 文件 / cannot read the XLSX file: {type(error).__name__}") from None
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell(value) for value in values]
    finally:
        workbook.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
