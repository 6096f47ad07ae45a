"""Staff sign-in over HTTP: the steps, and bad input — wrong password, wrong or replayed code, lockout, rate limiting,
a missing CSRF token. Each gets a clear error and no session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from tests.factories.accounts import PASSWORD, StaffUser, csrf, make_staff, sign_in
from tests.factories.training import institution_row

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.core.clock import FixedClock
from skillvoucher.identity import Role, disable_staff, reset_password
from skillvoucher.web.app import create_app


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


def signed_in(client: TestClient) -> bool:
    return client.get("/api/v1/me").status_code == 200


def post_password(client: TestClient, username: str, password: str, **extra: str) -> Response:
    form = {"username": username, "password": password, "csrf_token": csrf(client), **extra}
    return client.post("/sign-in/staff", data=form, follow_redirects=False)


def post_code(client: TestClient, code: str) -> Response:
    return client.post("/sign-in/staff/code", data={"code": code, "csrf_token": csrf(client)}, follow_redirects=False)


def an_institution_user(runtime: Runtime, username: str = "clerk") -> StaffUser:
    with runtime.uow.begin() as session:
        institution = institution_row(session)
    return make_staff(runtime, username, Role.INSTITUTION_STAFF, region_code="350203", institution_id=institution)


def test_an_officer_signs_in_with_password_then_code_and_reaches_the_page_asked_for(
    client: TestClient, runtime: Runtime
) -> None:
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    asked = client.get("/staff", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/sign-in?next=%2Fstaff"

    first = post_password(client, officer.username, officer.password, next="/staff")
    assert first.status_code == 303
    assert first.headers["location"] == "/sign-in/staff/code?next=%2Fstaff"
    assert not signed_in(client)  # a right password alone is not a session
    assert "动态口令" in client.get("/sign-in/staff/code").text
    second = client.post(
        "/sign-in/staff/code", data={"code": officer.next_code(), "next": "/staff", "csrf_token": csrf(client)}
    )
    assert second.status_code == 200
    assert str(second.url).endswith("/staff")
    assert client.get("/api/v1/me").json()["username"] == "xm.officer"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_only_local_next_paths_are_followed(client: TestClient, runtime: Runtime, target: str) -> None:
    user = an_institution_user(runtime)
    response = post_password(client, user.username, user.password, next=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/account"


def test_an_institution_user_needs_no_code(client: TestClient, runtime: Runtime) -> None:
    user = an_institution_user(runtime)
    response = post_password(client, user.username, user.password)
    assert response.headers["location"] == "/account"
    assert signed_in(client)


@pytest.mark.parametrize("username", ["clerk", "nobody"])
def test_a_wrong_password_or_unknown_user_gets_the_same_clear_error_and_no_session(
    client: TestClient, runtime: Runtime, username: str
) -> None:
    an_institution_user(runtime)
    response = post_password(client, username, "Not-the-password-1")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.text
    assert f'value="{username}"' in response.text  # the username is kept, the password is not
    assert "Not-the-password-1" not in response.text
    assert not signed_in(client)


def test_a_wrong_code_gets_a_clear_error_and_no_session(client: TestClient, runtime: Runtime) -> None:
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    post_password(client, officer.username, officer.password)
    right = officer.next_code()
    response = post_code(client, "000000" if right != "000000" else "111111")
    assert response.status_code == 400
    assert "动态口令不正确或已使用过" in response.text
    assert not signed_in(client)
    assert post_code(client, right).status_code == 303  # the step is still open: try again
    assert signed_in(client)


def test_a_replayed_code_is_refused(client: TestClient, runtime: Runtime) -> None:
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    code = officer.next_code()
    assert sign_in(client, officer, code=code).status_code == 303
    client.post("/sign-out", data={"csrf_token": csrf(client)})
    assert not signed_in(client)
    response = sign_in(client, officer, code=code)  # someone who saw the code over the shoulder
    assert response.status_code == 400
    assert "动态口令不正确或已使用过" in response.text
    assert not signed_in(client)


def test_the_code_step_expires_with_the_password_it_follows(client: TestClient, runtime: Runtime) -> None:
    response = post_code(client, "123456")  # no password step before it
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in/staff"
    assert not signed_in(client)


def test_a_form_without_its_csrf_token_is_refused_and_starts_no_session(client: TestClient, runtime: Runtime) -> None:
    user = an_institution_user(runtime)
    client.get("/sign-in/staff")
    missing = client.post("/sign-in/staff", data={"username": user.username, "password": user.password})
    assert missing.status_code == 403
    assert "表单已过期" in missing.text
    forged = client.post(
        "/sign-in/staff", data={"username": user.username, "password": user.password, "csrf_token": "forged"}
    )
    assert forged.status_code == 403
    assert not signed_in(client)
    api = client.post("/api/v1/staff", json={"username": "x-y-z", "display_name": "x", "role": "auditor"})
    assert api.status_code == 401  # not signed in at all


def test_ten_failures_lock_the_account_for_the_configured_time(runtime: Runtime) -> None:
    clock = FixedClock(utc_now())
    settings = runtime.settings.model_copy(update={"lockout_minutes": 2})
    locked_runtime = replace(runtime, settings=settings, clock=clock)
    user = an_institution_user(locked_runtime)
    with TestClient(create_app(locked_runtime)) as client:
        statuses = [post_password(client, user.username, "Wrong-password-9").status_code for _ in range(10)]
        assert statuses == [400] * 9 + [423]
        response = post_password(client, user.username, user.password)  # even the right password now
        assert response.status_code == 423
        time = re.search(r"锁定，至(\d{4}-\d\d-\d\d \d\d:\d\d)解除", response.text)
        assert time, response.text
        assert not signed_in(client)

        clock.at += timedelta(minutes=2, seconds=1)
        assert post_password(client, user.username, user.password).status_code == 303
        assert signed_in(client)


def test_many_failures_from_one_address_are_rate_limited(runtime: Runtime) -> None:
    settings = runtime.settings.model_copy(update={"sign_in_failures_per_address": 5})
    limited = replace(runtime, settings=settings)
    user = an_institution_user(limited)
    with TestClient(create_app(limited)) as client:
        for number in range(5):
            assert post_password(client, f"guess-{number}", "Wrong-password-9").status_code == 400
        response = post_password(client, user.username, user.password)
        assert response.status_code == 429
        assert "登录失败次数过多" in response.text
        assert not signed_in(client)


def test_a_disabled_account_cannot_sign_in(client: TestClient, runtime: Runtime) -> None:
    user = an_institution_user(runtime)
    with runtime.uow.begin() as session:
        disable_staff(session, account_id=user.id, by=None)
    response = post_password(client, user.username, user.password)
    assert response.status_code == 403
    assert "该账号已停用" in response.text
    assert not signed_in(client)


def test_a_one_time_password_must_be_changed_then_the_authenticator_set_up(
    client: TestClient, runtime: Runtime
) -> None:
    officer = make_staff(runtime, "new.auditor", Role.AUDITOR, region_code="350200", totp=False)
    with runtime.uow.begin() as session:
        _, one_time = reset_password(session, account_id=officer.id, by=None)

    first = post_password(client, officer.username, one_time)
    assert first.headers["location"] == "/sign-in/staff/new-password"
    assert client.get("/account", follow_redirects=False).status_code == 303  # nothing else is open yet
    weak = client.post(
        "/sign-in/staff/new-password",
        data={"current": one_time, "new": "short", "repeat": "short", "csrf_token": csrf(client)},
    )
    assert weak.status_code == 422
    assert "密码至少10位" in weak.text
    changed = client.post(
        "/sign-in/staff/new-password",
        data={"current": one_time, "new": PASSWORD + "x", "repeat": PASSWORD + "x", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert changed.headers["location"] == "/sign-in/staff/authenticator"

    page = client.get("/sign-in/staff/authenticator")
    assert '<svg viewBox="0 0' in page.text
    assert page.headers["cache-control"] == "no-store"
    found = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page.text)
    assert found
    secret = found.group(1).replace(" ", "")
    done = client.post(
        "/sign-in/staff/authenticator",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/account"
    me = client.get("/api/v1/me").json()
    assert me["role"] == "auditor"


def test_sign_out_everywhere_ends_the_other_sessions(runtime: Runtime) -> None:
    app = create_app(runtime)
    user = an_institution_user(runtime)
    with TestClient(app) as laptop, TestClient(app) as phone:
        sign_in(laptop, user)
        sign_in(phone, user)
        assert signed_in(laptop)
        assert signed_in(phone)
        response = laptop.post("/account/sign-out-everywhere", data={"csrf_token": csrf(laptop)})
        assert response.status_code == 200
        assert str(response.url).endswith("/sign-in")
        assert not signed_in(laptop)
        assert not signed_in(phone)


def test_changing_the_password_keeps_this_session_and_ends_the_others(runtime: Runtime) -> None:
    app = create_app(runtime)
    user = an_institution_user(runtime)
    with TestClient(app) as laptop, TestClient(app) as phone:
        sign_in(laptop, user)
        sign_in(phone, user)
        form = {"current": user.password, "new": "Brand-new-pass-7", "repeat": "Brand-new-pass-7"}
        response = laptop.post("/account/password", data={**form, "csrf_token": csrf(laptop)})
        assert "密码已修改" in response.text
        assert signed_in(laptop)
        assert not signed_in(phone)
