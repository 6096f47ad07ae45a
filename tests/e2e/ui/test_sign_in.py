"""In a real browser: staff sign in with password and authenticator code; a worker signs in by scanning the site's
QR code with the e-SSC emulator's phone page (a second browser, the phone) and lands on their page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.factories.accounts import make_staff
from tests.factories.identity import make_id_number

from skillvoucher.app import Runtime
from skillvoucher.essc.emulator import DEMO_PIN
from skillvoucher.identity import Role

Screenshot = Callable[[str], Path]

pytestmark = pytest.mark.e2e


def test_a_bureau_officer_signs_in_with_password_and_authenticator_code(
    page: Page, live_server: str, runtime: Runtime, screenshot: Screenshot
) -> None:
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    page.goto(live_server + "/")
    page.get_by_role("link", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    screenshot("choose")
    page.locator("#choose-staff").click()
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill(officer.password)
    screenshot("password")
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("动态口令")
    page.get_by_label("6位动态口令").fill(officer.next_code())
    screenshot("code")
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator("#account-role")).to_have_text("人社部门工作人员")
    expect(page.locator("#account-region")).to_contain_text("厦门市")
    expect(page.locator(".main-nav")).to_contain_text("人员")
    expect(page.locator(".main-nav")).to_contain_text("员工")
    screenshot("account")
    page.get_by_role("link", name="English").click()
    expect(page.locator("#account-role")).to_have_text("Bureau officer")
    screenshot("account-en")
    page.get_by_role("link", name="中文").click()

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(live_server + "/")
    expect(page.locator(".viewer")).to_contain_text("登录")


def test_an_officers_first_sign_in_sets_up_the_authenticator(
    page: Page, live_server: str, runtime: Runtime, screenshot: Screenshot
) -> None:
    officer = make_staff(runtime, "new.officer", Role.BUREAU_OFFICER, region_code="350203", totp=False)
    page.goto(live_server + "/sign-in/staff")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill(officer.password)
    page.get_by_role("button", name="继续").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("设置动态口令")
    expect(page.locator(".qr-box svg")).to_be_visible()
    screenshot("authenticator")
    page.get_by_text("无法扫码？手动输入密钥").click()
    secret = page.locator("#totp-key").inner_text().replace(" ", "")
    page.get_by_label("6位动态口令").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="确认并登录").click()

    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator("#totp-status")).to_contain_text("已于")


def test_a_worker_signs_in_by_scanning_the_qr_code(
    page: Page, browser: Browser, live_server: str, screenshot: Screenshot
) -> None:
    id_number = make_id_number("350203")
    page.goto(live_server + "/sign-in")
    page.locator("#choose-worker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("电子社保卡登录")
    expect(page.locator("#device-qr svg")).to_be_visible()
    user_code = page.locator("#user-code").inner_text()
    verification_url = page.locator("#verification-link").get_attribute("href")
    assert verification_url
    assert user_code in verification_url
    screenshot("qr")

    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    try:
        phone = phone_context.new_page()
        phone.set_default_timeout(5000)
        phone.goto(verification_url)  # what scanning the QR code opens
        phone.locator("select#holder").select_option("other")
        phone.locator("#id_number").fill(id_number)
        phone.locator("#name").fill("陈晓燕")
        phone.locator("#pin").fill(DEMO_PIN)
        phone.locator("#confirm-pin").click()
        expect(phone.locator("#result")).to_have_attribute("data-result", "approved")
    finally:
        phone_context.close()

    # htmx polls every few seconds; the answer sends the browser to the worker's page
    expect(page).to_have_url(re.compile(r"/me$"), timeout=20_000)
    expect(page.locator("#worker-name")).to_have_text("陈晓燕")
    expect(page.locator("#worker-id-number")).to_have_text(id_number[:4] + "*" * 10 + id_number[-4:])
    expect(page.locator("#my-vouchers-link")).to_be_visible()
    assert id_number not in page.content()
    screenshot("me")


def test_the_sign_in_pages_fit_a_phone(page: Page, live_server: str, screenshot: Screenshot) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    for path, label in (("/sign-in", "choose"), ("/sign-in/worker", "qr"), ("/sign-in/staff", "staff")):
        page.goto(live_server + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone"
        screenshot(label)
