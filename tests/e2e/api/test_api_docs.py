"""Every endpoint in the OpenAPI schema is documented in docs/api.md (like datasette's tests/test_docs.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

DOC = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_endpoint_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    endpoints = [f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item]
    assert "GET /api/v1/regions/{code}" in endpoints
    missing = [endpoint for endpoint in endpoints if f"### `{endpoint}`" not in DOC]
    assert missing == [], "add a section to docs/api.md for each"
