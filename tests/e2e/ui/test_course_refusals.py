"""The publish-a-course form shows the catalogue's refusals as form errors, keeping what was typed."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from tests.factories.accounts import csrf, make_staff, sign_in
from tests.factories.training import COOK, demand, listed_school

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.identity import Role
from skillvoucher.web.app import create_app


def test_a_course_outside_the_registered_scope_is_refused_on_the_form(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        school = listed_school(session)
        demand(session, region_code="350200", valid_from=utc_now().date() - timedelta(days=30))
    staff = make_staff(runtime, "scope.staff", Role.INSTITUTION_STAFF, region_code="350203", institution_id=school)
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, staff).status_code == 303
        form = {"occupation_code": COOK, "level": "4", "title": "中式烹调师（四级）", "hours": "120"}
        form |= {"price_yuan": "1800.5", "mode": "in_person", "region_code": "350203", "capacity": "40"}
        form["csrf_token"] = csrf(client, "/institution/courses")
        refused = client.post("/institution/courses", data=form, follow_redirects=False)
        assert refused.status_code == 403
        assert 'id="form-error"' in refused.text
        assert "不在本机构备案范围内" in refused.text
        assert 'value="中式烹调师（四级）"' in refused.text

        form |= {"price_yuan": "18.005", "csrf_token": csrf(client, "/institution/courses")}
        bad_price = client.post("/institution/courses", data=form, follow_redirects=False)
        assert bad_price.status_code == 422
        assert "最多两位小数" in bad_price.text
