"""Workers sign in through the e-SSC emulator's QR flow over HTTP, and confirm again (step-up). Bad input — a
replayed or expired ID token, a card from an unknown region, a declined request — gets a clear error and no session.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.factories.accounts import (
    HTMX,
    confirm_on_phone,
    csrf,
    make_staff,
    poll,
    sign_in,
    sign_in_worker,
    start_device_flow,
)
from tests.factories.identity import make_id_number

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.core.clock import FixedClock
from skillvoucher.essc import build_identity_provider
from skillvoucher.identity import (
    DeviceAuthorization,
    IdentityProvider,
    Permission,
    PollResult,
    Principal,
    Role,
    VerifiedIdentity,
    WorkerAccount,
)
from skillvoucher.web import auth
from skillvoucher.web.app import create_app


def signed_in(client: TestClient) -> bool:
    return client.get("/api/v1/me").status_code == 200


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def test_a_first_sign_in_registers_the_worker_and_lands_on_their_page(
    app: FastAPI, client: TestClient, runtime: Runtime
) -> None:
    number = make_id_number("350203")
    page = client.get("/sign-in/worker")
    assert page.headers["cache-control"] == "no-store"
    assert 'hx-trigger="every 5s"' in page.text
    assert '<svg viewBox="0 0' in page.text

    device = start_device_flow(client)  # the same request again: the page keeps its QR code
    assert device.user_code in page.text

    confirm_on_phone(app, device, id_number=number, name="王小明")
    done = poll(client)
    assert done.headers["HX-Redirect"] == "/me"
    me = client.get("/me")
    assert "王小明" in me.text
    assert number[:4] + "*" * 10 + number[-4:] in me.text
    assert number not in me.text
    with runtime.uow.read() as session:
        assert session.scalars(select(WorkerAccount)).one()


def test_until_the_phone_answers_the_page_keeps_waiting(client: TestClient) -> None:
    start_device_flow(client)
    pending = poll(client)
    assert pending.status_code == 200
    assert "等待您在手机上确认" in pending.text
    assert 'hx-trigger="every 5s"' in pending.text
    assert "HX-Redirect" not in pending.headers
    again = poll(client)  # sooner than the provider allows: answered without asking it
    assert "等待您在手机上确认" in again.text
    assert not signed_in(client)


def test_the_worker_goes_back_to_the_page_they_asked_for(app: FastAPI, client: TestClient) -> None:
    asked = client.get("/me", follow_redirects=False)
    assert asked.headers["location"] == "/sign-in?next=%2Fme"
    start_device_flow(client, "/sign-in/worker?next=/account")
    device = start_device_flow(client, "/sign-in/worker?next=https://evil.example/")  # not followed
    confirm_on_phone(app, device, id_number=make_id_number("350203"), name="王小明")
    assert poll(client).headers["HX-Redirect"] == "/account"


def test_without_javascript_a_button_polls_no_faster_than_the_provider_allows(app: FastAPI, client: TestClient) -> None:
    device = start_device_flow(client)
    early = client.post("/sign-in/worker/poll", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert early.status_code == 303
    assert early.headers["location"] == "/sign-in/worker"
    confirm_on_phone(app, device, id_number=make_id_number("350203"), name="王小明")
    client.post("/sign-in/worker/poll", data={"csrf_token": csrf(client)})  # too soon after the last poll
    assert not signed_in(client)


def test_a_declined_request_ends_with_a_clear_message(app: FastAPI, client: TestClient) -> None:
    device = start_device_flow(client)
    confirm_on_phone(app, device, id_number=make_id_number("350203"), name="王小明", action="deny")
    answer = poll(client)
    assert "已在手机上拒绝本次请求" in answer.text
    assert "hx-trigger" not in answer.text
    assert not signed_in(client)


def test_a_card_from_an_unknown_region_is_refused(app: FastAPI, client: TestClient) -> None:
    device = start_device_flow(client)
    confirm_on_phone(app, device, id_number=make_id_number("350203"), name="王小明", region="990000")
    answer = poll(client)
    assert "电子社保卡返回的身份信息未能通过校验" in answer.text
    assert "发卡地区代码未知" in answer.text
    assert not signed_in(client)


class Replaying:
    """A provider that hands out the last ID token it saw again: what an attacker who copied a token would try."""

    def __init__(self, inner: IdentityProvider) -> None:
        self.inner, self.name = inner, inner.name
        self.token: str | None = None

    def start_sign_in(self, *, verification_base_url: str) -> DeviceAuthorization:
        return self.inner.start_sign_in(verification_base_url=verification_base_url)

    def poll(self, device_code: str) -> PollResult:
        if self.token is not None:
            return PollResult(status="complete", id_token=self.token)
        result = self.inner.poll(device_code)
        self.token = result.id_token
        return result

    def verify_id_token(self, id_token: str) -> VerifiedIdentity:
        return self.inner.verify_id_token(id_token)


def test_a_replayed_id_token_is_refused(app: FastAPI, runtime: Runtime) -> None:
    app.state.identity_provider = Replaying(build_identity_provider(runtime))
    with TestClient(app) as victim, TestClient(app) as attacker:
        assert sign_in_worker(app, victim, id_number=make_id_number("350203")).headers["HX-Redirect"] == "/me"
        start_device_flow(attacker)
        answer = poll(attacker)
        assert "HX-Redirect" not in answer.headers
        assert "身份令牌已使用过" in answer.text
        assert not signed_in(attacker)


class Delaying(Replaying):
    """The token arrives, but is checked only after the clock has moved past its expiry."""

    def __init__(self, inner: IdentityProvider, clock: FixedClock) -> None:
        super().__init__(inner)
        self.clock = clock

    def poll(self, device_code: str) -> PollResult:
        result = self.inner.poll(device_code)
        self.clock.at += timedelta(minutes=30)
        return result


def test_an_expired_id_token_is_refused(runtime: Runtime) -> None:
    clock = FixedClock(utc_now())
    delayed = replace(runtime, clock=clock)
    app = create_app(delayed)
    app.state.identity_provider = Delaying(build_identity_provider(delayed), clock)
    with TestClient(app) as client:
        answer = sign_in_worker(app, client, id_number=make_id_number("350203"))
        assert "HX-Redirect" not in answer.headers
        assert "电子社保卡返回的身份信息未能通过校验" in answer.text
        assert "过期" in answer.text
        assert not signed_in(client)


def test_signing_out_everywhere_ends_the_workers_other_sessions(app: FastAPI) -> None:
    number = make_id_number("350203")
    with TestClient(app) as phone, TestClient(app) as laptop:
        sign_in_worker(app, phone, id_number=number)
        sign_in_worker(app, laptop, id_number=number)
        assert signed_in(phone)
        assert signed_in(laptop)
        laptop.post("/account/sign-out-everywhere", data={"csrf_token": csrf(laptop)})
        assert not signed_in(phone)
        assert not signed_in(laptop)


# --- step-up: one reusable dependency, `require(permission, step_up=True)` ---------------------------------------

claims = APIRouter()
RecentlyConfirmed = Annotated[Principal, Depends(auth.require(Permission.WORKER_SELF, step_up=True))]


@claims.get("/test-only/claim")
def claim_page(principal: RecentlyConfirmed) -> dict[str, int]:
    """Stands in for a sensitive act of a later issue (claiming a voucher)."""
    return {"person": principal.account_id}


@claims.get("/api/v1/test-only/claim")
def claim_api(principal: RecentlyConfirmed) -> dict[str, int]:
    return {"person": principal.account_id}


@pytest.fixture
def later(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> tuple[FastAPI, FixedClock]:
    """An app with the stand-in routes, and a clock to move past the step-up window (the emulator's and the
    step-up check's time both follow it)."""
    clock = FixedClock(utc_now())
    app = create_app(replace(runtime, clock=clock))
    app.include_router(claims)
    monkeypatch.setattr(auth, "utc_now", clock.now)
    return app, clock


def test_a_recent_real_name_confirmation_lets_the_worker_act(later: tuple[FastAPI, FixedClock]) -> None:
    app, _ = later
    with TestClient(app) as client:
        sign_in_worker(app, client, id_number=make_id_number("350203"))
        assert client.get("/test-only/claim").status_code == 200


def test_a_stale_confirmation_sends_the_worker_to_confirm_again_then_back(later: tuple[FastAPI, FixedClock]) -> None:
    app, clock = later
    number = make_id_number("350203")
    with TestClient(app) as client:
        sign_in_worker(app, client, id_number=number)
        clock.at += timedelta(minutes=11)  # SKILLVOUCHER_STEP_UP_MINUTES is 10

        page = client.get("/test-only/claim", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"] == "/sign-in/confirm?next=%2Ftest-only%2Fclaim"
        api = client.get("/api/v1/test-only/claim")
        assert api.status_code == 401
        assert api.json()["code"] == "StepUpRequired"

        device = start_device_flow(client, page.headers["location"])
        confirm_on_phone(app, device, id_number=number, name="王小明")
        answer = client.post("/sign-in/confirm/poll", headers={**HTMX, "X-CSRF-Token": csrf(client)})
        assert answer.headers["HX-Redirect"] == "/test-only/claim"
        assert client.get("/test-only/claim").json() == {"person": client.get("/api/v1/me").json()["account_id"]}


def test_someone_else_cannot_confirm_for_the_worker(later: tuple[FastAPI, FixedClock]) -> None:
    app, clock = later
    with TestClient(app) as client:
        sign_in_worker(app, client, id_number=make_id_number("350203"))
        clock.at += timedelta(minutes=11)
        device = start_device_flow(client, "/sign-in/confirm?next=/test-only/claim")
        confirm_on_phone(app, device, id_number=make_id_number("350203"), name="另一个人")
        answer = client.post("/sign-in/confirm/poll", headers={**HTMX, "X-CSRF-Token": csrf(client)})
        assert "确认人与登录人不一致" in answer.text
        assert client.get("/test-only/claim", follow_redirects=False).status_code == 303


def test_staff_cannot_pass_a_step_up(later: tuple[FastAPI, FixedClock], runtime: Runtime) -> None:
    app, _ = later
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    with TestClient(app) as client:
        sign_in(client, officer)
        assert client.get("/test-only/claim").status_code == 403
        assert client.get("/sign-in/confirm").status_code == 403
