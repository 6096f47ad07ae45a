from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from skillvoucher.app import Runtime
from skillvoucher.web.app import create_app


@pytest.fixture
def app(runtime: Runtime) -> FastAPI:
    return create_app(runtime)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """Answers as a deployed server would: unexpected exceptions become 500 responses, not test errors."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
