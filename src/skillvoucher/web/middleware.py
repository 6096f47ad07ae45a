"""The request context: a request id, the language, security headers, one log line per request, and the last
resort for exceptions nobody handled (logged with the request id; the client sees a plain 500)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

import structlog
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from skillvoucher.logging import get_logger
from skillvoucher.web.i18n import LANGUAGE_COOKIE, LANGUAGE_PARAM, negotiate_language

log = get_logger("skillvoucher.web.request")

REQUEST_ID_HEADER = "X-Request-ID"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_QUIET_PATHS = frozenset({"/healthz"})
ONE_YEAR = 365 * 24 * 3600
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def request_id_from(header: str | None) -> str:
    """Keep a well-formed id given by a proxy, so logs join up; otherwise make one."""
    if header and _GIVEN_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, default_language: str, on_error: Callable[[Request], Response]) -> None:
        self.app = app
        self.default_language = default_language
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        requested = request.query_params.get(LANGUAGE_PARAM)
        cookie = request.cookies.get(LANGUAGE_COOKIE)
        language = negotiate_language(requested=requested, cookie=cookie, default=self.default_language)
        state = scope.setdefault("state", {})
        state["request_id"], state["language"] = request_id, language
        remember = requested == language and cookie != language
        secure = scope.get("scheme") == "https"
        status = 500
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", PAGE_CSP)
                if remember:
                    flags = "; Secure" if secure else ""
                    cookie_value = f"{LANGUAGE_COOKIE}={language}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax{flags}"
                    headers.append("Set-Cookie", cookie_value)
            await send(message)

        began = time.perf_counter()
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception:
                log.exception("request.failed", method=request.method, path=request.url.path)
                if started:  # too late to replace the response; the server closes the connection
                    raise
                await self.on_error(request)(scope, receive, send_with_headers)
            finally:
                quiet = request.url.path in _QUIET_PATHS and status < 500
                log.log(
                    logging.DEBUG if quiet else logging.INFO,
                    "request",
                    method=request.method,
                    path=request.url.path,
                    status=status,
                    duration_ms=round((time.perf_counter() - began) * 1000, 1),
                )
