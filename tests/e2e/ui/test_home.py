"""In a real browser: the home page in Chinese, switched to English; drilling down regions; searching occupations."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

Screenshot = Callable[[str], Path]

pytestmark = pytest.mark.e2e


def test_home_page_switches_from_chinese_to_english(page: Page, live_server: str, screenshot: Screenshot) -> None:
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("劳动者的“技能充值卡”")
    expect(page.locator(".brand strong")).to_have_text("职业培训券")
    expect(page.get_by_text("1926.72万张")).to_be_visible()
    screenshot("zh_CN")

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("A skill top-up card for every worker")
    expect(page.get_by_text("19.27 million vouchers")).to_be_visible()
    screenshot("en")

    page.goto(live_server + "/occupations")  # the choice is remembered
    expect(page.get_by_role("heading", level=1)).to_have_text("Occupations")
    page.get_by_role("link", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("职业目录")


def test_home_page_on_a_phone(page: Page, live_server: str, screenshot: Screenshot) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot("phone")


def test_regions_drill_down_with_htmx(page: Page, live_server: str, screenshot: Screenshot) -> None:
    page.goto(live_server + "/regions")
    page.get_by_role("link", name=re.compile("福建省")).click()
    expect(page).to_have_url(re.compile(r"/regions/350000$"))
    page.get_by_role("link", name=re.compile("厦门市")).click()
    expect(page).to_have_url(re.compile(r"/regions/350200$"))
    page.get_by_role("link", name=re.compile("思明区")).click()
    expect(page.locator("#region-name")).to_have_text("思明区")
    expect(page.locator(".breadcrumb")).to_contain_text("福建省")
    screenshot("county")

    page.go_back()  # history works after htmx navigation: the whole page comes back
    expect(page).to_have_url(re.compile(r"/regions/350200$"))
    expect(page.locator("#region-name")).to_have_text("厦门市")
    expect(page.locator("header.site-header")).to_have_count(1)
    page.go_forward()
    expect(page.locator("#region-name")).to_have_text("思明区")

    page.get_by_role("link", name="English").click()  # the switch follows htmx navigation
    expect(page).to_have_url(re.compile(r"/regions/350203\?lang=en$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Regions")


def test_occupation_search_updates_as_you_type(page: Page, live_server: str, screenshot: Screenshot) -> None:
    page.goto(live_server + "/occupations")
    page.get_by_label("名称或代码").fill("护理")
    expect(page.get_by_role("cell", name="养老护理员")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/occupations\?q=%E6%8A%A4%E7%90%86$"))
    screenshot("search")
