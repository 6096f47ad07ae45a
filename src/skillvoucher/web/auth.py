"""Who is asking, and may they: sessions in signed cookies, bearer API keys, CSRF, authorization, step-up.

Every route declares what it needs with exactly one of `Depends(public)`, `Depends(machine_public)` or
`Depends(require(Permission.X))`
(a test walks the route table and fails on a route without one). The decision itself is `identity.authz.can`.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request

from skillvoucher.core import Forbidden, Unauthenticated, utc_now
from skillvoucher.identity import (
    Permission,
    Principal,
    Resource,
    Role,
    StaffAccount,
    WorkerAccount,
    authz,
    principal_for_api_key,
    principal_of,
)
from skillvoucher.web.deps import get_runtime

SESSION_COOKIE = "sv_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STAGE_FULL = "full"
STAGE_TOTP_ENROLMENT = "totp_enrolment"  # password right, second factor still to be set up
STAGE_PASSWORD_CHANGE = "password_change"  # noqa: S105 -- a stage name: signed in with a one-time password


class StepUpRequired(Unauthenticated):
    def __init__(self) -> None:
        super().__init__("请用电子社保卡再次确认本人身份 / confirm your identity with your e-SSC again to continue")


class SignInRequired(Unauthenticated):
    def __init__(self) -> None:
        super().__init__("请先登录 / please sign in first")


# --- the session cookie's contents ---------------------------------------------------------------------------------


def start_staff_session(request: Request, account: StaffAccount, *, stage: str) -> None:
    request.session.clear()
    request.session.update(
        {
            "kind": "staff",
            "id": account.id,
            "epoch": account.session_epoch,
            "stage": stage,
            "at": int(time.time()),
            CSRF_FIELD: secrets.token_urlsafe(32),
        }
    )


def start_worker_session(request: Request, account: WorkerAccount, *, real_name_at: datetime) -> None:
    request.session.clear()
    request.session.update(
        {
            "kind": "worker",
            "id": account.person_id,
            "epoch": account.session_epoch,
            "stage": STAGE_FULL,
            "at": int(time.time()),
            "real_name_at": int(real_name_at.timestamp()),
            CSRF_FIELD: secrets.token_urlsafe(32),
        }
    )


def record_real_name_confirmation(request: Request, at: datetime) -> None:
    request.session["real_name_at"] = int(at.timestamp())


def end_session(request: Request) -> None:
    request.session.clear()


def session_stage(request: Request) -> str | None:
    stage = request.session.get("stage")
    return stage if isinstance(stage, str) else None


def session_staff_id(request: Request) -> int | None:
    """The staff account of a session in any stage (for the enrolment and password-change pages)."""
    value = request.session.get("id") if request.session.get("kind") == "staff" else None
    return value if isinstance(value, int) else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token (anonymous sessions get one too, for the sign-in forms)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


# --- resolving the principal -----------------------------------------------------------------------------------------


def current_principal(request: Request) -> Principal | None:
    """The signed-in principal, from a bearer API key or the session cookie; None when anonymous."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    principal = _from_bearer(request) if _bearer_key(request) is not None else _from_session(request)
    request.state.principal = principal
    return principal


def _bearer_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _from_bearer(request: Request) -> Principal | None:
    key = _bearer_key(request)
    assert key is not None
    with get_runtime(request).uow.begin() as session:
        principal = principal_for_api_key(session, key=key, now=utc_now())
    if principal is None:
        raise Unauthenticated("接口密钥无效或已撤销 / the API key is unknown or revoked")
    return principal


def _from_session(request: Request) -> Principal | None:
    data = request.session
    if data.get("stage") != STAGE_FULL or not isinstance(data.get("id"), int):
        return None
    runtime = get_runtime(request)
    if time.time() - int(data.get("at", 0)) > runtime.settings.session_hours * 3600:
        return None
    with runtime.uow.read() as session:
        if data.get("kind") == "staff":
            account = session.get(StaffAccount, data["id"])
            if account is None or account.disabled_at is not None or account.session_epoch != data.get("epoch"):
                return None
            return principal_of(account)
        if data.get("kind") == "worker":
            worker = session.get(WorkerAccount, data["id"])
            if worker is None or worker.session_epoch != data.get("epoch"):
                return None
            return Principal(role=Role.WORKER, account_id=worker.person_id)
    return None


# --- what routes declare ---------------------------------------------------------------------------------------------


def _check_csrf(request: Request, form_token: str | None) -> None:
    if request.method in SAFE_METHODS or _bearer_key(request) is not None:
        return
    expected = request.session.get(CSRF_FIELD)
    given = request.headers.get(CSRF_HEADER) or form_token
    if not isinstance(expected, str) or not given or not secrets.compare_digest(expected, given):
        raise Forbidden(
            "表单已过期，请刷新页面后重试 / this form has expired; reload the page and try again",
            code="CsrfTokenInvalid",
        )


async def _form_csrf_token(request: Request) -> str | None:
    if request.method in SAFE_METHODS or request.headers.get(CSRF_HEADER):
        return None
    content_type = request.headers.get("content-type", "")
    if "form" not in content_type:
        return None
    value = (await request.form()).get(CSRF_FIELD)  # parsed once; the route's own Form() fields reuse it
    return value if isinstance(value, str) else None


def public(request: Request, form_token: Annotated[str | None, Depends(_form_csrf_token)]) -> None:
    """Anyone may call this route; forms on it are still CSRF-protected."""
    _check_csrf(request, form_token)


def machine_public() -> None:
    """A public endpoint for other systems (OAuth token exchange and the like): it never reads the session cookie,
    so a forged cross-site request gains nothing, and no CSRF token is asked for."""


class Requirement:
    """A route's declared permission; the authorization test reads `.permission` from the route table.

    With `step_up`, a worker must also have confirmed their real name within SKILLVOUCHER_STEP_UP_MINUTES
    (claiming, enrolling, checking in, confirming completion).
    """

    def __init__(self, permission: Permission, *, step_up: bool = False) -> None:
        self.permission = permission
        self.step_up = step_up

    def __call__(self, request: Request, form_token: Annotated[str | None, Depends(_form_csrf_token)]) -> Principal:
        principal = current_principal(request)
        if principal is None:
            raise SignInRequired()
        _check_csrf(request, form_token)
        if not authz.can(principal, self.permission):
            raise Forbidden("无权访问 / you are not allowed to see or do this")
        if self.step_up:
            require_recent_real_name(request, principal)
        return principal


def require(permission: Permission, *, step_up: bool = False) -> Callable[..., Principal]:
    return Requirement(permission, step_up=step_up)


def authorize(principal: Principal, permission: Permission, resource: Resource) -> None:
    """The in-handler check once the resource is loaded (its region, institution, person)."""
    if not authz.can(principal, permission, resource):
        raise Forbidden("无权访问该对象 / this is outside what you may see or change")


def require_recent_real_name(request: Request, principal: Principal) -> None:
    """Step-up: a worker must have confirmed their real name within the configured minutes."""
    if principal.role is not Role.WORKER:
        raise Forbidden("仅劳动者本人可以进行此操作 / only the worker themself can do this")
    confirmed = request.session.get("real_name_at")
    minutes = get_runtime(request).settings.step_up_minutes
    if not isinstance(confirmed, int) or is_stale(confirmed, now=utc_now(), minutes=minutes):
        raise StepUpRequired()


def is_stale(confirmed_at: int, *, now: datetime, minutes: int) -> bool:
    return now - datetime.fromtimestamp(confirmed_at, UTC) > timedelta(minutes=minutes)
