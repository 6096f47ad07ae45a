"""Person files as bureaus export them (CSV or XLSX): checked as a whole first, then read as a stream of rows.

`inspect_file` reads the whole file once — the CSV encoding (UTF-8 with or without BOM, else GB18030), its quoting,
the XLSX archive's checksums, the header — and refuses a file that cannot be imported before anything is written.
`read_rows` then streams the data rows with their spreadsheet row numbers; memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple

from skillvoucher.identity.errors import PersonFileRefused
from skillvoucher.identity.validation import COLUMNS, REQUIRED_COLUMNS

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name", "full name"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "身份证", "证件号码", "id_number", "id number", "id no"),
    "phone": ("手机号码", "手机号", "手机", "联系电话", "phone", "mobile", "phone number"),
    "region_code": ("户籍地区代码", "户籍地代码", "户籍所在地代码", "户籍行政区划代码", "行政区划代码", "region_code"),
    "groups": ("人员类别", "人员类型", "groups", "population_groups"),
    "employment_status": ("就业状态", "就业情况", "employment_status", "employment status"),
}
HEADER_SEARCH_ROWS = 20  # title rows such as "XX市培训券人员名单" may sit above the header
CSV_FIELD_LIMIT = 10_000  # no cell of a person file is this long: longer means an unclosed quote swallowed rows
_CHUNK = 1 << 20


class DataRow(NamedTuple):
    number: int  # the row number the officer sees in Excel (the header row and blank rows counted)
    values: dict[str, str]  # canonical column → cell text


@dataclass(frozen=True)
class FileLayout:
    kind: Literal["csv", "xlsx"]
    encoding: str | None  # CSV only: "utf-8", "utf-8-sig" (with BOM) or "gb18030"
    header_row: int
    columns: dict[str, int]  # canonical column → 0-based position
    headers: dict[str, str]  # canonical column → the header as written in the file
    ignored: tuple[str, ...]  # headers that are not person columns
    data_rows: int | None  # rows after the header (CSV: non-blank, exact; XLSX: from the sheet's dimension)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def inspect_file(path: Path) -> FileLayout:
    """Check the whole file; raise PersonFileRefused saying why it cannot be imported."""
    with path.open("rb") as file:
        magic = file.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _inspect_xlsx(path)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise PersonFileRefused("不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV / old .xls files are not supported")
    if magic.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PersonFileRefused("文件是 UTF-16 编码，请另存为 CSV UTF-8 / the file is UTF-16: save it as CSV (UTF-8)")
    return _inspect_csv(path, bom=magic.startswith(b"\xef\xbb\xbf"))


def read_rows(path: Path, layout: FileLayout) -> Iterator[DataRow]:
    """The data rows after the header, blank rows skipped."""
    raw_rows = _csv_rows(path, layout.encoding) if layout.kind == "csv" else _xlsx_rows(path)
    names, indexes = tuple(layout.columns), tuple(layout.columns.values())
    pick, width = itemgetter(*indexes), max(indexes) + 1
    for number, row in enumerate(raw_rows, start=1):
        if number <= layout.header_row or not "".join(row).strip():
            continue
        cells = pick(row) if len(row) >= width else [row[i] if i < len(row) else "" for i in indexes]
        yield DataRow(number, dict(zip(names, cells, strict=True)))


def header_key(text: str) -> str:
    """'ID Number', 'id_number', '身份证号（必填）', '*姓名' all reduce to one key per spelling."""
    key = unicodedata.normalize("NFKC", text).lower()
    key = re.sub(r"\(.*?\)$", "", key.strip())
    return re.sub(r"[\s_\-*:：]", "", key)


_ALIAS_TO_COLUMN = {header_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases}
assert set(HEADER_ALIASES) == set(COLUMNS)


def _map_header(cells: Sequence[str]) -> tuple[dict[str, int], dict[str, str], tuple[str, ...]]:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        column = _ALIAS_TO_COLUMN.get(header_key(cell))
        if column is None:
            if cell.strip():
                ignored.append(cell.strip())
            continue
        if column in columns:
            raise PersonFileRefused(
                f"“{headers[column]}”与“{cell.strip()}”是同一列 / columns {headers[column]!r} and {cell.strip()!r} "
                "both give the same field"
            )
        columns[column], headers[column] = index, cell.strip()
    return columns, headers, tuple(ignored)


def _find_header(rows: Iterator[list[str]]) -> tuple[int, dict[str, int], dict[str, str], tuple[str, ...]]:
    """The first row naming any person column is the header; it must name every required one."""
    first: list[str] | None = None
    for number, row in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        if not any(cell.strip() for cell in row):
            continue
        first = first or row
        columns, headers, ignored = _map_header(row)
        if columns:
            missing = [column for column in REQUIRED_COLUMNS if column not in columns]
            if missing:
                raise PersonFileRefused(_missing_message(missing))
            return number, columns, headers, ignored
    if first is None:
        raise PersonFileRefused("文件是空的 / the file is empty")
    raise PersonFileRefused(_missing_message(list(REQUIRED_COLUMNS)))


def _missing_message(missing: list[str]) -> str:
    zh = "、".join(HEADER_ALIASES[column][0] for column in missing)
    en = ", ".join(missing)
    return f"缺少必填列：{zh} / missing required column(s): {en} (see docs/person-import.md for the headers)"


def _csv_rows(path: Path, encoding: str | None) -> Generator[list[str]]:
    with path.open(encoding=encoding, newline="", buffering=_CHUNK) as file:
        reader = csv.reader(file, strict=True)
        for row in reader:
            if row and max(map(len, row)) > CSV_FIELD_LIMIT:
                raise csv.Error(f"a field longer than {CSV_FIELD_LIMIT} characters (an unclosed quote?)")
            yield row


def _inspect_csv(path: Path, *, bom: bool) -> FileLayout:
    # A UTF-8 byte-order mark settles the encoding; otherwise UTF-8 is tried first, then GB18030.
    candidates = ("utf-8-sig",) if bom else ("utf-8", "gb18030")
    for candidate in candidates:
        position = _Counter()
        try:
            with closing(position.count(_csv_rows(path, candidate))) as rows:
                header_row, columns, headers, ignored = _find_header(rows)
                data_rows = sum(1 for row in rows if "".join(row).strip())
        except UnicodeDecodeError:
            if candidate == candidates[-1]:
                raise _undecodable(path, bom=bom) from None
            continue
        except csv.Error as error:
            raise PersonFileRefused(
                f"第{position.rows + 1}行的引号不成对或格式有误 / malformed CSV at row {position.rows + 1}: {error}"
            ) from None
        return FileLayout("csv", candidate, header_row, columns, headers, ignored, data_rows)
    raise AssertionError("unreachable")


def _undecodable(path: Path, *, bom: bool) -> PersonFileRefused:
    if bom:
        line = _undecodable_line(path, "utf-8")
        return PersonFileRefused(
            f"第{line}行有无法识别的字节：文件标明为 UTF-8 却不是 / undecodable bytes in line {line}: the file is "
            "marked as UTF-8 but is not"
        )
    # The encoding that decodes further is the one the file was meant to be in: name its bad line.
    line = max(_undecodable_line(path, "utf-8"), _undecodable_line(path, "gb18030"))
    return PersonFileRefused(
        f"第{line}行有无法识别的字节：文件既不是 UTF-8 也不是 GB18030 编码 / "
        f"undecodable bytes in line {line}: the file is neither UTF-8 nor GB18030"
    )


def _undecodable_line(path: Path, encoding: str) -> int:
    """The line of the first byte that does not decode (text readers only know the 8 KiB block)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    with path.open("rb") as file:
        while block := file.read(_CHUNK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return lines + block.count(b"\n", 0, max(error.start, 0))
            lines += block.count(b"\n")
    return lines


class _Counter:
    """Counts the rows a reader has yielded, so an error can name the row it happened at."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self, rows: Iterator[list[str]]) -> Generator[list[str]]:
        for row in rows:
            self.rows += 1
            yield row


def _inspect_xlsx(path: Path) -> FileLayout:
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()  # every member's CRC: a truncated or damaged file is refused now
        if broken is not None:
            raise PersonFileRefused(f"XLSX 文件已损坏（{broken}）/ the XLSX file is damaged ({broken})")
        with closing(_xlsx_rows(path)) as rows:
            header_row, columns, headers, ignored = _find_header(rows)
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, SyntaxError) as error:
        raise PersonFileRefused(f"无法读取 XLSX 文件 / cannot read the XLSX file: {type(error).__name__}") from None
    return FileLayout("xlsx", None, header_row, columns, headers, ignored, _xlsx_dimension_rows(path, header_row))


def _xlsx_rows(path: Path) -> Generator[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong dimension: read every row there is
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _xlsx_dimension_rows(path: Path, header_row: int) -> int | None:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        max_row: int | None = workbook.worksheets[0].max_row
    finally:
        workbook.close()
    return max_row - header_row if max_row else None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Integral numbers up to 15 digits are exact (region codes, phones); larger ones kept in exponent form,
        # which the validator recognizes as an ID number Excel has rounded.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
