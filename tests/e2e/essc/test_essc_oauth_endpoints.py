"""The emulator's RFC 8628 endpoints over HTTP: JSON answers and error codes as OAuth clients expect them."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.e2e.essc.conftest import ISSUER, confirm_on_phone
from tests.factories.identity import make_id_number

from skillvoucher.app import Runtime
from skillvoucher.core.clock import FixedClock
from skillvoucher.essc import DEVICE_GRANT

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(runtime: Runtime) -> FixedClock:
    runtime.clock = FixedClock(START)
    return runtime.clock


def start(client: TestClient, **form: str) -> dict[str, Any]:
    response = client.post("/essc-emulator/oauth/device_authorization", data={"client_id": "skillvoucher", **form})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


def token(client: TestClient, device_code: str, **form: str) -> Any:
    data = {"grant_type": DEVICE_GRANT, "device_code": device_code, "client_id": "skillvoucher", **form}
    return client.post("/essc-emulator/oauth/token", data=data)


def error_of(response: Any) -> str:
    assert response.status_code in (400, 401), response.text
    assert response.headers["cache-control"] == "no-store"
    error: str = response.json()["error"]
    assert response.json()["error_description"]
    return error


def test_discovery_and_keys(client: TestClient) -> None:
    document = client.get("/essc-emulator/.well-known/openid-configuration").json()
    assert document["issuer"] == ISSUER
    assert document["device_authorization_endpoint"] == f"{ISSUER}/oauth/device_authorization"
    assert document["token_endpoint"] == f"{ISSUER}/oauth/token"
    assert document["grant_types_supported"] == [DEVICE_GRANT]
    assert document["id_token_signing_alg_values_supported"] == ["Ed25519"]
    keys = client.get("/essc-emulator/jwks.json").json()["keys"]
    assert [(key["kty"], key["crv"], "d" in key) for key in keys] == [("OKP", "Ed25519", False)]


def test_device_authorization_answers_the_codes(client: TestClient) -> None:
    body = start(client)
    assert set(body) == {"device_code", "user_code", "verification_uri", "verification_uri_complete"} | {
        "expires_in",
        "interval",
    }
    assert body["verification_uri"] == "http://testserver/essc-emulator/device"
    assert body["verification_uri_complete"] == f"{body['verification_uri']}?user_code={body['user_code']}"
    assert (body["expires_in"], body["interval"]) == (600, 5)


def test_a_client_may_authenticate_with_http_basic(client: TestClient) -> None:
    basic = base64.b64encode(b"skillvoucher:anything").decode()
    headers = {"Authorization": f"Basic {basic}"}
    response = client.post("/essc-emulator/oauth/device_authorization", data={"scope": "openid"}, headers=headers)
    assert response.status_code == 200
    polled = client.post(
        "/essc-emulator/oauth/token",
        data={"grant_type": DEVICE_GRANT, "device_code": response.json()["device_code"]},
        headers=headers,
    )
    assert error_of(polled) == "authorization_pending"


def test_bad_device_authorization_requests(client: TestClient) -> None:
    assert error_of(client.post("/essc-emulator/oauth/device_authorization", data={})) == "invalid_client"
    bad_scope = client.post("/essc-emulator/oauth/device_authorization", data={"client_id": "x", "scope": "email"})
    assert error_of(bad_scope) == "invalid_scope"
    basic = base64.b64encode(b"one:secret").decode()
    mismatch = client.post(
        "/essc-emulator/oauth/device_authorization",
        data={"client_id": "two"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert error_of(mismatch) == "invalid_client"


def test_each_token_endpoint_error(client: TestClient, clock: FixedClock) -> None:
    assert error_of(token(client, "x", grant_type="authorization_code")) == "unsupported_grant_type"
    assert error_of(token(client, "")) == "invalid_request"
    assert error_of(token(client, "no-such-code")) == "invalid_grant"

    pending = start(client)
    assert error_of(token(client, pending["device_code"])) == "authorization_pending"
    assert error_of(token(client, pending["device_code"])) == "slow_down"
    assert error_of(token(client, pending["device_code"], client_id="another")) == "invalid_grant"

    declined = start(client)
    confirm_on_phone(client, declined["user_code"], action="deny")
    assert error_of(token(client, declined["device_code"])) == "access_denied"

    clock.at += timedelta(minutes=10)
    assert error_of(token(client, pending["device_code"])) == "expired_token"


def test_a_token_is_given_once(client: TestClient) -> None:
    started = start(client)
    form = {"holder": "other", "id_number": make_id_number(), "name": "王芳", "region": "", "pin": "123456"}
    assert 'data-result="approved"' in confirm_on_phone(client, started["user_code"], action="pin", **form)
    first = token(client, started["device_code"])
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    body = first.json()
    assert body["token_type"] == "Bearer"
    assert body["id_token"].count(".") == 2
    assert body["expires_in"] == 300
    assert error_of(token(client, started["device_code"])) == "invalid_grant"


def test_the_emulator_is_not_mounted_when_switched_off(runtime: Runtime) -> None:
    from skillvoucher.web.app import create_app

    runtime.settings.essc_emulator_enabled = False
    with TestClient(create_app(runtime)) as client:
        assert client.get("/essc-emulator/.well-known/openid-configuration").status_code == 404
        assert client.get("/essc-emulator/device").status_code == 404
        paths = client.get("/openapi.json").json()["paths"]
        assert not [path for path in paths if path.startswith("/essc-emulator")]
