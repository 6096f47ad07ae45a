"""The problem-details body (RFC 9457) as a schema, so error responses are documented in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    request_id: str | None = None


class ValidationProblem(Problem):
    errors: list[dict[str, Any]]


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for a route that can answer with these error statuses."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        model = ValidationProblem if status == 422 else Problem
        responses[status] = {"model": model, "content": {"application/problem+json": {}}}
    return responses
