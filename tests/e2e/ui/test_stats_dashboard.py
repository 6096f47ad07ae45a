"""In a real browser, the statistics dashboard (issue 7): an officer of Xiamen signs in and sees only Xiamen's figures,
drills down into a county and back up, filters by month, switches to English, and downloads the monthly report and a
table as XLSX, whose totals are the page's."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from tests.e2e.ui.test_course_lifecycle import sign_in
from tests.factories.accounts import make_staff
from tests.factories.stats import SIMING, XIAMEN, counted_world

from skillvoucher.app import Runtime
from skillvoucher.identity import Role

Screenshot = Callable[[str], Path]
pytestmark = pytest.mark.e2e


def exact(page: Page, selector: str) -> int:
    """The exact figure a headline number shows on hover."""
    title = page.locator(selector).get_attribute("title")
    assert title, selector
    return int(re.sub(r"\D", "", title))


def download(page: Page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.locator(selector).click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_a_city_officer_reads_drills_down_switches_language_and_exports(
    runtime: Runtime, page: Page, live_server: str, screenshot: Screenshot
) -> None:
    with runtime.uow.begin() as session:
        counted_world(session)  # Xiamen's two counties, three months, two kinds; and Fuzhou, elsewhere in Fujian
    officer = make_staff(runtime, "xm.stats", Role.BUREAU_OFFICER, region_code=XIAMEN)

    sign_in(page, live_server, officer, code=True)
    page.locator(".main-nav").get_by_role("link", name="统计分析").click()
    expect(page).to_have_url(re.compile(rf"/stats/{XIAMEN}$"))
    expect(page.locator("#stats-scope")).to_have_text("厦门市")
    expect(page.locator("#headline-issued")).to_have_text("2.52万张")
    assert exact(page, "#headline-issued") == 25_234
    expect(page.locator("#headline-used")).to_have_text("8500张")
    expect(page.locator("#headline-use-rate")).to_have_text("33.68%")
    expect(page.locator("#headline-held")).to_have_text("925.08万元")
    # only the city: no province above it in the way back, no other city beside it
    expect(page.locator("#stats-breadcrumb li")).to_have_count(1)
    expect(page.locator("body")).not_to_contain_text("福建省")
    expect(page.locator("body")).not_to_contain_text("福州")
    for chart in ("#chart-months", "#chart-kinds", "#chart-groups"):
        expect(page.locator(chart)).to_have_attribute("data-rendered", "true")
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
    # a tooltip: drawn on the canvas, since the pages' Content-Security-Policy refuses ECharts' styled HTML ones
    # (the `page` fixture fails the test on any browser error)
    page.locator("#chart-months").hover(position={"x": 300, "y": 150})
    page.locator("#chart-kinds").hover(position={"x": 200, "y": 100})
    screenshot("city")

    # down into a county, and back up by the breadcrumb
    page.locator("#table-regions").get_by_role("link", name="思明区").click()
    expect(page).to_have_url(re.compile(rf"/stats/{SIMING}$"))
    expect(page.locator("#stats-scope")).to_have_text("思明区")
    assert exact(page, "#headline-issued") == 16_000
    expect(page.locator("#stats-breadcrumb li")).to_have_text(["厦门市", "思明区"])
    expect(page.locator("#table-regions")).to_have_count(0)
    screenshot("county")
    page.locator("#stats-breadcrumb").get_by_role("link", name="厦门市").click()
    expect(page).to_have_url(re.compile(rf"/stats/{XIAMEN}$"))

    # the months of 2026-02 onwards
    page.locator("#from").fill("2026-02")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"from=2026-02"))
    assert exact(page, "#headline-issued") == 25_234 - 12_000

    # in English
    page.locator("#language-switch").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".eyebrow")).to_have_text("Training voucher statistics")
    expect(page.locator("#title-regions")).to_have_text("By sub-region")
    expect(page.locator("#headline-issued")).to_have_text("13.23 thousand vouchers")
    expect(page.locator(".main-nav")).to_contain_text("Statistics")
    expect(page.locator("#chart-months")).to_have_attribute("data-rendered", "true")
    screenshot("english")

    # the monthly report and one table, as files: their totals are the page's
    issued, used = exact(page, "#headline-issued"), exact(page, "#headline-used")
    report = load_workbook(io.BytesIO(download(page, "#report-download")))
    assert report.sheetnames[0] == "Summary"
    summary = {row[0]: row[1] for row in report["Summary"].iter_rows(values_only=True)}
    assert (summary["Region"], summary["Months"], summary["Issued"], summary["Used"]) == (
        "厦门市",
        "2026-02 – …",
        issued,
        used,
    )
    months = list(report["By month"].iter_rows(values_only=True))
    assert [row[1] for row in months[1:-1]] == ["202602", "202603"]
    assert months[-1][:3] == ("Total", None, issued)

    regions = list(
        load_workbook(io.BytesIO(download(page, "[data-download=regions-xlsx]"))).active.iter_rows(values_only=True)
    )
    column = regions[0].index("Issued")
    assert regions[-1][0] == "Total"
    assert regions[-1][column] == sum(row[column] for row in regions[1:-1]) == issued
