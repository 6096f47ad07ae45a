"""In a real browser: an officer administers staff and looks a worker up; an institution creates an API key."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.factories.accounts import StaffUser, make_staff
from tests.factories.identity import make_id_number, make_phone, make_record
from tests.factories.training import institution_row

from skillvoucher.app import Runtime
from skillvoucher.core import Actor
from skillvoucher.identity import Role, register_person

Screenshot = Callable[[str], Path]

pytestmark = pytest.mark.e2e


def sign_in(page: Page, live_server: str, user: StaffUser) -> None:
    page.goto(live_server + "/sign-in/staff")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(user.password)
    page.get_by_role("button", name="继续").click()
    if user.totp_secret:
        page.get_by_label("6位动态口令").fill(user.next_code())
        page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/account$"))


def test_an_officer_creates_an_account_and_resets_its_password(
    page: Page, live_server: str, runtime: Runtime, screenshot: Screenshot
) -> None:
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    make_staff(runtime, "sm.auditor", Role.AUDITOR, region_code="350203")
    make_staff(runtime, "gz.officer", Role.BUREAU_OFFICER, region_code="440106")  # another city: not listed
    sign_in(page, live_server, officer)

    page.locator(".main-nav").get_by_role("link", name="员工").click()
    expect(page.locator("#staff-table")).to_contain_text("sm.auditor")
    expect(page.locator("#staff-table")).not_to_contain_text("gz.officer")
    screenshot("list")

    page.locator("#new-staff").click()
    page.get_by_label("用户名").fill("xm.auditor")
    page.get_by_label("姓名").fill("王审计")
    page.get_by_label("角色").select_option("auditor")
    page.get_by_label("行政区划代码").fill("350203")
    screenshot("new")
    page.get_by_role("button", name="创建账号").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("账号已创建")
    first = page.locator("#one-time-password").inner_text()
    assert len(first) == 16
    screenshot("created")

    page.get_by_role("link", name="完成").click()
    expect(page.locator("#staff-role")).to_have_text("审计人员")
    screenshot("detail")
    page.locator("#reset-password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("密码已重置")
    assert page.locator("#one-time-password").inner_text() not in ("", first)


def test_an_officer_finds_a_worker_by_id_number_and_sees_their_history(
    page: Page, live_server: str, runtime: Runtime, screenshot: Screenshot
) -> None:
    number = make_id_number("350203")
    with runtime.uow.begin() as session:
        register_person(
            session,
            record=make_record(name="陈美玲", id_number=number, phone=make_phone(), region_code="350203"),
            cipher=runtime.cipher,
            actor=Actor.system("import"),
        )
        register_person(
            session,
            record=make_record(name="陈志强", region_code="350206"),
            cipher=runtime.cipher,
            actor=Actor.system("x"),
        )
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    sign_in(page, live_server, officer)

    page.locator(".main-nav").get_by_role("link", name="人员").click()
    page.get_by_label("姓名或身份证号").fill("陈")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#person-results tbody tr")).to_have_count(2)
    screenshot("by-name")

    page.get_by_label("姓名或身份证号").fill(number)
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#person-results tbody tr")).to_have_count(1)
    assert number not in page.url
    page.get_by_role("link", name="陈美玲").click()
    expect(page.locator("#person-id-number")).to_have_text(number[:4] + "*" * 10 + number[-4:])
    expect(page.locator("#person-history")).to_contain_text("登记入库")
    assert number not in page.content()
    screenshot("person")


def test_an_institution_creates_an_api_key_seen_once(
    page: Page, live_server: str, runtime: Runtime, screenshot: Screenshot
) -> None:
    with runtime.uow.begin() as session:
        institution = institution_row(session)
    clerk = make_staff(runtime, "clerk", Role.INSTITUTION_STAFF, region_code="350203", institution_id=institution)
    sign_in(page, live_server, clerk)
    page.locator(".main-nav").get_by_role("link", name="接口密钥").click()
    page.get_by_label("用途").fill("报名系统")
    page.get_by_role("button", name="创建密钥").click()
    key = page.locator("#new-api-key").inner_text()
    assert key.startswith("svk_")
    expect(page.locator("#api-key-table")).to_contain_text(key[:12])
    screenshot("created")

    page.goto(live_server + "/institution/api-keys")  # shown once: gone on the next view
    expect(page.locator("#new-api-key")).to_have_count(0)
    page.get_by_role("button", name="撤销").click()
    expect(page.locator("#api-key-table")).to_contain_text("已撤销")
    screenshot("revoked")
