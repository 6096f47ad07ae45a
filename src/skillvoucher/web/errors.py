"""From errors to responses, in one place.

JSON clients (paths under /api/, /healthz, or an Accept header preferring JSON) get RFC 9457 problem details;
browsers get an error page in their language. Nothing here ever puts a stack trace or personal data in a response.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Final, cast
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from skillvoucher.core import DomainError
from skillvoucher.logging import get_logger
from skillvoucher.web.i18n import N_
from skillvoucher.web.templating import Pages

log = get_logger(__name__)

# The table: a domain error's kind decides its HTTP status.
DOMAIN_STATUS: Final = {
    "not_found": 404,
    "invalid": 422,
    "conflict": 409,
    "forbidden": 403,
    "unauthenticated": 401,
    "rate_limited": 429,
    "unavailable": 503,
}
# Pages answer "sign in first" / "confirm again" by sending the browser there, then back.
SIGN_IN_PATH: Final = "/sign-in"
STEP_UP_PATH: Final = "/sign-in/confirm"

# What an error page says, by status. Marked for extraction; translated when the page is rendered.
PAGE_TITLES: Final = {
    400: N_("The request could not be understood"),
    401: N_("Please sign in"),
    403: N_("You are not allowed to do this"),
    404: N_("Page not found"),
    405: N_("This action is not available here"),
    409: N_("This conflicts with the current state"),
    429: N_("Too many attempts; please wait and try again"),
    422: N_("Some of the information given is not valid"),
    500: N_("Something went wrong on our side"),
    503: N_("The service is temporarily unavailable"),
}
GENERIC_TITLE: Final = N_("Something went wrong")
HTTP_CODES: Final = {404: "not_found", 405: "method_not_allowed", 500: "internal_error", 503: "unavailable"}
PROBLEM_JSON: Final = "application/problem+json"


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json"):
        return True
    accept = request.headers.get("accept", "")
    return "json" in accept and "text/html" not in accept


def error_response(
    request: Request, status: int, *, code: str, detail: str | None = None, extra: dict[str, Any] | None = None
) -> Response:
    if wants_json(request):
        return problem(request, status, code=code, detail=detail, extra=extra)
    return error_page(request, status, detail=detail)


def problem(
    request: Request, status: int, *, code: str, detail: str | None = None, extra: dict[str, Any] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        "code": code,
        "request_id": getattr(request.state, "request_id", None),
        **(extra or {}),
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def error_page(request: Request, status: int, *, detail: str | None = None) -> Response:
    pages = cast(Pages, request.app.state.pages)
    context = {"status": status, "title": PAGE_TITLES.get(status, GENERIC_TITLE), "detail": detail}
    return pages.render(request, "error.html", context, status_code=status)


def unexpected_error(request: Request) -> Response:
    """The response for an exception nobody handled; the middleware logs it with its traceback."""
    return error_response(request, 500, code="internal_error")


def _domain_error(request: Request, error: Exception) -> Response:
    error = cast(DomainError, error)
    status = DOMAIN_STATUS.get(error.kind, 400)
    log.info("request.refused", code=error.code, kind=error.kind, status=status)
    if status == 401 and not wants_json(request) and request.method == "GET":
        target = STEP_UP_PATH if error.code == "StepUpRequired" else SIGN_IN_PATH
        return RedirectResponse(f"{target}?{urlencode({'next': _local_path(request)})}", status_code=303)
    return error_response(request, status, code=error.code, detail=error.message)


def _local_path(request: Request) -> str:
    """Where to come back to: this site's path and query only, never another host."""
    path = "/" + request.url.path.lstrip("/")
    return f"{path}?{request.url.query}" if request.url.query else path


def _http_error(request: Request, error: Exception) -> Response:
    error = cast(HTTPException, error)
    status = error.status_code
    detail = error.detail if isinstance(error.detail, str) and error.detail != HTTPStatus(status).phrase else None
    response = error_response(request, status, code=HTTP_CODES.get(status, f"http_{status}"), detail=detail)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


def _validation_error(request: Request, error: Exception) -> Response:
    error = cast(RequestValidationError, error)
    # Location, message and type only: the rejected input itself may be personal data.
    errors = [
        {"loc": list(item.get("loc", ())), "msg": item.get("msg", ""), "type": item.get("type", "")}
        for item in error.errors()
    ]
    if wants_json(request):
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(request, 422, code="validation_failed", detail=detail, extra={"errors": errors})
    return error_page(request, 422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
