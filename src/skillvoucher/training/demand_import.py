"""Importing the training-demand catalogue from a bureau's CSV or XLSX file, row by row.

Encodings and headers as bureaus write them (UTF-8 with or without BOM, else GB18030; Chinese or English headers).
Each row is checked and written in its own savepoint: a bad row (unknown occupation, negative amount, overlapping
period, a region outside the officer's scope …) writes nothing and is reported by its row number in an error report
(CSV, UTF-8 with BOM, for Excel); the good rows are kept.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from skillvoucher.core import DomainError, Invalid
from skillvoucher.core.money import yuan_to_fen
from skillvoucher.identity import Principal
from skillvoucher.training.demand import DemandTerms, set_demand_entry
from skillvoucher.training.sheets import read_sheet

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "region_code": ("地区代码", "行政区划代码", "区划代码", "region_code", "region"),
    "occupation_code": ("职业编码", "职业代码", "occupation_code", "occupation"),
    "level": ("等级", "技能等级", "职业技能等级", "level"),
    "subsidy_yuan": ("补贴标准", "补贴标准元", "subsidy_yuan", "subsidy"),
    "standard_hours": ("标准课时", "课时", "standard_hours", "hours"),
    "flag": ("紧缺标识", "职业类别", "紧缺重点", "flag"),
    "uplift_percent": ("上浮比例", "上浮", "uplift_percent", "uplift"),
    "valid_from": ("开始日期", "生效日期", "valid_from"),
    "valid_to": ("结束日期", "失效日期", "valid_to"),
}
REQUIRED = ("region_code", "occupation_code", "level", "subsidy_yuan", "standard_hours", "valid_from")
FLAGS = {
    "": "none",
    "无": "none",
    "none": "none",
    "紧缺": "shortage",
    "shortage": "shortage",
    "重点": "key",
    "key": "key",
}
REPORT_HEADER = ("行号/row", "原因/reason")


class DemandFileRefused(Invalid):
    """The file cannot be read at all (encoding, missing column, damaged)."""


@dataclass(frozen=True)
class DemandImportResult:
    added: int
    rejected: int
    report: Path | None


def header_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).lower().strip()
    key = re.sub(r"\((元|%|％|yuan)\)$", "", key)
    return re.sub(r"[\s_\-*:：()]", "", key)


_ALIAS = {header_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases}


def import_demand_file(session: Session, *, path: Path, report_path: Path, by: Principal | None) -> DemandImportResult:
    rows = list(read_sheet(path, DemandFileRefused))
    header_index = next((i for i, row in enumerate(rows[:20]) if any(header_key(c) in _ALIAS for c in row)), None)
    if header_index is None:
        raise DemandFileRefused("找不到表头 / no header row naming the catalogue's columns")
    columns = {_ALIAS[header_key(c)]: i for i, c in enumerate(rows[header_index]) if header_key(c) in _ALIAS}
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        names = "、".join(HEADER_ALIASES[c][0] for c in missing)
        raise DemandFileRefused(f"缺少必填列：{names} / missing column(s): {', '.join(missing)}")
    added, problems = 0, []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not "".join(row).strip():
            continue
        values = {c: (row[i].strip() if i < len(row) else "") for c, i in columns.items()}
        try:
            terms = _terms(values)
            with session.begin_nested():
                set_demand_entry(session, terms=terms, by=by)
            added += 1
        except DomainError as error:
            problems.append((number, error.message))
    report = _write_report(report_path, problems) if problems else None
    return DemandImportResult(added=added, rejected=len(problems), report=report)


def _terms(values: dict[str, str]) -> DemandTerms:
    try:
        subsidy = yuan_to_fen(values["subsidy_yuan"].replace(",", ""))
    except ValueError:
        raise Invalid(f"补贴标准不是金额：{values['subsidy_yuan']} / not an amount") from None
    if subsidy < 0:
        raise Invalid("补贴标准不能为负数 / the subsidy standard must not be negative")
    flag = FLAGS.get(values.get("flag", "").lower())
    if flag is None:
        raise Invalid(f"紧缺标识应为紧缺、重点或空：{values.get('flag')} / flag must be shortage, key or empty")
    return DemandTerms(
        region_code=values["region_code"],
        occupation_code=values["occupation_code"],
        level=_integer(values["level"].removesuffix("级"), "等级/level"),
        subsidy_fen=subsidy,
        standard_hours=_integer(values["standard_hours"], "标准课时/standard_hours"),
        flag=flag,
        uplift_percent=_integer(values.get("uplift_percent", "").rstrip("%％") or "0", "上浮比例/uplift_percent"),
        valid_from=_date(values["valid_from"], "开始日期/valid_from"),
        valid_to=_date(values["valid_to"], "结束日期/valid_to") if values.get("valid_to") else None,
    )


def _integer(text: str, name: str) -> int:
    try:
        return int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else int(text)
    except ValueError:
        raise Invalid(f"{name}不是整数：{text} / not a whole number") from None


def _date(text: str, name: str) -> date:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time zone)
        except ValueError:
            continue
    raise Invalid(f"{name}不是日期：{text} / not a date (YYYY-MM-DD)")


def _write_report(path: Path, problems: list[tuple[int, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(REPORT_HEADER)
        writer.writerows(problems)
    return path
