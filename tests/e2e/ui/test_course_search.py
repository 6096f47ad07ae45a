"""In a real browser: a course an institution published, whose class an officer approved, is found by initials."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.factories.training import course_details, demand, listed_school

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.training import ClassPlan, SessionPlan, Teacher, apply_for_class, decide_class, publish_course

Screenshot = Callable[[str], Path]
pytestmark = pytest.mark.e2e
OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code="350200")


def test_the_public_finds_an_approved_course_by_pinyin_initials(
    runtime: Runtime, page: Page, live_server: str, screenshot: Screenshot
) -> None:
    today = utc_now().date()
    with runtime.uow.begin() as session:
        school = listed_school(session)
        demand(session, valid_from=today - timedelta(days=30))
        staff = Principal(Role.INSTITUTION_STAFF, 1, institution_id=school)
        course = publish_course(session, details=course_details(school), today=today, by=staff)  # type: ignore[arg-type]
        start = today + timedelta(days=14)
        at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)
        plan = ClassPlan(
            course.id, start, start + timedelta(days=20), 30, "第三方评价",
            [SessionPlan(at, at + timedelta(hours=3), "理论", "301")], [Teacher("王老师", "高级技师")],
        )  # fmt: skip
        applied = apply_for_class(session, plan=plan, today=today, by=staff)
    page.goto(live_server + "/courses?q=ylhly")
    expect(page.get_by_text("没有符合条件的课程。")).to_be_visible()  # not before the bureau approves the class
    with runtime.uow.begin() as session:
        decide_class(session, class_id=applied.id, approve=True, by=OFFICER)
    page.goto(live_server + "/courses")
    expect(page.get_by_role("heading", level=1)).to_have_text("培训课程")
    page.get_by_label("课程、职业或机构").fill("ylhly")
    expect(page.get_by_role("heading", name="养老护理员（四级）周末班")).to_be_visible()
    expect(page.get_by_text(f"{start.isoformat()}开班")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/courses\?q=ylhly&"))  # the search is in the address, to share
    screenshot("found")
