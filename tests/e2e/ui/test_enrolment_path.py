"""In a real browser, using a voucher (issue "Using a voucher"): the institution's staff verify a worker's voucher by
its typed code; the worker confirms on their own page after confirming their identity with the e-SSC; at each of the
two sessions the worker "scans" the classroom screen's code (the check-in URL the QR code encodes, opened in the
worker's browser); an assessor passes them; the certificate is in the worker's record and on the public check page.

The class's days are set on the app's clock (`runtime.clock`); sign-ins and e-SSC confirmations run in real time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.ui.conftest import ARTIFACTS
from tests.e2e.ui.test_course_lifecycle import sign_in
from tests.e2e.ui.test_vouchers import confirm_on_phone
from tests.factories.accounts import make_staff
from tests.factories.enrolment import AT, SECOND_SESSION, ready_class, voucher_holder
from tests.factories.vouchers import OFFICER

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.enrolment import revoke_certificate
from skillvoucher.identity import Person, Role
from skillvoucher.web import auth

Screenshot = Callable[[str], Path]
pytestmark = pytest.mark.e2e
ENROLLING = AT.replace(day=1)


def phone_shot(phone: Page, label: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / f"enrolment-path-phone-{label}.png"), full_page=True)


class MovableClock:
    def __init__(self) -> None:
        self.at: datetime | None = None

    def now(self) -> datetime:
        return self.at or utc_now()


def test_a_voucher_is_verified_confirmed_attended_assessed_and_certified(
    runtime: Runtime,
    page: Page,
    browser: Browser,
    live_server: str,
    screenshot: Screenshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = MovableClock()
    runtime.clock = clock  # the served app reads the runtime's clock on every request
    with runtime.uow.begin() as session:
        setup = ready_class(session)
        worker, voucher = voucher_holder(session, runtime.cipher, setup)
        holder = session.get(Person, worker.account_id)
        assert holder is not None
        number = runtime.cipher.decrypt("id_number", holder.id_number_encrypted)
        code = voucher.code
    staff = make_staff(
        runtime, "ludao.staff", Role.INSTITUTION_STAFF, region_code="350203", institution_id=setup.school
    )
    body = setup.assessor.assessment_body_id
    assessor = make_staff(runtime, "xm.assessor", Role.ASSESSOR, region_code="350200", assessment_body_id=body)

    # the worker signs in on their phone
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(5000)
    phone.goto(live_server + "/sign-in/worker")
    confirm_on_phone(browser, phone, id_number=number, name="林小明")
    expect(phone).to_have_url(re.compile(r"/me$"), timeout=20_000)

    # the institution's staff verify the voucher by its typed code
    sign_in(page, live_server, staff)
    clock.at = ENROLLING
    page.locator(".main-nav").get_by_role("link", name="我的班级").click()
    page.locator(f"#class-{setup.class_id}").get_by_role("link", name="核验培训券").click()
    page.locator("#presented").fill(code)
    page.get_by_role("button", name="核验", exact=True).click()
    expect(page.locator("#offer-holder")).to_have_text("林*明")
    expect(page.locator("#offer-value")).to_have_text("¥1000.00")
    expect(page.locator("#offer-waiting")).to_contain_text("等待劳动者在本人手机上确认")
    assert number not in page.content()
    screenshot("verified")

    # the worker confirms, after confirming their identity again (their sign-in is some minutes old now)
    later = [timedelta(minutes=11)]
    monkeypatch.setattr(auth, "utc_now", lambda: utc_now() + later[0])
    phone.locator(".main-nav").get_by_role("link", name="我的报名").click()
    expect(phone.locator("#pending-table")).to_contain_text("厦门鹭岛职业培训学校")
    expect(phone.locator("#confirm-first")).to_be_visible()
    later[0] = timedelta(0)
    clock.at = None  # the e-SSC confirmation happens in real time
    phone.locator("#confirm-link").click()
    confirm_on_phone(browser, phone, id_number=number, name="林小明")
    expect(phone).to_have_url(re.compile(r"/worker/enrolments$"), timeout=20_000)
    clock.at = ENROLLING
    phone.get_by_role("button", name="确认报名").click()
    expect(phone.locator("#enrolment-confirmed")).to_be_visible()
    expect(phone.locator("#record-table")).to_contain_text("已报名")
    phone_shot(phone, "confirmed")

    # at each session, the worker scans the classroom screen's code
    for index, at in enumerate((AT, SECOND_SESSION + timedelta(minutes=5))):
        clock.at = at
        page.goto(f"{live_server}/institution/classes/{setup.class_id}/evidence")
        page.locator(f"tr[data-session='{setup.session_ids[index]}']").get_by_role("link", name="签到屏幕").click()
        expect(page.locator("#screen-qr svg")).to_be_visible()
        expect(page.locator("#check-in-count")).to_have_text("0")
        scanned = page.locator("#screen-code-text").inner_text().strip()
        if index == 0:
            screenshot("screen")
        phone.goto(f"{live_server}/worker/check-in?code={scanned}")
        expect(phone.locator("#code")).to_have_value(scanned)
        phone.get_by_role("button", name="签到", exact=True).click()
        expect(phone.locator("#checked-in")).to_contain_text(("理论", "实操")[index])
        page.reload()
        expect(page.locator("#check-in-count")).to_have_text("1")
    phone_shot(phone, "checked-in")
    page.goto(f"{live_server}/institution/classes/{setup.class_id}/evidence")
    expect(page.locator("#evidence-table .strong-sessions")).to_have_text("2")
    screenshot("evidence")

    # an assessor of an independent body passes them
    page.get_by_role("button", name="退出登录").click()
    clock.at = None
    sign_in(page, live_server, assessor)
    clock.at = SECOND_SESSION + timedelta(hours=4)
    page.locator(".main-nav").get_by_role("link", name="考核评价").click()
    page.locator(f"tr[data-class='{setup.class_id}']").get_by_role("link", name="录入结果").click()
    page.locator("#results-table select").select_option("pass")
    page.locator("#results-table input[name=score]").fill("90")
    page.get_by_role("button", name="提交考核结果").click()
    expect(page.locator("#outcome-table")).to_contain_text("已结业")
    serial = page.locator("#outcome-table .certificate a").inner_text().strip()
    assert re.fullmatch(r"\d{20}[\dX]", serial)
    screenshot("assessed")

    # the certificate is in the worker's record, and anyone can check it
    phone.locator(".main-nav").get_by_role("link", name="我的培训档案").click()
    expect(phone.locator("#record-table .certificate")).to_contain_text(serial)
    expect(phone.locator("#record-table .strong-minutes")).to_have_text("360")
    phone_shot(phone, "record")
    phone.locator("#record-table .certificate a").click()
    expect(phone.locator("#certificate-status")).to_contain_text("有效")
    phone_context.close()

    page.get_by_role("button", name="退出登录").click()
    page.locator(".site-footer").get_by_role("link", name="证书查验").click()
    page.locator("#serial").fill(serial)
    page.get_by_role("button", name="查验", exact=True).click()
    expect(page.locator("#certificate-status")).to_contain_text("有效")
    expect(page.locator("#certificate-holder")).to_have_text("林*明")
    screenshot("certificate")
    with runtime.uow.begin() as session:
        revoke_certificate(session, serial=serial, reason="考核舞弊", by=OFFICER)
    page.reload()
    expect(page.locator("#certificate-status")).to_contain_text("已撤销")
    expect(page.locator("#certificate-status")).to_contain_text("考核舞弊")
    screenshot("revoked")
