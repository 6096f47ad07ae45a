"""In a real browser, the voucher pages (issue 5): an officer (password and authenticator code) defines a policy and
issues it to everyone eligible, watching the batch's progress bar reach 100%; a registered worker signs in with the
e-SSC, sees the voucher, confirms their identity again to claim one from an open policy, and shows its QR code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.ui.test_course_lifecycle import sign_in
from tests.factories.accounts import make_staff
from tests.factories.identity import make_id_number, make_record

from skillvoucher.app import Runtime
from skillvoucher.core import Actor, utc_now
from skillvoucher.essc.emulator import DEMO_PIN
from skillvoucher.identity import PopulationGroup, Role, register_person
from skillvoucher.vouchers import Eligibility, FixedValue, PolicyKind, PolicyTerms, Validity, define_policy
from skillvoucher.web import auth

Screenshot = Callable[[str], Path]
pytestmark = pytest.mark.e2e
POLICY = "厦门市2026年失业人员培训券"
OPEN_POLICY = "厦门市养老护理员培训券（申领）"


def confirm_on_phone(browser: Browser, page: Page, *, id_number: str, name: str) -> None:
    """What the worker's phone does with the QR code on `page`: open it and confirm with the PIN."""
    url = page.locator("#verification-link").get_attribute("href")
    assert url
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    try:
        phone = phone_context.new_page()
        phone.set_default_timeout(5000)
        phone.goto(url)
        phone.locator("select#holder").select_option("other")
        phone.locator("#id_number").fill(id_number)
        phone.locator("#name").fill(name)
        phone.locator("#pin").fill(DEMO_PIN)
        phone.locator("#confirm-pin").click()
        expect(phone.locator("#result")).to_have_attribute("data-result", "approved")
    finally:
        phone_context.close()


def test_an_officer_issues_a_batch_and_a_worker_claims_and_shows_a_voucher(
    runtime: Runtime,
    page: Page,
    browser: Browser,
    live_server: str,
    screenshot: Screenshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = utc_now().date()
    worker_number = make_id_number("350203")
    with runtime.uow.begin() as session:
        for number, name in ((worker_number, "陈晓燕"), (make_id_number("350203"), "林小妹")):
            record = make_record(name=name, id_number=number, region_code="350203", groups=PopulationGroup.UNEMPLOYED)
            register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("test"))
        open_terms = PolicyTerms(
            name=OPEN_POLICY,
            kind=PolicyKind.FACE_VALUE,
            region_code="350200",
            funding_source="就业补助资金",
            opens_on=today,
            closes_on=today + timedelta(days=60),
            value=FixedValue(80_000),
            validity=Validity(days_from_claim=90),
            eligibility=Eligibility(),
            claimable=True,
        )
        define_policy(session, terms=open_terms, today=today, by=None)
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")

    # the officer defines a policy on the page
    sign_in(page, live_server, officer, code=True)
    page.locator(".main-nav").get_by_role("link", name="培训券政策").click()
    expect(page.locator("#policy-table")).to_contain_text(OPEN_POLICY)
    page.get_by_role("link", name="新建政策").click()
    page.locator("#name").fill(POLICY)
    page.locator("#funding_source").fill("就业补助资金")
    page.locator("#closes_on").fill((today + timedelta(days=90)).isoformat())
    page.locator("#value_yuan").fill("1500.50")
    page.locator("#valid_until").fill((today + timedelta(days=365)).isoformat())
    page.locator("input[name=groups][value='1']").check()  # registered unemployed
    page.locator("#quantity_cap").fill("1000")
    screenshot("new-policy")
    page.get_by_role("button", name="创建政策").click()
    expect(page.locator("#defined")).to_be_visible()
    expect(page.locator("#policy-name")).to_have_text(POLICY)
    expect(page.locator("#policy-value")).to_have_text("¥1500.50")

    # … and issues it to everyone eligible: the batch's page shows its progress until it is done
    page.get_by_role("button", name="按规则批量发放").click()
    expect(page).to_have_url(re.compile(r"/bureau/jobs/\d+$"))
    bar = page.locator("#job-bar")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("value", "100", timeout=15_000)
    expect(page.locator("#job-state")).to_have_attribute("data-state", "finished")
    expect(page.locator("#job-percent")).to_have_text("100%")
    expect(page.locator("#job-issued")).to_have_text("2")
    screenshot("batch")
    page.get_by_role("button", name="退出登录").click()

    # the worker signs in with the e-SSC and finds the voucher
    page.goto(live_server + "/sign-in/worker")
    confirm_on_phone(browser, page, id_number=worker_number, name="陈晓燕")
    expect(page).to_have_url(re.compile(r"/me$"), timeout=20_000)
    page.locator(".main-nav").get_by_role("link", name="我的培训券").click()
    row = page.locator("#voucher-table tr", has_text=POLICY)
    expect(row).to_contain_text("¥1500.50")
    expect(row).to_contain_text("已发放")

    # claiming needs a recent confirmation: some minutes later, the page asks for one first
    later: list[timedelta] = [timedelta(minutes=11)]
    monkeypatch.setattr(auth, "utc_now", lambda: _shifted(utc_now(), later[0]))
    page.locator(".main-nav").get_by_role("link", name="申领培训券").click()
    expect(page.locator("#offer-table")).to_contain_text(OPEN_POLICY)
    expect(page.locator("#confirm-first")).to_be_visible()
    expect(page.get_by_role("button", name="申领", exact=True)).to_have_count(0)
    later[0] = timedelta(0)  # the confirmation happens now
    page.locator("#confirm-link").click()
    confirm_on_phone(browser, page, id_number=worker_number, name="陈晓燕")
    expect(page).to_have_url(re.compile(r"/worker/policies$"), timeout=20_000)
    page.get_by_role("button", name="申领", exact=True).click()
    expect(page.locator("#claimed")).to_be_visible()
    claimed = page.locator("#voucher-table tr", has_text=OPEN_POLICY)
    expect(claimed).to_contain_text("已领用")
    expect(claimed).to_contain_text("¥800.00")
    screenshot("my-vouchers")

    # … and shows its QR code
    claimed.get_by_role("link", name="出示二维码").click()
    expect(page.locator("#voucher-qr svg")).to_be_visible()
    expect(page.locator("#holder")).to_have_text("陈*燕")
    expect(page.locator("#voucher-number")).to_have_text(re.compile(r"^([0-9a-f]{4} ){7}[0-9a-f]{4}$"))
    expect(page.locator("#code-lifetime")).to_contain_text("120")
    assert worker_number not in page.content()
    screenshot("qr")


def _shifted(now: datetime, by: timedelta) -> datetime:
    return now + by
