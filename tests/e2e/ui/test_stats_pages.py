"""The statistics pages and files without a browser, on both databases: a city officer's page and its drill-down,
English, and every table's XLSX and CSV with the page's totals; the monthly report's sheets."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.factories.accounts import make_staff, sign_in
from tests.factories.stats import FACE, FUJIAN, HULI, SIMING, XIAMEN, Counted, counted_world
from tests.factories.vouchers import terms

from skillvoucher.app import Runtime
from skillvoucher.identity import Role
from skillvoucher.stats import Subject, count_many
from skillvoucher.vouchers import define_policy
from skillvoucher.web.app import create_app

TABLES = ("months", "regions", "policies", "kinds", "groups", "occupations", "institutions", "pilot")


@pytest.fixture
def world(runtime: Runtime) -> Counted:
    with runtime.uow.begin() as session:
        return counted_world(session)


@pytest.fixture
def officer(runtime: Runtime, world: Counted) -> TestClient:
    user = make_staff(runtime, "xm.stats", Role.BUREAU_OFFICER, region_code=XIAMEN)
    client = TestClient(create_app(runtime))
    assert sign_in(client, user).status_code == 303
    return client


def _title_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}" title="([^"]+)"', html)
    assert found, element_id
    return found.group(1)


def test_the_city_page_shows_the_city_in_chinese_and_drills_down(officer: TestClient, world: Counted) -> None:
    home = officer.get("/stats", follow_redirects=False)
    assert (home.status_code, home.headers["location"]) == (303, f"/stats/{XIAMEN}")
    page = officer.get(f"/stats/{XIAMEN}").text
    assert '<h1 id="stats-scope" data-code="350200">厦门市</h1>' in page
    assert _title_of(page, "headline-issued") == "25,234"  # the exact figure on hover
    assert '<span class="stat-number">2.52万</span>张' in page
    assert _title_of(page, "headline-held") == "9,250,750.00元"
    assert '<span class="stat-number">925.08万元</span>' in page
    assert "33.68%" in page  # 8,500 used of 25,234
    assert (_title_of(page, "headline-trainees"), _title_of(page, "headline-classes")) == ("8,000", "5")
    assert _title_of(page, "headline-institutions") == "2"
    assert f'<option value="{world.face_policy}">厦门市失业人员培训券</option>' in page
    assert '<option value="0">' not in page  # classes belong to no policy: nothing to filter by
    assert f'href="/stats/{SIMING}"' in page
    assert f'href="/stats/{HULI}"' in page
    assert f'href="/stats/{FUJIAN}"' not in page  # never above the officer's own scope
    assert "福州" not in page
    assert 'href="/stats/350200/tables/regions.xlsx"' in page
    assert 'href="/stats/350200/report.xlsx"' in page

    county = officer.get(f"/stats/{SIMING}").text
    assert _title_of(county, "headline-issued") == "16,000"
    breadcrumb = county[
        county.index('id="stats-breadcrumb"') : county.index("</nav>", county.index("stats-breadcrumb"))
    ]
    assert f'href="/stats/{XIAMEN}"' in breadcrumb
    assert "思明区" in breadcrumb
    assert FUJIAN not in breadcrumb
    assert 'id="table-regions"' not in county  # a county has no sub-regions

    for outside in (FUJIAN, "000000", "350102"):
        assert officer.get(f"/stats/{outside}").status_code == 403
    assert officer.get(f"/stats/{FUJIAN}/report.xlsx").status_code == 403


def test_a_scope_with_many_policies_shows_the_largest_and_links_to_each(
    runtime: Runtime, officer: TestClient, world: Counted
) -> None:
    """A targeted policy per class makes thousands of policies in a province: the page lists the 20 largest (each
    a link to the page filtered by it) and offers the 50 largest in the filter, plus the one chosen."""
    with runtime.uow.begin() as session:
        many = [
            define_policy(session, terms=terms(name=f"厦门市第{n}期定向培训券"), today=date(2026, 1, 1), by=None).id
            for n in range(1, 61)
        ]
        count_many(
            session,
            [(Subject(SIMING, 0, policy_id, 202604, kind=FACE), {"issued": n}) for n, policy_id in enumerate(many, 1)],
        )
    page = officer.get(f"/stats/{XIAMEN}").text
    policy_table = page[page.index('id="table-policies"') : page.index("</section>", page.index('id="table-policies"'))]
    assert policy_table.count("<tr data-key=") == 20
    assert "显示前 20 项（共 62 项）" in policy_table
    assert f'href="/stats/{XIAMEN}?policy={world.face_policy}"' in policy_table  # 12,000 issued: the largest
    assert "厦门市第60期定向培训券" in policy_table
    assert "厦门市第1期定向培训券" not in policy_table
    choices = page[page.index('<select id="policy"') : page.index("</select>", page.index('<select id="policy"'))]
    assert choices.count("<option") == 1 + 50
    smallest = officer.get(f"/stats/{XIAMEN}?policy={many[0]}").text
    assert f'<option value="{many[0]}" selected>厦门市第1期定向培训券</option>' in smallest
    assert _title_of(smallest, "headline-issued") == "1"


def test_filters_keep_to_links_and_english_labels(officer: TestClient, world: Counted) -> None:
    page = officer.get(f"/stats/{XIAMEN}", params={"from": "2026-02", "to": "2026-02", "kind": "face_value"}).text
    assert _title_of(page, "headline-issued") == "8,000"
    assert "此前发放的培训券可能使其超过100%。" in page  # why a rate over a range of months may pass 100%
    assert f'href="/stats/{SIMING}?from=2026-02&amp;to=2026-02&amp;kind=face_value"' in page
    assert 'value="2026-02"' in page
    assert '<option value="face_value" selected>' in page
    assert officer.get(f"/stats/{XIAMEN}", params={"from": "2026-04", "to": "2026-01"}).status_code == 422

    english = officer.get(f"/stats/{XIAMEN}", params={"lang": "en"}).text
    assert '<html lang="en">' in english
    for words in ("Training voucher statistics", "By sub-region", "Use rate", "Statistics"):
        assert words in english
    assert '<span class="stat-number">25.23 thousand</span> vouchers' in english
    assert '<span class="stat-number">9.25 million yuan</span>' in english
    assert "Registered unemployed" in english
    assert "Face-value voucher" in english
    assert "养老护理员 – Level 4 (intermediate)" in english
    # approved classes belong to no policy: a row of the kind file, left off the page's kind table (nothing to show)
    kinds = officer.get(f"/stats/{XIAMEN}/tables/kinds.csv", params={"lang": "en"}).content.decode("utf-8-sig")
    assert "\r\nApproved classes (no voucher policy),none,0," in kinds
    assert 'data-key="none"' not in english
    assert "Jan 2026" in english


@pytest.mark.parametrize("table", TABLES)
def test_every_table_downloads_with_the_pages_totals(officer: TestClient, world: Counted, table: str) -> None:
    params = {"from": "2026-02"}
    page = officer.get(f"/stats/{XIAMEN}", params=params).text
    issued = int(_title_of(page, "headline-issued").replace(",", ""))
    used = int(_title_of(page, "headline-used").replace(",", ""))

    xlsx = officer.get(f"/stats/{XIAMEN}/tables/{table}.xlsx", params=params)
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.headers["content-disposition"] == f'attachment; filename="statistics-{XIAMEN}-{table}.xlsx"'
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == (
        {"months": "月份", "regions": "行政区划", "policies": "政策", "kinds": "类型", "groups": "人群"}.get(
            table, header[0]
        ),
        "代码",
        "已发放",
    )
    issued_column, used_column = header.index("已发放"), header.index("已使用")

    text = officer.get(f"/stats/{XIAMEN}/tables/{table}.csv", params=params)
    assert text.headers["content-type"] == "text/csv; charset=utf-8"
    assert text.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert [line[:2] for line in lines] == [[str(c or "") for c in row[:2]] for row in rows]

    if table in ("months", "regions", "policies", "kinds", "pilot"):
        total = rows[-1]
        assert total[0] == "合计"
        assert (total[issued_column], total[used_column]) == (issued, used)
        assert sum(row[issued_column] for row in rows[1:-1]) == issued
        assert lines[-1][issued_column] == str(issued)
    else:
        assert rows[-1][0] != "合计"
    if table in ("occupations", "institutions"):
        assert sum(row[used_column] for row in rows[1:]) == used  # each enrolment has one course


def test_the_monthly_report_has_a_sheet_per_table_in_the_readers_language(officer: TestClient, world: Counted) -> None:
    page = officer.get(f"/stats/{XIAMEN}").text
    report = officer.get(f"/stats/{XIAMEN}/report.xlsx")
    assert report.headers["content-disposition"] == f'attachment; filename="statistics-report-{XIAMEN}.xlsx"'
    book = load_workbook(io.BytesIO(report.content))
    assert book.sheetnames == [
        "总览",
        "按月份",
        "按下级地区",
        "按政策",
        "按券种",
        "按人群",
        "按职业（工种）和等级",
        "按培训机构",
        "试点城市与全面推开",
    ]
    summary = {row[0]: row[1] for row in book["总览"].iter_rows(values_only=True)}
    assert summary["行政区划"] == "厦门市"
    assert summary["统计期间"] == "全部月份"
    assert summary["已发放"] == int(_title_of(page, "headline-issued").replace(",", ""))
    held = Decimal(_title_of(page, "headline-held").removesuffix("元").replace(",", ""))
    assert Decimal(str(summary["占用补贴（元）"])) == held
    months = list(book["按月份"].iter_rows(values_only=True))
    assert months[-1][:3] == ("合计", None, summary["已发放"])

    english = officer.get(f"/stats/{XIAMEN}/report.xlsx", params={"lang": "en", "from": "2026-03"})
    assert english.headers["content-disposition"].endswith('statistics-report-350200-202603.xlsx"')
    book = load_workbook(io.BytesIO(english.content))
    assert book.sheetnames[:3] == ["Summary", "By month", "By sub-region"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert (summary["Months"], summary["Issued"]) == ("2026-03 – …", 1_234)
