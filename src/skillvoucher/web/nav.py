"""What every page knows about its viewer: who is signed in, and which pages they may use (asked of `can()`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request

from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal, authz, viewer_name
from skillvoucher.logging import get_logger
from skillvoucher.web.auth import csrf_token, current_principal
from skillvoucher.web.deps import get_runtime
from skillvoucher.web.errors import wants_json
from skillvoucher.web.ui.labels import label_context

log = get_logger(__name__)


def remember_viewer(request: Request) -> None:
    """An application-wide dependency: who is signed in, and their name, read before the route opens its own
    database session (on SQLite a second session while a page's is open would wait for its lock)."""
    if not wants_json(request):
        principal = _viewer(request)
        request.state.viewer = (principal, _name(request, principal))


def page_context(request: Request) -> Mapping[str, Any]:
    """Added to every page. Never raises: error pages (a database that is down, a bad key) are rendered through it."""
    remembered = getattr(request.state, "viewer", None)
    if remembered is None:  # an error raised before any route ran (no such page, for example)
        principal = _viewer(request)
        remembered = (principal, _name(request, principal))
    principal, name = remembered
    return {
        "viewer": principal,
        "viewer_name": name,
        "may": lambda permission: principal is not None and authz.can(principal, Permission(permission)),
        "csrf_token": lambda: csrf_token(request),
        **label_context(),
    }


def _viewer(request: Request) -> Principal | None:
    try:
        return current_principal(request)
    except (DomainError, SQLAlchemyError) as error:
        log.info("page.viewer_unknown", error=type(error).__name__)
        return None


def _name(request: Request, principal: Principal | None) -> str | None:
    if principal is None:
        return None
    try:
        with get_runtime(request).uow.read() as session:
            return viewer_name(session, principal)
    except SQLAlchemyError as error:
        log.info("page.viewer_name_unknown", error=type(error).__name__)
        return None
