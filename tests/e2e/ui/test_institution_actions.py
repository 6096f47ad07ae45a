"""Institution pages without a browser: a class's roster (typed, or a file), cancelling a class with a reason,
withdrawing a course; each with its message, and refusals shown on the page with nothing changed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.factories.accounts import csrf, make_staff, sign_in
from tests.factories.identity import make_id_number, make_record
from tests.factories.training import applied_class

from skillvoucher import training
from skillvoucher.app import Runtime
from skillvoucher.core import Actor, utc_now
from skillvoucher.identity import Role, register_person
from skillvoucher.web.app import create_app


def test_staff_set_a_roster_by_text_and_by_file_and_cancel_the_class(runtime: Runtime) -> None:
    numbers = [make_id_number("350203") for _ in range(3)]
    with runtime.uow.begin() as session:
        school, class_id = applied_class(session, today=utc_now().date(), capacity=3)
        _, other_class = applied_class(session, today=utc_now().date())
        for number in numbers:
            record = make_record(name="王小明", id_number=number)
            register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("test"))
    staff = make_staff(runtime, "roster.staff", Role.INSTITUTION_STAFF, region_code="350203", institution_id=school)
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, staff).status_code == 303
        page = client.get("/institution/classes")
        assert f'id="roster-size-{class_id}"' in page.text
        roster_path = f"/institution/classes/{class_id}/roster"

        typed = {"id_numbers": f"{numbers[0]}\n{numbers[0]}\n123", "csrf_token": csrf(client, "/institution/classes")}
        refused = client.post(roster_path, data=typed, follow_redirects=False)
        assert refused.status_code == 422
        assert refused.headers["cache-control"] == "no-store"  # it shows the numbers as typed, to correct them
        assert 'id="form-error"' in refused.text
        assert "repeats line 1" in refused.text
        assert "line 3" in refused.text

        typed = {"id_numbers": "\n".join(numbers[:2]), "csrf_token": csrf(client, "/institution/classes")}
        saved = client.post(roster_path, data=typed, follow_redirects=False)
        assert (saved.status_code, saved.headers["location"]) == (303, "/institution/classes?roster_saved=2")
        listed = client.get(saved.headers["location"]).text
        assert 'id="roster-saved"' in listed
        assert "王*明" in listed
        assert all(number not in listed for number in numbers)

        upload = f"姓名,身份证号码\n王小明,{numbers[2]}\n".encode("gb18030")
        files = {"file": ("花名册.csv", upload, "text/csv")}
        by_file = client.post(
            roster_path, data={"csrf_token": csrf(client, "/institution/classes")}, files=files, follow_redirects=False
        )
        assert by_file.headers["location"] == "/institution/classes?roster_saved=1"

        elsewhere = {"id_numbers": numbers[0], "csrf_token": csrf(client, "/institution/classes")}
        other = client.post(f"/institution/classes/{other_class}/roster", data=elsewhere, follow_redirects=False)
        assert other.status_code == 403

        cancel_path = f"/institution/classes/{class_id}/cancellation"
        blank = client.post(cancel_path, data={"reason": " ", "csrf_token": csrf(client, "/institution/classes")})
        assert blank.status_code == 422
        assert 'id="form-error"' in blank.text
        done = client.post(
            cancel_path,
            data={"reason": "招生不足", "csrf_token": csrf(client, "/institution/classes")},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/institution/classes?cancelled=1"
        after = client.get(done.headers["location"]).text
        assert 'id="cancelled"' in after
        assert "招生不足" in after
        assert f'action="/institution/classes/{class_id}/roster"' not in after  # frozen: no form any more
    with runtime.uow.read() as session:
        roster = training.class_roster(session, class_id=class_id, cipher=runtime.cipher, by=None)
        assert (roster.state, len(roster.trainees)) == ("cancelled", 1)
        assert training.class_roster(session, class_id=other_class, cipher=runtime.cipher, by=None).trainees == ()


def test_staff_withdraw_a_course_and_apply_with_a_roster_or_not_at_all(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        school, class_id = applied_class(session, today=utc_now().date())
        course_id = session.get_one(training.TrainingClass, class_id).course_id
    staff = make_staff(runtime, "withdraw.staff", Role.INSTITUTION_STAFF, region_code="350203", institution_id=school)
    unknown = make_id_number("350203")
    with TestClient(create_app(runtime)) as client:
        assert sign_in(client, staff).status_code == 303
        start = utc_now().date().replace(year=utc_now().year + 1).isoformat()
        form = {
            "course_id": str(course_id), "start_date": start, "end_date": start, "capacity": "10",
            "assessment_plan": "第三方评价", "session_start": f"{start}T09:00", "session_end": f"{start}T12:00",
            "session_topic": "理论", "session_place": "301", "teacher_name": "王老师", "teacher_qualification": "技师",
            "roster": unknown, "csrf_token": csrf(client, "/institution/classes"),
        }  # fmt: skip
        refused = client.post("/institution/classes", data=form, follow_redirects=False)
        assert refused.status_code == 422
        assert "no such person in the registry" in refused.text
        with runtime.uow.read() as session:  # the class was not created without its roster
            assert len(training.institution_classes(session, school)) == 1

        path = f"/institution/courses/{course_id}/withdrawal"
        withdrawn = client.post(
            path, data={"reason": "停办", "csrf_token": csrf(client, "/institution/courses")}, follow_redirects=False
        )
        assert withdrawn.headers["location"] == "/institution/courses?withdrawn=1"
        page = client.get(withdrawn.headers["location"]).text
        assert 'id="withdrawn"' in page
        assert path not in page  # a withdrawn course has no withdraw button
        not_ours = client.post(
            "/institution/courses/999999/withdrawal", data={"csrf_token": csrf(client, "/institution/courses")}
        )
        assert not_ours.status_code == 404
        assert 'id="form-error"' in not_ours.text
    with runtime.uow.read() as session:
        assert training.get_course(session, course_id).status == "withdrawn"
