"""Test data for the worker registry: valid resident ID numbers, person records and person files."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from skillvoucher.identity import PersonRecord, PopulationGroup, check_character

DEFAULT_REGION = "110105"  # 北京市朝阳区: a current GB/T 2260 county-level code
_sequence = itertools.count(1)

CHINESE_HEADER = ("姓名", "公民身份号码", "手机号码", "户籍地区代码", "人员类别", "就业状态")
ENGLISH_HEADER = ("name", "id_number", "phone", "region_code", "groups", "employment_status")


def make_id_number(region: str = DEFAULT_REGION, birth: date = date(1990, 3, 7), sequence: int | None = None) -> str:
    """A valid 18-character resident ID: region + birth date + 3-digit sequence + the right check character.

    Without a sequence, each call returns a new number (odd sequence: male, even: female, as it comes).
    """
    seq = next(_sequence) % 1000 if sequence is None else sequence
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_character(body)


def make_numeric_id_number(region: str = DEFAULT_REGION) -> str:
    """A valid number whose check character is a digit (so a spreadsheet can hold it as a number)."""
    while not (number := make_id_number(region))[-1].isdigit():
        pass
    return number


def wrong_check_character(number: str) -> str:
    """The same number with a check character that does not match."""
    right = number[17]
    wrong = "0" if right != "0" else "1"
    return number[:17] + wrong


def make_phone(n: int | None = None) -> str:
    return f"139{(next(_sequence) if n is None else n) % 100_000_000:08d}"


def make_record(
    *,
    name: str = "张三",
    id_number: str | None = None,
    phone: str | None = None,
    region_code: str = DEFAULT_REGION,
    groups: int = PopulationGroup.UNEMPLOYED,
    employment_status: str = "unemployed",
) -> PersonRecord:
    number = id_number or make_id_number(region_code)
    return PersonRecord(
        name=name,
        id_number=number,
        phone=phone,
        region_code=region_code,
        gender="M" if int(number[16]) % 2 else "F",
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        population_groups=int(groups),
        employment_status=employment_status,
    )


def valid_row(name: str = "李四", *, region: str = DEFAULT_REGION, groups: str = "失业人员") -> list[str]:
    """One good file row in the order of CHINESE_HEADER / ENGLISH_HEADER."""
    return [name, make_id_number(region), make_phone(), region, groups, "失业"]


def write_csv(
    path: Path,
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] = CHINESE_HEADER,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Iterable[Sequence[object]], *, header: Sequence[str] = CHINESE_HEADER) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path
