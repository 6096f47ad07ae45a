"""The voucher API end to end, on both databases: an officer defines a policy and issues a batch, a worker lists,
claims (with and without a recent real-name confirmation), takes up and shows a voucher; revocation; region scope;
refused input as problem documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.factories.accounts import (
    HTMX,
    confirm_on_phone,
    csrf,
    make_staff,
    sign_in,
    sign_in_worker,
    start_device_flow,
)
from tests.factories.identity import make_id_number, make_record

from skillvoucher.app import Runtime
from skillvoucher.core import Actor, utc_now
from skillvoucher.core.clock import FixedClock
from skillvoucher.identity import Person, PopulationGroup, Role, register_person
from skillvoucher.jobs import run_job
from skillvoucher.vouchers import batch_step, verify_voucher_token
from skillvoucher.web import auth
from skillvoucher.web.app import create_app


def policy_body(**changes: Any) -> dict[str, Any]:
    today = utc_now().date()
    body: dict[str, Any] = {
        "name": "厦门市失业人员培训券",
        "kind": "face_value",
        "region_code": "350200",
        "funding_source": "就业补助资金",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=90)).isoformat(),
        "value_fen": 150_050,
        "valid_until": (today + timedelta(days=180)).isoformat(),
        "eligibility": {"groups": ["unemployed"]},
    }
    return body | changes


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """Moves the step-up check's time (and the app's) on, past the confirmation window."""
    fixed = FixedClock(utc_now())
    monkeypatch.setattr(auth, "utc_now", fixed.now)
    return fixed


@pytest.fixture
def app_client(runtime: Runtime, clock: FixedClock) -> Iterator[tuple[TestClient, Runtime, FastAPI]]:
    timed = replace(runtime, clock=clock)
    app = create_app(timed)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, timed, app


def officer_client(runtime: Runtime, client_app: FastAPI, username: str, region: str) -> TestClient:
    client = TestClient(client_app)
    user = make_staff(runtime, username, Role.BUREAU_OFFICER, region_code=region)
    assert sign_in(client, user).status_code == 303
    client.headers["X-CSRF-Token"] = csrf(client, "/account")
    return client


def test_a_policy_is_defined_issued_claimed_shown_and_revoked(
    app_client: tuple[TestClient, Runtime, FastAPI], clock: FixedClock
) -> None:
    worker_client, runtime, app = app_client
    with runtime.uow.begin() as session:
        for _ in range(3):  # three unemployed people in Siming, one employed person who is not eligible
            register_person(
                session,
                record=make_record(region_code="350203", groups=PopulationGroup.UNEMPLOYED),
                cipher=runtime.cipher,
                actor=Actor.system("test"),
            )
        register_person(
            session,
            record=make_record(region_code="350203", groups=PopulationGroup.ENTERPRISE_EMPLOYEE),
            cipher=runtime.cipher,
            actor=Actor.system("test"),
        )
    officer = officer_client(runtime, app, "xm.officer", "350200")
    guangzhou = officer_client(runtime, app, "gz.officer", "440100")  # signed in before the clock moves on

    made = officer.post("/api/v1/voucher-policies", json=policy_body())
    assert made.status_code == 201, made.text
    policy_id = made.json()["id"]
    assert made.json()["value_rule"] == {"fixed_fen": 150_050}
    claimable = officer.post("/api/v1/voucher-policies", json=policy_body(name="养老护理员培训券", claimable=True))
    assert claimable.status_code == 201, claimable.text

    started = officer.post(f"/api/v1/voucher-policies/{policy_id}/batches")
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    run_job(runtime.uow, job_id, batch_step())  # the background runner may already have done it: idempotent
    job = officer.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["state"], job["issued"], job["progress"]) == ("finished", 3, 1.0)
    detail = officer.get(f"/api/v1/voucher-policies/{policy_id}").json()
    assert detail["vouchers_by_state"] == {"issued": 3}
    assert [j["id"] for j in detail["jobs"]] == [job_id]
    listed = officer.get("/api/v1/voucher-policies").json()
    assert {p["name"] for p in listed} == {"厦门市失业人员培训券", "养老护理员培训券"}

    # a worker (an unemployed person registered at first sign-in, so not in the batch) sees an offer and claims it
    number = make_id_number("350203")
    assert sign_in_worker(app, worker_client, id_number=number).headers["HX-Redirect"] == "/me"
    with runtime.uow.begin() as session:  # the e-SSC sign-in registered them with no groups: make them unemployed
        person = session.scalars(select(Person).order_by(Person.id.desc())).first()
        assert person is not None
        person.population_groups = int(PopulationGroup.UNEMPLOYED)
    worker_client.headers["X-CSRF-Token"] = csrf(worker_client, "/me")
    offers = worker_client.get("/api/v1/me/voucher-offers").json()
    assert [o["name"] for o in offers] == ["养老护理员培训券"]
    offer_id = offers[0]["policy_id"]

    clock.at += timedelta(minutes=11)  # the real-name confirmation is stale now
    stale = worker_client.post(f"/api/v1/me/voucher-offers/{offer_id}/claim")
    assert (stale.status_code, stale.json()["code"]) == (401, "StepUpRequired")
    device = start_device_flow(worker_client, "/sign-in/confirm?next=/worker/policies")
    confirm_on_phone(app, device, id_number=number, name="王小明")
    confirmed = worker_client.post("/sign-in/confirm/poll", headers={**HTMX, "X-CSRF-Token": csrf(worker_client)})
    assert confirmed.headers["HX-Redirect"] == "/worker/policies"
    worker_client.headers["X-CSRF-Token"] = csrf(worker_client, "/me")
    claimed = worker_client.post(f"/api/v1/me/voucher-offers/{offer_id}/claim")
    assert claimed.status_code == 201, claimed.text
    voucher = claimed.json()
    assert (voucher["state"], voucher["value_fen"]) == ("claimed", 150_050)
    again = worker_client.post(f"/api/v1/me/voucher-offers/{offer_id}/claim")
    assert (again.status_code, again.json()["code"]) == (409, "AlreadyServed")
    assert [v["id"] for v in worker_client.get("/api/v1/me/vouchers").json()] == [voucher["id"]]

    shown = worker_client.get(f"/api/v1/me/vouchers/{voucher['id']}/qr-token")
    assert shown.status_code == 200, shown.text
    assert shown.json()["holder_name_masked"] == "王*明"
    jwks = worker_client.get("/.well-known/skillvoucher/voucher-keys.json").json()
    verified = verify_voucher_token(shown.json()["token"], jwks, clock.now())
    assert (verified.voucher_code, verified.value_fen) == (voucher["code"], 150_050)

    # someone else's voucher is not found; the officer revokes this one with a reason
    batch_voucher = officer.get(f"/api/v1/voucher-policies/{policy_id}").json()
    assert batch_voucher["issued_count"] == 3
    assert worker_client.get(f"/api/v1/me/vouchers/{voucher['id'] + 100}/qr-token").status_code == 404
    no_reason = officer.post(f"/api/v1/vouchers/{voucher['id']}/revoke", json={"reason": " "})
    assert no_reason.status_code == 422
    revoked = officer.post(f"/api/v1/vouchers/{voucher['id']}/revoke", json={"reason": "重复领取核查"})
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["state"] == "revoked"
    assert [e["action"] for e in revoked.json()["history"]] == ["voucher.issued", "voucher.claimed", "voucher.revoked"]
    gone = worker_client.get(f"/api/v1/me/vouchers/{voucher['id']}/qr-token")
    assert (gone.status_code, gone.json()["code"]) == (409, "VoucherNotShowable")

    batch_revoked = officer.post(f"/api/v1/jobs/{job_id}/revoke", json={"reason": "名单有误"})
    assert batch_revoked.status_code == 200, batch_revoked.text
    assert batch_revoked.json()["revoked"] == 3
    closed = officer.post(f"/api/v1/voucher-policies/{policy_id}/close")
    assert closed.json()["state"] == "closed"
    late = officer.post(f"/api/v1/voucher-policies/{policy_id}/batches")
    assert (late.status_code, late.json()["code"]) == (409, "PolicyNotOpen")

    # another city's officer sees none of it
    for path in (
        f"/api/v1/voucher-policies/{policy_id}",
        f"/api/v1/jobs/{job_id}",
        f"/api/v1/vouchers/{voucher['id']}",
    ):
        assert guangzhou.get(path).status_code == 403, path
    assert guangzhou.get("/api/v1/voucher-policies", params={"region": "350200"}).status_code == 403
    assert guangzhou.get("/api/v1/voucher-policies").json() == []
    assert guangzhou.post("/api/v1/voucher-policies", json=policy_body(name="越权")).status_code == 403
    assert guangzhou.post(f"/api/v1/vouchers/{voucher['id']}/revoke", json={"reason": "x"}).status_code == 403


def test_bad_terms_and_a_list_with_bad_rows_are_refused_clearly(
    app_client: tuple[TestClient, Runtime, FastAPI],
) -> None:
    _, runtime, app = app_client
    officer = officer_client(runtime, app, "xm.officer", "350200")
    today = utc_now().date()

    unknown = officer.post("/api/v1/voucher-policies", json=policy_body(occupations=[{"code": "9-99-99-99"}]))
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert "unknown occupation codes: 9-99-99-99" in unknown.json()["detail"]
    backwards = officer.post(
        "/api/v1/voucher-policies", json=policy_body(closes_on=(today - timedelta(days=1)).isoformat())
    )
    assert backwards.status_code == 422
    assert "closes before it opens" in backwards.json()["detail"]
    shape = officer.post("/api/v1/voucher-policies", json=policy_body(value_fen=12.5))
    assert (shape.status_code, shape.json()["code"]) == (422, "validation_failed")
    general = officer.post("/api/v1/voucher-policies", json=policy_body(kind="general"))
    assert general.status_code == 422
    assert "general voucher" in general.json()["detail"]

    policy_id = officer.post("/api/v1/voucher-policies", json=policy_body()).json()["id"]
    with runtime.uow.begin() as session:
        person_number = make_id_number("350203")
        record = make_record(id_number=person_number, region_code="350203", groups=PopulationGroup.UNEMPLOYED)
        register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("test"))
    stranger = make_id_number("350203")
    body = {"id_numbers": [person_number, "123", stranger, person_number]}
    report = officer.post(f"/api/v1/voucher-policies/{policy_id}/listed", json=body)
    assert report.status_code == 200, report.text
    answer = report.json()
    assert (answer["rows"], answer["issued"]) == (4, 1)
    assert [p["row"] for p in answer["problems"]] == [2, 3, 4]
    assert "not in the worker registry" in answer["problems"][1]["message"]
    assert person_number not in report.text
    assert stranger not in report.text
    roster = officer.post(f"/api/v1/voucher-policies/{policy_id}/roster-issue")
    assert roster.status_code == 422  # only a targeted policy goes to a class roster
