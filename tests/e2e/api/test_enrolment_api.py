"""The enrolment API end to end, on both databases: an institution verifies a voucher, the worker confirms, checks in
at both sessions with the screen's codes, an assessor passes them, the public checks the certificate and an officer
revokes it — and the refusals: another institution, forged and expired codes, a stranger, a stale confirmation, the
assessor of the institution itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.factories.accounts import csrf, make_staff, sign_in, sign_in_worker
from tests.factories.enrolment import AT, SECOND_SESSION, ClassSetup, ready_class, voucher_holder
from tests.factories.vouchers import person

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.identity import Person, Role
from skillvoucher.training import AssessmentBody, Institution
from skillvoucher.vouchers import Voucher
from skillvoucher.web import auth
from skillvoucher.web.app import create_app

ENROLLING = AT.replace(day=1)  # 2026-12-01, before the class


class MovableClock:
    """The real time until a test sets `at` (sign-ins happen in real time; the class's days are set)."""

    def __init__(self) -> None:
        self.at: datetime | None = None

    def now(self) -> datetime:
        return self.at or utc_now()


@dataclass
class World:
    app: FastAPI
    runtime: Runtime
    clock: MovableClock
    setup: ClassSetup
    voucher: Voucher
    staff: TestClient
    other_staff: TestClient
    worker: TestClient
    stranger: TestClient
    assessor: TestClient
    officer: TestClient
    public: TestClient


def _staff_client(app: FastAPI, runtime: Runtime, username: str, role: Role, **binding: object) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    user = make_staff(runtime, username, role, **binding)  # type: ignore[arg-type]
    assert sign_in(client, user).status_code == 303
    client.headers["X-CSRF-Token"] = csrf(client, "/account")
    return client


def _worker_client(app: FastAPI, runtime: Runtime, person_id: int) -> TestClient:
    with runtime.uow.read() as session:
        holder = session.get(Person, person_id)
        assert holder is not None
        number = runtime.cipher.decrypt("id_number", holder.id_number_encrypted)
    client = TestClient(app, raise_server_exceptions=False)
    assert sign_in_worker(app, client, id_number=number, name="林小明").headers["HX-Redirect"] == "/me"
    client.headers["X-CSRF-Token"] = csrf(client, "/me")
    return client


@pytest.fixture
def world(runtime: Runtime) -> Iterator[World]:
    clock = MovableClock()
    timed = replace(runtime, clock=clock)
    app = create_app(timed)
    with timed.uow.begin() as session:
        setup = ready_class(session)
        other = ready_class(session)  # another institution's class
        worker, voucher = voucher_holder(session, timed.cipher, setup)
        stranger = person(session, timed.cipher).id
        session.expunge(voucher)
    body = setup.assessor.assessment_body_id
    clients = [
        _staff_client(app, timed, "school", Role.INSTITUTION_STAFF, region_code="350203", institution_id=setup.school),
        _staff_client(app, timed, "other", Role.INSTITUTION_STAFF, region_code="350203", institution_id=other.school),
        _worker_client(app, timed, worker.account_id),
        _worker_client(app, timed, stranger),
        _staff_client(app, timed, "assessor", Role.ASSESSOR, region_code="350200", assessment_body_id=body),
        _staff_client(app, timed, "officer", Role.BUREAU_OFFICER, region_code="350200"),
        TestClient(app, raise_server_exceptions=False),
    ]
    try:
        yield World(app, timed, clock, setup, voucher, *clients)
    finally:
        for client in clients:
            client.close()


def _enrol(world: World) -> int:
    world.clock.at = ENROLLING
    verified = world.staff.post(
        f"/api/v1/classes/{world.setup.class_id}/enrolments/verify", json={"presented": world.voucher.code}
    )
    assert verified.status_code == 200, verified.text
    enrolment_id: int = verified.json()["enrolment_id"]
    confirmed = world.worker.post(f"/api/v1/me/enrolments/{enrolment_id}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    return enrolment_id


def _code(world: World, session_index: int) -> str:
    answer = world.staff.get(f"/api/v1/sessions/{world.setup.session_ids[session_index]}/screen-code")
    assert answer.status_code == 200, answer.text
    assert answer.json()["check_in_url"].endswith(f"/worker/check-in?code={answer.json()['code']}")
    code: str = answer.json()["code"]
    return code


def test_verify_confirm_attend_assess_check_and_revoke(world: World) -> None:
    class_id = world.setup.class_id
    world.clock.at = ENROLLING
    path = f"/api/v1/classes/{class_id}/enrolments/verify"
    verified = world.staff.post(path, json={"presented": world.voucher.code})
    assert verified.status_code == 200, verified.text
    offer = verified.json()
    assert offer["holder_name_masked"] == "林*明"
    assert (offer["value_fen"], offer["worker_pays"], offer["state"]) == (100_000, False, "pending")
    assert (
        world.staff.post(path, json={"presented": world.voucher.code}).json()["enrolment_id"] == offer["enrolment_id"]
    )
    assert world.other_staff.post(path, json={"presented": world.voucher.code}).status_code == 403
    assert world.staff.post(path, json={"presented": "a.b.c"}).status_code == 422  # a forged QR token

    mine = world.worker.get("/api/v1/me/enrolments").json()
    assert [p["enrolment_id"] for p in mine["pending"]] == [offer["enrolment_id"]]
    confirm = f"/api/v1/me/enrolments/{offer['enrolment_id']}/confirm"
    assert world.staff.post(confirm).status_code == 403  # nobody confirms for the worker
    assert world.stranger.post(confirm).status_code == 403
    confirmed = world.worker.post(confirm)
    assert (confirmed.status_code, confirmed.json()["state"]) == (200, "enrolled")
    assert world.worker.post(confirm).status_code == 409

    world.clock.at = AT  # during the first session
    code = _code(world, 0)
    assert world.other_staff.get(f"/api/v1/sessions/{world.setup.session_ids[0]}/screen-code").status_code == 403
    checked = world.worker.post("/api/v1/me/check-ins", json={"code": code, "device_fingerprint": "ab" * 32})
    assert (checked.status_code, checked.json()["topic"]) == (201, "理论"), checked.text
    again = world.worker.post("/api/v1/me/check-ins", json={"code": code})
    assert (again.status_code, again.json()["code"]) == (409, "AlreadyCheckedIn")
    stranger = world.stranger.post("/api/v1/me/check-ins", json={"code": code})
    assert stranger.status_code == 409
    assert "not enrolled" in stranger.json()["detail"]
    forged = world.worker.post("/api/v1/me/check-ins", json={"code": code[:-2] + "AA"})
    assert "not an attendance code" in forged.json()["detail"]
    screen = world.staff.get(f"/api/v1/sessions/{world.setup.session_ids[0]}/screen-code").json()
    assert screen["check_ins"] == 1

    world.clock.at = SECOND_SESSION + timedelta(minutes=5)
    second = _code(world, 1)
    world.clock.at += timedelta(minutes=2)  # the code on a photo, two minutes later
    stale = world.worker.post("/api/v1/me/check-ins", json={"code": second})
    assert "expired" in stale.json()["detail"]
    assert world.worker.post("/api/v1/me/check-ins", json={"code": _code(world, 1)}).status_code == 201

    evidence = world.staff.get(f"/api/v1/classes/{class_id}/evidence")
    assert evidence.status_code == 200
    [line] = evidence.json()
    assert (line["sessions_strong"], line["strong_minutes"], line["name_masked"]) == (2, 360, "林*明")
    assert world.officer.get(f"/api/v1/classes/{class_id}/evidence").status_code == 200
    assert world.other_staff.get(f"/api/v1/classes/{class_id}/evidence").status_code == 403
    assert world.worker.get(f"/api/v1/classes/{class_id}/evidence").status_code == 403

    results = [{"enrolment_id": offer["enrolment_id"], "passed": True, "score": 88}]
    assert world.staff.post(f"/api/v1/classes/{class_id}/results", json={"results": results}).status_code == 403
    recorded = world.assessor.post(f"/api/v1/classes/{class_id}/results", json={"results": results})
    assert recorded.status_code == 200, recorded.text
    [outcome] = recorded.json()
    assert outcome["completed"]
    serial = outcome["certificate_serial"]
    assert len(serial) == 21

    checked_cert = world.public.get(f"/api/v1/certificates/{serial}")
    assert checked_cert.status_code == 200
    assert (checked_cert.json()["holder_name_masked"], checked_cert.json()["revoked"]) == ("林*明", False)
    assert "*" in checked_cert.json()["id_number_masked"]
    assert world.public.get("/api/v1/certificates/202635020300000000012").status_code == 404
    record = world.worker.get("/api/v1/me/enrolments").json()["record"]
    assert [(r["state"], r["certificate_serial"]) for r in record] == [("completed", serial)]

    reason = {"reason": "考核舞弊"}
    assert world.staff.post(f"/api/v1/certificates/{serial}/revoke", json=reason).status_code == 403
    revoked = world.officer.post(f"/api/v1/certificates/{serial}/revoke", json=reason)
    assert (revoked.status_code, revoked.json()["revoked"]) == (200, True)
    assert world.public.get(f"/api/v1/certificates/{serial}").json()["revoke_reason"] == "考核舞弊"
    assert world.officer.post(f"/api/v1/certificates/{serial}/revoke", json=reason).status_code == 409


def test_file_attendance_cancellation_and_refusals(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    class_id = world.setup.class_id
    enrolment_id = _enrol(world)
    with world.runtime.uow.read() as session:
        holder = session.get(Person, session.get(Voucher, world.voucher.id).person_id)  # type: ignore[union-attr]
        assert holder is not None
        number = world.runtime.cipher.decrypt("id_number", holder.id_number_encrypted)
    rows = [
        {"session_id": world.setup.session_ids[0], "id_number": number},
        {"session_id": 999_999, "id_number": number},
    ]
    path = f"/api/v1/classes/{class_id}/attendance-file"
    assert world.other_staff.post(path, json={"rows": rows}).status_code == 403
    filed = world.staff.post(path, json={"rows": rows})
    assert filed.status_code == 200, filed.text
    assert (filed.json()["recorded"], [p["row"] for p in filed.json()["problems"]]) == (1, [2])
    assert number not in filed.text
    [line] = world.staff.get(f"/api/v1/classes/{class_id}/evidence").json()
    assert (line["sessions_strong"], line["sessions_weak"]) == (0, 1)

    # a check-in long after signing in, before this session's check-in opened: confirm with the e-SSC first
    world.clock.at = AT
    code = _code(world, 0)
    monkeypatch.setattr(auth, "utc_now", lambda: utc_now() + timedelta(minutes=30))
    stale = world.worker.post("/api/v1/me/check-ins", json={"code": code})
    assert (stale.status_code, stale.json()["code"]) == (401, "StepUpRequired")
    monkeypatch.undo()

    # the assessor of the institution itself is refused
    with world.runtime.uow.begin() as session:
        body = session.get(AssessmentBody, world.setup.assessor.assessment_body_id)
        school = session.get(Institution, world.setup.school)
        assert body is not None
        assert school is not None
        body.uscc = school.uscc
    results = {"results": [{"enrolment_id": enrolment_id, "passed": True}]}
    own = world.assessor.post(f"/api/v1/classes/{class_id}/results", json=results)
    assert (own.status_code, own.json()["code"]) == (409, "AssessmentRefused")

    world.clock.at = ENROLLING
    cancel = f"/api/v1/enrolments/{enrolment_id}/cancel"
    assert world.other_staff.post(cancel, json={"reason": "重复报名"}).status_code == 403
    assert world.staff.post(cancel, json={"reason": ""}).status_code == 422
    cancelled = world.staff.post(cancel, json={"reason": "重复报名"})
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["state"], cancelled.json()["voucher_outcome"]) == ("cancelled", "released")
    assert world.worker.post(f"/api/v1/me/enrolments/{enrolment_id}/cancel", json={"reason": "x"}).status_code == 409
