"""Statistics files without a database: XLSX that openpyxl reads back with exact figures, CSV with a byte-order mark."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from skillvoucher.reporting import Row, Sheet, Totals, Words, report_xlsx, table_csv, table_xlsx

WORDS = Words(
    code="代码",
    measures={
        "issued": "已发放",
        "claimed": "已领用",
        "used": "已使用",
        "use_rate": "使用率",
        "trainees": "培训人数",
        "classes": "开班数",
        "completed": "已结业",
        "certified": "已取证",
        "forfeited": "已作废",
        "expired": "已过期",
        "revoked": "已撤销",
        "held_fen": "占用金额（元）",
    },
    total="合计",
)
SIMING = Totals(issued=16_000, claimed=12_500, used=6_400, held_fen=725_075_001)
HULI = Totals(issued=9_234, used=2_000, revoked=20)
SHEET = Sheet(
    title="按下级地区",
    label="地区",
    rows=[Row("350203", "思明区", SIMING), Row("350206", "湖里区", HULI)],
    total=SIMING + HULI,
)


def test_a_table_as_xlsx_reads_back_with_exact_figures_and_a_total() -> None:
    book = load_workbook(io.BytesIO(table_xlsx(SHEET, WORDS)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "按下级地区"
    assert rows[0][:5] == ("地区", "代码", "已发放", "已领用", "已使用")
    assert rows[1][:5] == ("思明区", "350203", 16_000, 12_500, 6_400)
    assert Decimal(str(rows[1][-1])) == Decimal("7250750.01")  # ¥ to the fen
    assert rows[1][5] == SIMING.use_rate
    assert rows[2][5] == pytest.approx(HULI.used / HULI.issued, rel=1e-12)
    assert rows[3][:3] == ("合计", None, 25_234)
    assert sheet.cell(2, 6).number_format == "0.00%"


def test_a_table_as_csv_starts_with_a_byte_order_mark_for_excel() -> None:
    content = table_csv(SHEET, WORDS)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines[0][0] == "地区"
    assert lines[1][:6] == ["思明区", "350203", "16000", "12500", "6400", "40.00%"]
    assert lines[1][-1] == "7250750.01"
    assert lines[-1][:3] == ["合计", "", "25234"]


def test_a_table_without_issued_vouchers_has_no_rate() -> None:
    sheet = Sheet("按培训机构", "培训机构", [Row("7", "鹭岛学校", Totals(used=3))])
    assert list(csv.reader(io.StringIO(table_csv(sheet, WORDS).decode("utf-8-sig"))))[1][5] == ""
    assert len(list(load_workbook(io.BytesIO(table_xlsx(sheet, WORDS))).active.iter_rows())) == 2  # no total line


def test_the_report_has_a_summary_and_a_sheet_per_table() -> None:
    summary = [("地区", "厦门市"), ("已发放", 25_234), ("使用率", 0.25), ("占用金额（元）", Decimal("10.50"))]
    other = Sheet("按月份: 2026/01", "月份", [Row("202601", "2026年1月", SIMING)], SIMING)
    book = load_workbook(io.BytesIO(report_xlsx("总览", summary, [SHEET, other], WORDS)))
    assert book.sheetnames == ["总览", "按下级地区", "按月份  2026 01"]  # characters sheet names may not hold
    first = book["总览"]
    assert [(row[0], row[1]) for row in first.iter_rows(values_only=True)] == [
        ("地区", "厦门市"),
        ("已发放", 25_234),
        ("使用率", 0.25),
        ("占用金额（元）", 10.5),
    ]
