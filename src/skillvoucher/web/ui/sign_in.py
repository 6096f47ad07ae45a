"""Signing in and out: the choice (worker or staff), staff password → authenticator code, and the first-sign-in steps
(a one-time password must be changed; officers, auditors and administrators must set up an authenticator).

Between the password and the code, the attempt is kept in the session cookie with the password AES-GCM encrypted
under the server's key (never in clear text, gone after five minutes): the code step re-runs the one sign-in action
with both factors, so lockout, rate limiting and the audit event stay in one place.
"""

from __future__ import annotations

import base64
import time
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillvoucher.identity import LockoutPolicy, SignInOutcome, attempt_staff_sign_in, principal_of
from skillvoucher.web.auth import STAGE_FULL, STAGE_PASSWORD_CHANGE, STAGE_TOTP_ENROLMENT, end_session, public
from skillvoucher.web.auth import start_staff_session as start_session
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.i18n import N_
from skillvoucher.web.ui.common import NextForm, NextQuery, client_address, landing_path, local_next, see_other

router = APIRouter(include_in_schema=False, dependencies=[Depends(public)])

PENDING: Final = "pending_sign_in"
PENDING_SECONDS: Final = 300
PASSWORD_FIELD: Final = "pending_password"  # noqa: S105 -- the cipher's field name, not a password

FAILURES: Final = {
    "credentials": (400, N_("The username or password is not right.")),
    "totp_invalid": (400, N_("That code is not right, or it has been used already. Wait for the next code.")),
    "disabled": (403, N_("This account is disabled. Ask your administrator.")),
    "locked": (423, N_("Too many failed attempts: this account is locked until %(time)s.")),
    "rate_limited": (429, N_("Too many failed sign-ins from your network. Please wait a quarter of an hour.")),
}


@router.get("/sign-in", response_class=HTMLResponse, name="sign_in")
def choose(request: Request, pages: PageRenderer, next_path: NextQuery = "") -> HTMLResponse:
    return pages.render(request, "sign_in/choose.html", {"next": local_next(next_path), "active": "sign_in"})


@router.get("/sign-in/staff", response_class=HTMLResponse, name="staff_sign_in")
def staff_form(request: Request, pages: PageRenderer, next_path: NextQuery = "") -> HTMLResponse:
    return _password_page(request, pages, next_path=local_next(next_path))


@router.post("/sign-in/staff", name="staff_sign_in_submit")
def staff_submit(
    request: Request,
    pages: PageRenderer,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    next_path: NextForm = "",
) -> Response:
    next_path = local_next(next_path)
    request.session.pop(PENDING, None)
    outcome = _attempt(request, username=username, password=password, code=None)
    if outcome.failure == "totp_required":
        cipher = get_runtime(request).cipher
        sealed = base64.b64encode(cipher.encrypt(PASSWORD_FIELD, password)).decode()
        request.session[PENDING] = {
            "username": username,
            "password": sealed,
            "until": int(time.time()) + PENDING_SECONDS,
        }
        return see_other("/sign-in/staff/code", next=next_path)
    if outcome.account is None:
        return _password_page(request, pages, next_path=next_path, username=username, outcome=outcome)
    return _signed_in(request, outcome, next_path)


@router.get("/sign-in/staff/code", response_class=HTMLResponse, name="staff_sign_in_code")
def code_form(request: Request, pages: PageRenderer, next_path: NextQuery = "") -> Response:
    if _pending(request) is None:
        return see_other("/sign-in/staff", next=local_next(next_path))
    return _code_page(request, pages, next_path=local_next(next_path))


@router.post("/sign-in/staff/code", name="staff_sign_in_code_submit")
def code_submit(
    request: Request,
    pages: PageRenderer,
    code: Annotated[str, Form(max_length=20)],
    next_path: NextForm = "",
) -> Response:
    next_path = local_next(next_path)
    pending = _pending(request)
    if pending is None:
        return see_other("/sign-in/staff", next=next_path)
    username, password = pending
    outcome = _attempt(request, username=username, password=password, code=code)
    if outcome.account is not None:
        request.session.pop(PENDING, None)
        return _signed_in(request, outcome, next_path)
    if outcome.failure == "totp_invalid":
        return _code_page(request, pages, next_path=next_path, outcome=outcome)
    request.session.pop(PENDING, None)  # locked, disabled, rate limited: back to the start
    return _password_page(request, pages, next_path=next_path, username=username, outcome=outcome)


@router.post("/sign-out", name="sign_out")
def sign_out(request: Request) -> RedirectResponse:
    end_session(request)
    return see_other("/")


# --- the steps' pieces ------------------------------------------------------------------------------------------------


def _attempt(request: Request, *, username: str, password: str, code: str | None) -> SignInOutcome:
    runtime = get_runtime(request)
    settings = runtime.settings
    policy = LockoutPolicy(
        threshold=settings.lockout_threshold,
        minutes=settings.lockout_minutes,
        failures_per_address=settings.sign_in_failures_per_address,
    )
    # Committed whatever the outcome: failure counters and locks must stick.
    with runtime.uow.begin() as session:
        return attempt_staff_sign_in(
            session,
            username=username,
            password=password,
            totp_code=code,
            address=client_address(request),
            cipher=runtime.cipher,
            policy=policy,
            now=runtime.clock.now(),
        )


def _signed_in(request: Request, outcome: SignInOutcome, next_path: str) -> RedirectResponse:
    account = outcome.account
    assert account is not None
    if account.must_change_password:
        start_session(request, account, stage=STAGE_PASSWORD_CHANGE)
        return see_other("/sign-in/staff/new-password", next=next_path)
    if outcome.needs_totp_enrolment:
        start_session(request, account, stage=STAGE_TOTP_ENROLMENT)
        return see_other("/sign-in/staff/authenticator", next=next_path)
    start_session(request, account, stage=STAGE_FULL)
    return see_other(next_path or landing_path(principal_of(account)))


def _pending(request: Request) -> tuple[str, str] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or int(pending.get("until", 0)) < time.time():
        request.session.pop(PENDING, None)
        return None
    try:
        sealed = base64.b64decode(str(pending["password"]))
        return str(pending["username"]), get_runtime(request).cipher.decrypt(PASSWORD_FIELD, sealed)
    except (KeyError, ValueError):  # tampering cannot get past the signature; an old key can
        request.session.pop(PENDING, None)
        return None


def _failure(outcome: SignInOutcome | None) -> tuple[int, str | None]:
    if outcome is None or outcome.failure is None or outcome.failure not in FAILURES:
        return 200, None
    return FAILURES[outcome.failure]


def _password_page(
    request: Request,
    pages: PageRenderer,
    *,
    next_path: str,
    username: str = "",
    outcome: SignInOutcome | None = None,
) -> HTMLResponse:
    status, error = _failure(outcome)
    context = {
        "next": next_path,
        "username": username,
        "error": error,
        "locked_until": outcome.locked_until if outcome else None,
        "active": "sign_in",
    }
    return pages.render(request, "sign_in/staff.html", context, status_code=status)


def _code_page(
    request: Request, pages: PageRenderer, *, next_path: str, outcome: SignInOutcome | None = None
) -> HTMLResponse:
    status, error = _failure(outcome)
    return pages.render(
        request, "sign_in/code.html", {"next": next_path, "error": error, "active": "sign_in"}, status_code=status
    )
