from __future__ import annotations

import re
from collections.abc import Iterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from skillvoucher.app import Runtime
from skillvoucher.web.app import create_app

ISSUER = "http://testserver/essc-emulator"


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The phone's browser (and any other HTTP caller)."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def transport(app: FastAPI) -> Iterator[httpx2.MockTransport]:
    """An HTTP transport into the app, for a real OAuth client (Authlib on httpx2): no network needed."""
    with TestClient(app, raise_server_exceptions=False) as site:

        def handle(request: httpx2.Request) -> httpx2.Response:
            answer = site.request(request.method, str(request.url), headers=request.headers, content=request.read())
            return httpx2.Response(answer.status_code, headers=answer.headers.multi_items(), content=answer.content)

        yield httpx2.MockTransport(handle)


def csrf_token_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form carries a CSRF token"
    return found.group(1)


def confirm_on_phone(client: TestClient, user_code: str, **form: str) -> str:
    """Open the phone page for the code and submit its form; returns the answer page's HTML."""
    page = client.get("/essc-emulator/device", params={"user_code": user_code})
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_token_of(page.text), "user_code": user_code, **form}
    answered = client.post("/essc-emulator/device", data=data)
    return answered.text
