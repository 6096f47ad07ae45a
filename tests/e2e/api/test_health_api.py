"""/healthz, /api/v1/ and /openapi.json."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from skillvoucher.app import Runtime
from skillvoucher.db import create_db_engine
from skillvoucher.db.migrate import head_revision
from skillvoucher.web.app import create_app


def test_healthz_reports_a_reachable_database_at_the_newest_schema(client: TestClient, runtime: Runtime) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "schema": "up_to_date",
        "revision": head_revision(runtime.engine),
    }
    assert len(response.headers["x-request-id"]) == 32


def test_healthz_is_503_when_the_schema_is_behind(client: TestClient) -> None:
    client.app.state.head_revision = "9999"  # type: ignore[attr-defined]
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["schema"] == "behind"


def test_healthz_is_503_when_the_database_is_down(runtime: Runtime, tmp_path: Path) -> None:
    unreachable = create_db_engine(f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}")
    down = Runtime(settings=runtime.settings, engine=unreachable, uow=runtime.uow, cipher=runtime.cipher)
    with TestClient(create_app(down), raise_server_exceptions=False) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "schema": "unknown",
        "revision": None,
    }
    assert "missing-folder" not in response.text


def test_api_index_links_to_every_collection(client: TestClient) -> None:
    body = client.get("/api/v1/").json()
    assert body["api_version"] == "v1"
    assert body["version"]
    for name, link in body["links"].items():
        assert client.get(link).status_code == 200, name


def test_openapi_describes_the_json_api_and_no_pages(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = set(schema["paths"])
    expected = {"/healthz", "/api/v1/", "/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/occupations"}
    expected.add("/.well-known/skillvoucher/voucher-keys.json")  # the voucher QR keys (docs/vouchers-qr.md)
    # The e-SSC emulator's OAuth endpoints (docs/essc.md): on in development mode, which the tests run in.
    emulator = {f"/essc-emulator{path}" for path in ("/oauth/device_authorization", "/oauth/token", "/jwks.json")}
    emulator.add("/essc-emulator/.well-known/openid-configuration")
    catalogues = {"/api/v1/courses", "/api/v1/institutions", "/api/v1/demand-entries", "/api/v1/classes"}
    catalogues |= {"/api/v1/demand-catalogue", "/api/v1/class-applications"}
    catalogues |= {f"/api/v1/institutions/{{institution_id}}{tail}" for tail in ("", "/accreditation", "/scope")}
    catalogues |= {
        "/api/v1/institutions/{institution_id}/bank-account-changes",
        "/api/v1/bank-account-changes/{change_id}/decision",
        "/api/v1/courses/{course_id}/withdrawal",
        "/api/v1/classes/{class_id}/decision",
        "/api/v1/classes/{class_id}/cancellation",
        "/api/v1/classes/{class_id}/roster",
    }
    access = {"/api/v1/me", "/api/v1/persons", "/api/v1/persons/{person_id}", "/api/v1/staff"}
    access |= {"/api/v1/institution/api-keys", "/api/v1/institution/api-keys/{key_id}/revoke"}
    access |= {
        f"/api/v1/staff/{{account_id}}{tail}"
        for tail in ("", "/disable", "/enable", "/reset-password", "/reset-totp", "/role")
    }
    vouchers = {"/api/v1/voucher-policies", "/api/v1/jobs/{job_id}", "/api/v1/jobs/{job_id}/revoke"}
    vouchers |= {
        f"/api/v1/voucher-policies/{{policy_id}}{tail}"
        for tail in ("", "/batches", "/listed", "/roster-issue", "/close")
    }
    vouchers |= {"/api/v1/vouchers/{voucher_id}", "/api/v1/vouchers/{voucher_id}/revoke", "/api/v1/me/vouchers"}
    vouchers |= {"/api/v1/me/voucher-offers", "/api/v1/me/voucher-offers/{policy_id}/claim"}
    vouchers |= {"/api/v1/me/vouchers/{voucher_id}/take-up", "/api/v1/me/vouchers/{voucher_id}/qr-token"}
    enrolment = {"/api/v1/me/enrolments", "/api/v1/me/check-ins", "/api/v1/sessions/{session_id}/screen-code"}
    enrolment |= {f"/api/v1/classes/{{class_id}}/{tail}" for tail in ("enrolments/verify", "evidence", "results")}
    enrolment |= {"/api/v1/classes/{class_id}/attendance-file", "/api/v1/enrolments/{enrolment_id}/cancel"}
    enrolment |= {f"/api/v1/me/enrolments/{{enrolment_id}}/{tail}" for tail in ("confirm", "cancel")}
    enrolment |= {"/api/v1/certificates/{serial}", "/api/v1/certificates/{serial}/revoke"}
    statistics = {"/api/v1/statistics/{region_code}", "/api/v1/statistics/{region_code}/{table}"}
    everything = expected | {"/api/v1/skill-levels"} | emulator | catalogues | access | vouchers | enrolment
    assert everything | statistics == paths
    problem = schema["paths"]["/api/v1/regions/{code}"]["get"]["responses"]["404"]["content"]
    assert "application/problem+json" in problem


def test_persons_are_listed_only_after_sign_in(client: TestClient) -> None:
    """(Who may, in and out of their region: tests/e2e/api/test_authorization_matrix.py.)"""
    assert client.get("/api/v1/persons", params={"q": "张"}).status_code == 401
    assert client.get("/api/v1/persons/1").status_code == 401
    page = client.get("/persons", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/sign-in?next=%2Fpersons"


def test_interactive_docs_are_off_because_they_need_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
