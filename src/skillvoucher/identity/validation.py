"""One row of a person file → a validated `PersonRecord`, or the reasons it is not one. Pure.

What is merely formatting is normalized (full-width characters, stray spaces, a lower-case x, blank optional
fields); what is wrong is reported per column, in Chinese and English, never repeating the ID or phone number.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from skillvoucher.identity.phone import PhoneError, normalize_phone
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import ResidentIdError, parse
from skillvoucher.identity.rules import parse_employment_status, parse_groups

COLUMNS = ("name", "id_number", "phone", "region_code", "groups", "employment_status")
REQUIRED_COLUMNS = ("name", "id_number", "region_code")
NAME_MAX_LENGTH = 100  # persons.name is VARCHAR(100)


class RowError(NamedTuple):
    column: str  # a canonical column name (COLUMNS)
    reason: str  # Chinese / English; safe to show and to write into the error report


# resident_id's English messages, by prefix, with the Chinese an officer reads first.
_ID_REASONS_ZH = {
    "must have 18 characters": "身份证号应为18位",
    "must be 17 digits": "身份证号应为17位数字加1位数字或X",
    "check character does not match": "校验码不符，号码可能录错",
    "birth date in the number is not a real date": "号码中的出生日期不存在",
    "birth date in the number is out of range": "号码中的出生日期不在1900年至今之间",
}
_EXCEL_NUMBER = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_REGION = re.compile(r"\d{6}")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d[\dXx\s-]{4,}")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def validate_row(
    raw: Mapping[str, str], *, known_regions: frozenset[str], today: date
) -> PersonRecord | list[RowError]:
    """`raw` maps canonical column names to the cell text (missing optional columns may be absent)."""
    errors: list[RowError] = []
    name = _name(raw.get("name", ""), errors)
    resident = _resident_id(raw.get("id_number", ""), known_regions, today, errors)
    phone = _phone(raw.get("phone", ""), errors)
    region_code = _region_code(raw.get("region_code", ""), known_regions, errors)
    groups = _groups(raw.get("groups", ""), errors)
    status = _employment_status(raw.get("employment_status", ""), errors)
    if errors or resident is None:
        return errors
    number, gender, birth = resident
    return PersonRecord(
        name=name,
        id_number=number,
        phone=phone,
        region_code=region_code,
        gender=gender,
        birth_date=birth,
        population_groups=groups,
        employment_status=status,
    )


def normalize_text(raw: str) -> str:
    """Full-width → ASCII (NFKC), zero-width characters (pasted from web pages) and surrounding whitespace removed."""
    if raw.isascii():
        return raw.strip()
    return unicodedata.normalize("NFKC", raw.translate(_ZERO_WIDTH)).strip()


def _name(raw: str, errors: list[RowError]) -> str:
    name = normalize_text(raw)
    if " " in name or not name.isprintable():  # rare: collapse inner whitespace; "张 三" is a typing slip
        name = _CJK_GAP.sub("", " ".join(name.split()))  # while "Ayşe Kaya" keeps its space
    if not name:
        errors.append(RowError("name", "姓名为空 / name is empty"))
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(RowError("name", f"姓名超过{NAME_MAX_LENGTH}个字符 / name is longer than {NAME_MAX_LENGTH}"))
    elif _DIGIT.search(name) or not name.isprintable():
        errors.append(
            RowError("name", "姓名含数字或控制字符（列是否错位？） / name contains digits or control characters")
        )
    return name


def _resident_id(
    raw: str, known_regions: frozenset[str], today: date, errors: list[RowError]
) -> tuple[str, str, date] | None:
    text = normalize_text(raw)  # parse() also removes inner spaces and upper-cases a final x
    if not text:
        errors.append(RowError("id_number", "身份证号为空 / ID number is empty"))
        return None
    if ("E" in text or "e" in text) and _EXCEL_NUMBER.match("".join(text.split()).upper()):
        errors.append(
            RowError(
                "id_number",
                "身份证号被 Excel 存成了数字（科学计数法），末几位已丢失；请将该列设为文本后重新导出 / "
                "Excel stored the ID number as a number and lost its last digits; format the column as text",
            )
        )
        return None
    try:
        resident = parse(text, today=today)
    except ResidentIdError as error:
        errors.append(RowError("id_number", _bilingual_id_reason(str(error))))
        return None
    if resident.region_code not in known_regions and not is_former_region_code(resident.region_code):
        errors.append(
            RowError(
                "id_number",
                "号码中的地区码不是现行或曾用的行政区划代码 / "
                "region code in the number is not a current or former GB/T 2260 code",
            )
        )
        return None
    return resident.number, resident.gender, resident.birth_date


def _bilingual_id_reason(english: str) -> str:
    for prefix, chinese in _ID_REASONS_ZH.items():
        if english.startswith(prefix):
            return f"{chinese} / {english}"
    return english


@lru_cache(maxsize=4096)
def is_former_region_code(code: str) -> bool:
    """A county-level code that existed at some time (GB/T 2260 history, from python-stdnum's table).

    ID numbers keep the code of the place and year they were issued, so a code abolished since (崇文区 110103)
    is still a real person's code; stdnum's own check wrongly ties the code to the birth year, so only its table
    is used here.
    """
    from stdnum import numdb

    merged: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        merged.update(props)
    return "county" in merged


def _phone(raw: str, errors: list[RowError]) -> str | None:
    text = normalize_text(raw)
    if not text:
        return None
    try:
        return normalize_phone(text)
    except PhoneError as error:
        errors.append(RowError("phone", f"手机号码应为13至19开头的11位大陆手机号 / phone {error}"))
        return None


def _region_code(raw: str, known_regions: frozenset[str], errors: list[RowError]) -> str:
    if raw in known_regions:  # the usual case, already clean
        return raw
    code = "".join(normalize_text(raw).split())
    if code.endswith(".0"):  # a spreadsheet that stored the code as a number
        code = code[:-2]
    if not code:
        errors.append(RowError("region_code", "户籍地区代码为空 / region code is empty"))
    elif not _REGION.fullmatch(code):
        errors.append(RowError("region_code", "户籍地区代码应为6位数字 / region code must be 6 digits"))
    elif code not in known_regions:
        errors.append(
            RowError("region_code", "户籍地区代码不是现行行政区划代码 / region code is not a current GB/T 2260 region")
        )
    return code


def _groups(raw: str, errors: list[RowError]) -> int:
    try:
        return _groups_of(raw)
    except ValueError as error:
        errors.append(RowError("groups", f"人员类别无法识别 / {_without_numbers(str(error))}"))
        return 0


def _employment_status(raw: str, errors: list[RowError]) -> str:
    try:
        return _status_of(raw)
    except ValueError as error:
        errors.append(RowError("employment_status", f"就业状态无法识别 / {_without_numbers(str(error))}"))
        return ""


def _without_numbers(text: str) -> str:
    """These reasons quote the cell; when columns have shifted, the cell may hold an ID or phone number."""
    return _NUMBER.sub("***", text)


# A file repeats a handful of spellings a million times: parse each raw spelling once.
@lru_cache(maxsize=1024)
def _groups_of(raw: str) -> int:
    return int(parse_groups(normalize_text(raw)))


@lru_cache(maxsize=256)
def _status_of(raw: str) -> str:
    return str(parse_employment_status(normalize_text(raw)))
