"""Bureau pages without a browser: the accreditation queue changes a state with a reason; a class is rejected only
with one; an officer sees only their region."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from tests.factories.accounts import csrf, make_staff, sign_in
from tests.factories.training import course_details, demand, institution_row, listed_school

from skillvoucher import training
from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.identity import Principal, Role
from skillvoucher.web.app import create_app


def test_an_officer_accredits_an_applicant_with_a_reason(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        applicant = institution_row(session, name="思明新开培训学校", accreditation="applied")
        institution_row(session, region_code="440106", name="天河培训学校", accreditation="applied")
    officer = make_staff(runtime, "queue.officer", Role.BUREAU_OFFICER, region_code="350200")
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, officer).status_code == 303
        queue = client.get("/bureau/institutions")
        assert "思明新开培训学校" in queue.text
        assert "天河培训学校" not in queue.text
        assert client.get("/bureau/institutions", params={"region": "440106"}).status_code == 403

        form = {
            "to": "accredited",
            "reason": "  ",
            "region": "350200",
            "csrf_token": csrf(client, "/bureau/institutions"),
        }
        blank = client.post(f"/bureau/institutions/{applicant}/accreditation", data=form, follow_redirects=False)
        assert blank.status_code == 422
        assert 'id="form-error"' in blank.text

        form |= {"reason": "材料齐全", "csrf_token": csrf(client, "/bureau/institutions")}
        done = client.post(f"/bureau/institutions/{applicant}/accreditation", data=form, follow_redirects=False)
        assert done.status_code == 303
        assert client.get(done.headers["location"]).text.count("材料齐全") == 1
    with runtime.uow.read() as session:
        assert training.get_institution(session, applicant).accreditation == "accredited"


def test_a_class_is_rejected_only_with_a_reason(runtime: Runtime) -> None:
    today = utc_now().date()
    with runtime.uow.begin() as session:
        school = listed_school(session)
        demand(session, valid_from=today - timedelta(days=30))
        staff = Principal(Role.INSTITUTION_STAFF, 1, institution_id=school)
        course = training.publish_course(session, details=course_details(school), today=today, by=staff)  # type: ignore[arg-type]
        start = today + timedelta(days=7)
        at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)
        plan = training.ClassPlan(
            course.id, start, start, 20, "第三方评价",
            [training.SessionPlan(at, at + timedelta(hours=3), "理论", "301")], [training.Teacher("王老师", "技师")],
        )  # fmt: skip
        applied = training.apply_for_class(session, plan=plan, today=today, by=staff).id
    officer = make_staff(runtime, "class.officer", Role.BUREAU_OFFICER, region_code="350200")
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, officer).status_code == 303
        form = {"decision": "reject", "reason": "", "csrf_token": csrf(client, "/bureau/classes")}
        refused = client.post(f"/bureau/classes/{applied}/decision", data=form, follow_redirects=False)
        assert refused.status_code == 422
        assert 'id="form-error"' in refused.text
        form |= {"reason": "师资不足", "csrf_token": csrf(client, "/bureau/classes")}
        assert client.post(f"/bureau/classes/{applied}/decision", data=form, follow_redirects=False).status_code == 303
        rejected = client.get("/bureau/classes", params={"state": "rejected"})
        assert "养老护理员（四级）周末班" in rejected.text
