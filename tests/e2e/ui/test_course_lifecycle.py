"""In a real browser, issue 4's "done means": an institution's staff publish a course and apply to open a class with
its roster, a bureau officer (password and authenticator code) sees the roster's size and approves it, and the
public finds the course by pinyin initials."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.factories.accounts import StaffUser, make_staff
from tests.factories.identity import make_id_number, make_record
from tests.factories.training import demand, listed_school

from skillvoucher.app import Runtime
from skillvoucher.core import Actor, utc_now
from skillvoucher.identity import Role, register_person

Screenshot = Callable[[str], Path]
pytestmark = pytest.mark.e2e
TITLE = "养老护理员（四级）周末班"


def sign_in(page: Page, live_server: str, user: StaffUser, *, code: bool = False) -> None:
    page.goto(live_server + "/sign-in/staff")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(user.password)
    page.get_by_role("button", name="继续").click()
    if code:
        page.get_by_label("6位动态口令").fill(user.next_code())
        page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/account$"))


def test_a_course_is_published_approved_and_found(
    runtime: Runtime, page: Page, live_server: str, screenshot: Screenshot
) -> None:
    today = utc_now().date()
    with runtime.uow.begin() as session:
        school = listed_school(session)  # accredited, registered for 养老护理员 level 4, in Siming (350203)
        demand(session, region_code="350200", valid_from=today - timedelta(days=30))  # Xiamen's demand catalogue
        trainees = [make_id_number("350203") for _ in range(2)]  # two registered workers, the class's roster
        for name, number in zip(("林小妹", "陈大明"), trainees, strict=True):
            record = make_record(name=name, id_number=number, region_code="350203")
            register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("test"))
    staff = make_staff(runtime, "ludao.staff", Role.INSTITUTION_STAFF, region_code="350203", institution_id=school)
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")

    # the institution's staff: its record (accreditation, registered scope), then a course
    sign_in(page, live_server, staff)
    page.locator(".main-nav").get_by_role("link", name="我的机构").click()
    expect(page.locator("#accreditation")).to_contain_text("已认定")
    expect(page.locator("#scope-table")).to_contain_text("4-10-01-05")
    page.locator(".main-nav").get_by_role("link", name="我的课程").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的课程")
    page.locator("#occupation_code").fill("4-10-01-05")
    page.locator("#level").select_option("4")
    page.locator("#title").fill(TITLE)
    page.locator("#hours").fill("120")
    page.locator("#price_yuan").fill("1800.50")
    page.locator("#capacity").fill("40")
    page.locator("#description").fill("理论与实操")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator("#published")).to_be_visible()
    expect(page.locator("#course-table")).to_contain_text(TITLE)
    expect(page.locator("#course-table")).to_contain_text("¥1800.50")

    # apply to open a class on it
    page.locator("#course-table").get_by_role("link", name="申请开班").click()
    start = today + timedelta(days=14)
    page.locator("#start_date").fill(start.isoformat())
    page.locator("#end_date").fill((start + timedelta(days=20)).isoformat())
    page.locator("#class_capacity").fill("30")
    page.locator("#assessment_plan").fill("第三方评价")
    page.locator("#session-start-1").fill(f"{start.isoformat()}T09:00")
    page.locator("#session-end-1").fill(f"{start.isoformat()}T12:00")
    page.locator("#session-topic-1").fill("理论")
    page.locator("#session-place-1").fill("301教室")
    page.locator("#teacher-name-1").fill("王老师")
    page.locator("#teacher-qualification-1").fill("高级技师")
    page.locator("#roster").fill("\n".join(trainees))
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#applied")).to_be_visible()
    expect(page.locator("#class-table")).to_contain_text("待审批")
    expect(page.locator("#class-table .roster-size")).to_have_text("2/30人")
    screenshot("applied")
    page.get_by_role("button", name="退出登录").click()

    # not found before the bureau approves
    page.goto(live_server + "/courses?q=ylhly")
    expect(page.get_by_text("没有符合条件的课程。")).to_be_visible()

    # the officer approves
    sign_in(page, live_server, officer, code=True)
    page.locator(".main-nav").get_by_role("link", name="开班审批").click()
    row = page.locator("#class-table tr", has_text=TITLE)
    expect(row).to_contain_text("厦门鹭岛职业培训学校")
    expect(row.locator(".roster-size")).to_have_text("2/30人")
    row.get_by_text("查看花名册").click()
    expect(row).to_contain_text("林*妹")
    expect(row).to_contain_text(trainees[0][:4] + "*" * 10 + trainees[0][-4:])
    expect(row).not_to_contain_text(trainees[0])
    screenshot("approvals")
    row.get_by_role("button", name="批准").click()
    expect(page.locator("#decided")).to_be_visible()
    page.get_by_role("button", name="退出登录").click()

    # the public finds it by the initials of 养老护理员
    page.goto(live_server + "/courses")
    page.get_by_label("课程、职业或机构").fill("ylhly")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text(f"{start.isoformat()}开班")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the search's last delayed request, before the server stops
    screenshot("found")
