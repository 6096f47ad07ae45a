from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillvoucher.identity.authz import Principal, Role
from skillvoucher.training import DemandEntry, DemandFileRefused, import_demand_file

OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code="350200")
HEADER = [
    "地区代码",
    "职业编码",
    "职业名称",
    "等级",
    "补贴标准（元）",
    "标准课时",
    "紧缺标识",
    "上浮比例",
    "开始日期",
    "结束日期",
]
ROWS = [
    ["350200", "4-10-01-05", "养老护理员", "5", "700", "80", "紧缺", "20%", "2027-01-01", "2027-12-31"],
    ["350200", "9-99-99-99", "不存在", "4", "1000", "120", "", "", "2027-01-01", ""],  # unknown occupation
    ["350200", "4-03-02-01", "中式烹调师", "4", "-10", "120", "", "", "2027-01-01", ""],  # negative
    ["350200", "4-10-01-05", "养老护理员", "5", "700", "80", "", "", "2027-06-01", ""],  # overlaps row 2
    ["350100", "4-10-01-05", "养老护理员", "5", "700", "80", "", "", "2027-01-01", ""],  # Fuzhou: not this officer's
    ["350200", "4-03-02-01", "中式烹调师", "3级", "1500.50", "160", "重点", "30", "2027/01/01", ""],
]


def write_csv(path: Path, encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DemandEntry)) or 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_bad_rows_are_reported_by_row_number_and_good_rows_kept(
    session: Session, tmp_path: Path, encoding: str
) -> None:
    path = write_csv(tmp_path / "catalogue.csv", encoding)
    result = import_demand_file(session, path=path, report_path=tmp_path / "errors.csv", by=OFFICER)
    assert (result.added, result.rejected) == (2, 4)
    assert count(session) == 2
    assert result.report is not None
    with result.report.open(encoding="utf-8-sig") as file:
        lines = list(csv.reader(file))[1:]
    assert [int(row) for row, _ in lines] == [3, 4, 5, 6]
    reasons = dict(lines)
    assert "9-99-99-99" in reasons["3"]
    assert "negative" in reasons["4"]
    assert "overlaps" in reasons["5"]
    assert "not allowed" in reasons["6"]
    cook = session.scalar(select(DemandEntry).where(DemandEntry.occupation_code == "4-03-02-01"))
    assert cook is not None
    assert (cook.subsidy_fen, cook.level, cook.flag, cook.uplift_percent) == (150_050, 3, "key", 30)


def test_xlsx_with_a_title_row(session: Session, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["厦门市2027年职业培训需求目录"])
    sheet.append(HEADER)
    sheet.append([350200, "4-10-01-05", "养老护理员", 4, 1000, 120, None, None, "2027-01-01", None])
    workbook.save(tmp_path / "catalogue.xlsx")
    result = import_demand_file(session, path=tmp_path / "catalogue.xlsx", report_path=tmp_path / "e.csv", by=OFFICER)
    assert (result.added, result.rejected, result.report) == (1, 0, None)


def test_a_file_without_the_columns_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("地区代码,职业编码\n350200,4-10-01-05\n", encoding="utf-8")
    with pytest.raises(DemandFileRefused, match="补贴标准"):
        import_demand_file(session, path=path, report_path=tmp_path / "e.csv", by=OFFICER)
