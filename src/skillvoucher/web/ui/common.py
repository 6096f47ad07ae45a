"""Small helpers the signed-in pages share: where to go next, redirects, responses that must not be cached."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Final
from urllib.parse import urlencode, urlsplit

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from skillvoucher.core import DomainError
from skillvoucher.identity import Principal, Role, region_prefix
from skillvoucher.web.deps import get_runtime

# Pages that show a secret once (a new password, an API key, a TOTP key) must not be kept by the browser or a proxy.
NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Where to go after signing in or confirming; checked with `local_next` before use.
NextQuery = Annotated[str, Query(alias="next", max_length=2000)]
NextForm = Annotated[str, Form(alias="next", max_length=2000)]


def local_next(value: str | None, default: str = "") -> str:
    """A path on this site to return to, or `default`: never another host (`//evil`, `https://…`, `/\\evil`)."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default
    if any(ord(character) < 0x20 or character == "\\" for character in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def landing_path(principal: Principal) -> str:
    """Where someone lands after signing in without a `next`."""
    return "/me" if principal.role is Role.WORKER else "/account"


def see_other(path: str, **params: str) -> RedirectResponse:
    kept = {key: value for key, value in params.items() if value}
    return RedirectResponse(f"{path}?{urlencode(kept)}" if kept else path, status_code=303)


def client_address(request: Request) -> str:
    """The address failures are counted against (the proxy's X-Forwarded-For is applied by the server, not here)."""
    return request.client.host if request.client else "unknown"


def scope_prefix(principal: Principal) -> str | None:
    """The region prefix a reader's listings are limited to, in SQL; None for an administrator (everything).

    Officers and auditors always have a region (a database constraint); anyone else reading lists sees nothing."""
    if principal.role is Role.ADMIN:
        return None
    return region_prefix(principal.region_code) if principal.region_code else "-"  # no region code starts with "-"


def form_error(error: str | DomainError | None) -> dict[str, str | None]:
    """For `_form_error.html`: our own message (an English msgid, translated on the page) or a domain error's
    message (already bilingual, shown as it is and escaped)."""
    if isinstance(error, DomainError):
        return {"error": None, "detail": error.message}
    return {"error": error, "detail": None}


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    """A read whose rows stay usable after it ends (they are detached, fully loaded), so that pages are rendered
    outside it: on SQLite every transaction holds the database lock, and the page header reads too."""
    with get_runtime(request).uow.read() as session:
        yield session
        session.expunge_all()
