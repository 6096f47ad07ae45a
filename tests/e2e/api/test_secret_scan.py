"""No password, TOTP secret, API key or ID number in clear text in the database, the audit trail or the logs.

A scripted session goes through the pages and the API as people would: an officer signs in with a known password
and sets up the authenticator, creates an account and resets its password (two one-time passwords), an institution
creates an API key and uses it, a worker signs in with the e-SSC, and the officer looks the worker up by ID number.
Then every text and binary column of every table, and every log line, is searched for each secret.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pyotp
import pytest
import structlog
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.factories.accounts import PASSWORD, csrf, make_staff, sign_in, sign_in_worker
from tests.factories.identity import make_id_number
from tests.factories.training import institution_row

from skillvoucher.app import Runtime
from skillvoucher.identity import Role
from skillvoucher.logging import configure_logging
from skillvoucher.migrations.metadata import target_metadata
from skillvoucher.web.app import create_app


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Everything the application logs, as production writes it (JSON lines)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    yield stream
    root.handlers, root.level = handlers, level
    structlog.reset_defaults()


def scripted_session(runtime: Runtime) -> dict[str, str]:
    """Returns the secrets it used or was shown, by name."""
    app = create_app(runtime)
    secrets: dict[str, str] = {"password": PASSWORD}
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200", totp=False)
    with runtime.uow.begin() as session:
        institution = institution_row(session)
    clerk = make_staff(runtime, "clerk", Role.INSTITUTION_STAFF, region_code="350203", institution_id=institution)
    id_number = make_id_number("350203")
    secrets["id_number"] = id_number

    with TestClient(app) as browser:
        sign_in(browser, officer)
        page = browser.get("/sign-in/staff/authenticator").text
        found = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page)
        assert found
        secrets["totp_secret"] = found.group(1).replace(" ", "")
        done = browser.post(
            "/sign-in/staff/authenticator",
            data={"code": pyotp.TOTP(secrets["totp_secret"]).now(), "csrf_token": csrf(browser)},
        )
        assert done.status_code == 200

        made = browser.post(
            "/staff/new",
            data={
                "username": "new.auditor",
                "display_name": "新审计",
                "role": "auditor",
                "region_code": "350203",
                "csrf_token": csrf(browser),
            },
        )
        assert made.status_code == 201
        secrets["first_password"] = _shown(made.text, "one-time-password")
        new_id = re.search(r'href="/staff/(\d+)"', made.text)
        assert new_id
        reset = browser.post(f"/staff/{new_id.group(1)}/reset-password", data={"csrf_token": csrf(browser)})
        secrets["one_time_password"] = _shown(reset.text, "one-time-password")

        with TestClient(app) as phone_owner:
            assert sign_in_worker(app, phone_owner, id_number=id_number, name="郑秋菊").headers["HX-Redirect"] == "/me"
        found_page = browser.post("/persons", data={"q": id_number, "csrf_token": csrf(browser)})
        assert "郑秋菊" in found_page.text
        found_api = browser.get("/api/v1/persons", params={"q": id_number})
        assert [p["name"] for p in found_api.json()["items"]] == ["郑秋菊"]

    with TestClient(app) as institution_browser:
        sign_in(institution_browser, clerk)
        created = institution_browser.post(
            "/institution/api-keys", data={"name": "报名系统", "csrf_token": csrf(institution_browser)}
        )
        secrets["api_key"] = _shown(created.text, "new-api-key")
    with TestClient(app, headers={"Authorization": f"Bearer {secrets['api_key']}"}) as system:
        assert system.get("/api/v1/me").json()["kind"] == "api_key"
    return secrets


def _shown(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]+)<', html)
    assert found, f"#{element_id} is not on the page"
    return found.group(1)


def every_stored_value(runtime: Runtime) -> Iterator[tuple[str, object]]:
    with runtime.engine.connect() as connection:
        for table in target_metadata().sorted_tables:
            for row in connection.execute(select(table)):
                for column, value in zip(table.columns, row, strict=True):
                    if value is not None:
                        yield f"{table.name}.{column.name}", value


def contains(value: object, secret: str) -> bool:
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return secret.encode() in raw or secret.upper().encode() in raw or secret.encode().hex() in raw.hex()
    return secret.lower() in str(value).lower()


def test_no_secret_is_stored_or_logged_in_clear_text(runtime: Runtime, logs: io.StringIO) -> None:
    secrets = scripted_session(runtime)

    stored = list(every_stored_value(runtime))
    tables = {place.split(".")[0] for place, _ in stored}
    assert {
        "staff_accounts",
        "api_keys",
        "persons",
        "worker_accounts",
        "audit_events",
        "used_identity_tokens",
    } <= tables
    actions = {value for place, value in stored if place == "audit_events.action"}
    assert {
        "staff.created",
        "staff.password_reset",
        "staff.totp_enrolled",
        "api_key.created",
        "worker.signed_in",
    } <= actions
    assert any(contains(value, "xm.officer") for _, value in stored)  # the scan does read what is there
    leaks = [
        f"{name} in {place}" for name, secret in secrets.items() for place, value in stored if contains(value, secret)
    ]
    assert leaks == []

    written = logs.getvalue()
    assert '"event": "request"' in written  # the logs were captured
    assert [name for name, secret in secrets.items() if secret.lower() in written.lower()] == []
    assert "郑秋菊" not in written  # names are not secret, but are never logged either
