"""Errors: problem+json for JSON clients, an error page for browsers, never a stack trace."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from skillvoucher.core import Conflict, Forbidden, Invalid, NotFound, RateLimited, Unauthenticated
from skillvoucher.identity.ports import IdentityProviderUnavailable
from skillvoucher.web.errors import DOMAIN_STATUS

SECRET_ID = "11010519491231002X"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "request_id"}


@pytest.fixture
def failing_app(app: FastAPI) -> FastAPI:
    """Test-only routes that fail the ways real handlers can."""

    @app.get("/api/v1/test-crash")
    def crash() -> None:
        raise RuntimeError(f"database password hunter2 for {SECRET_ID}")

    @app.get("/test-crash-page")
    def crash_page() -> None:
        raise RuntimeError(f"secret {SECRET_ID}")

    @app.get("/api/v1/test-refuse/{kind}")
    def refuse(kind: str) -> None:
        error = {
            "not_found": NotFound,
            "invalid": Invalid,
            "conflict": Conflict,
            "forbidden": Forbidden,
            "unauthenticated": Unauthenticated,
            "rate_limited": RateLimited,
            "unavailable": IdentityProviderUnavailable,
        }[kind]
        raise error("refused for a reason the user may read", code=f"Test{kind.title()}")

    return app


@pytest.fixture
def failing(failing_app: FastAPI) -> TestClient:
    return TestClient(failing_app, raise_server_exceptions=False)


def test_unknown_api_route_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_FIELDS
    assert body["status"] == 404
    assert body["title"] == "Not Found"
    assert body["code"] == "not_found"
    assert body["request_id"] == response.headers["x-request-id"]


def test_a_validation_error_is_a_422_problem_without_the_input(client: TestClient) -> None:
    response = client.get("/api/v1/regions", params={"parent": SECRET_ID})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_FIELDS | {"errors"}
    assert body["errors"][0]["loc"] == ["query", "parent"]
    assert SECRET_ID not in response.text


def test_wrong_method_is_a_405_problem(client: TestClient) -> None:
    response = client.post("/api/v1/regions")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.headers["allow"] == "GET"


def test_each_domain_error_kind_has_its_status(failing: TestClient) -> None:
    assert DOMAIN_STATUS == {
        "not_found": 404,
        "invalid": 422,
        "conflict": 409,
        "forbidden": 403,
        "unauthenticated": 401,
        "rate_limited": 429,
        "unavailable": 503,
    }
    for kind, status in DOMAIN_STATUS.items():
        response = failing.get(f"/api/v1/test-refuse/{kind}")
        assert response.status_code == status
        body = response.json()
        assert body["code"] == f"Test{kind.title()}"
        assert body["detail"] == "refused for a reason the user may read"


def test_an_unexpected_error_is_a_plain_500_and_is_logged(failing: TestClient) -> None:
    with capture_logs() as logs:
        response = failing.get("/api/v1/test-crash")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "internal_error"
    assert body["request_id"] == response.headers["x-request-id"]
    for leak in ("Traceback", "RuntimeError", "hunter2", SECRET_ID, "test_problems_api"):
        assert leak not in response.text
    failed = [entry for entry in logs if entry["event"] == "request.failed"]
    assert len(failed) == 1
    assert failed[0]["log_level"] == "error"
    assert failed[0]["exc_info"] is True
    assert failed[0]["path"] == "/api/v1/test-crash"
    assert [entry["status"] for entry in logs if entry["event"] == "request"] == [500]


def test_an_unexpected_error_on_a_page_is_an_error_page(failing: TestClient) -> None:
    response = failing.get("/test-crash-page")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "系统出现问题" in response.text
    assert response.headers["x-request-id"] in response.text
    assert "Traceback" not in response.text
    assert SECRET_ID not in response.text

    english = failing.get("/test-crash-page", params={"lang": "en"})
    assert "Something went wrong on our side" in english.text


def test_json_is_chosen_by_the_accept_header_too(failing: TestClient) -> None:
    response = failing.get("/test-crash-page", headers={"Accept": "application/json"})
    assert response.headers["content-type"] == "application/problem+json"
