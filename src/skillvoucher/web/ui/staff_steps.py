"""The steps between a right password and a full session: change a one-time password, set up an authenticator.

The session is in a partial stage (see web/auth.py) that grants nothing else; it must belong to an account that is
still enabled and whose sessions were not ended since, and it lasts fifteen minutes.
"""

from __future__ import annotations

import time
from typing import Annotated, Final

import pyotp
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from skillvoucher.core import DomainError
from skillvoucher.identity import (
    SignInOutcome,
    StaffAccount,
    begin_totp_enrolment,
    change_own_password,
    confirm_totp_enrolment,
    principal_of,
)
from skillvoucher.web.auth import (
    STAGE_FULL,
    STAGE_PASSWORD_CHANGE,
    STAGE_TOTP_ENROLMENT,
    public,
    session_staff_id,
    session_stage,
    start_staff_session,
)
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.i18n import N_
from skillvoucher.web.ui.common import NO_STORE, NextForm, NextQuery, form_error, landing_path, local_next, see_other
from skillvoucher.web.ui.qr import qr_svg

router = APIRouter(include_in_schema=False, dependencies=[Depends(public)])

PARTIAL_SECONDS: Final = 15 * 60
PASSWORDS_DIFFER: Final = N_("The two new passwords are not the same.")


@router.get("/sign-in/staff/new-password", response_class=HTMLResponse, name="first_password")
def new_password_form(request: Request, pages: PageRenderer, next_path: NextQuery = "") -> Response:
    with get_runtime(request).uow.read() as session:
        if _partial_account(request, session, STAGE_PASSWORD_CHANGE) is None:
            return see_other("/sign-in/staff", next=local_next(next_path))
    return _password_page(request, pages, next_path=local_next(next_path))


@router.post("/sign-in/staff/new-password", name="first_password_submit")
def new_password_submit(
    request: Request,
    pages: PageRenderer,
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
    repeat: Annotated[str, Form(max_length=200)],
    next_path: NextForm = "",
) -> Response:
    next_path = local_next(next_path)
    if new != repeat:
        return _password_page(request, pages, next_path=next_path, error=PASSWORDS_DIFFER, status=422)
    try:
        with get_runtime(request).uow.begin() as session:
            account = _partial_account(request, session, STAGE_PASSWORD_CHANGE)
            if account is None:
                return see_other("/sign-in/staff", next=next_path)
            change_own_password(session, account=account, current=current, new=new)
    except DomainError as error:
        return _password_page(request, pages, next_path=next_path, error=error, status=422)
    if SignInOutcome(account=account).needs_totp_enrolment:
        start_staff_session(request, account, stage=STAGE_TOTP_ENROLMENT)
        return see_other("/sign-in/staff/authenticator", next=next_path)
    start_staff_session(request, account, stage=STAGE_FULL)
    return see_other(next_path or landing_path(principal_of(account)))


@router.get("/sign-in/staff/authenticator", response_class=HTMLResponse, name="authenticator")
def authenticator_form(request: Request, pages: PageRenderer, next_path: NextQuery = "") -> Response:
    """Each visit makes a new key (stored encrypted, not in force until a code from it is confirmed)."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        account = _partial_account(request, session, STAGE_TOTP_ENROLMENT)
        if account is None:
            return see_other("/sign-in/staff", next=local_next(next_path))
        uri = begin_totp_enrolment(session, account=account, cipher=runtime.cipher)
    return _authenticator_page(request, pages, next_path=local_next(next_path), uri=uri, username=account.username)


@router.post("/sign-in/staff/authenticator", name="authenticator_submit")
def authenticator_submit(
    request: Request, pages: PageRenderer, code: Annotated[str, Form(max_length=20)], next_path: NextForm = ""
) -> Response:
    next_path = local_next(next_path)
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            account = _partial_account(request, session, STAGE_TOTP_ENROLMENT)
            if account is None:
                return see_other("/sign-in/staff", next=next_path)
            confirm_totp_enrolment(session, account=account, code=code, cipher=runtime.cipher)
    except DomainError as error:
        return _authenticator_page(request, pages, next_path=next_path, error=error, status=422)
    start_staff_session(request, account, stage=STAGE_FULL)
    return see_other(next_path or landing_path(principal_of(account)))


def _partial_account(request: Request, session: Session, stage: str) -> StaffAccount | None:
    account_id = session_staff_id(request)
    if session_stage(request) != stage or account_id is None:
        return None
    if time.time() - int(request.session.get("at", 0)) > PARTIAL_SECONDS:
        return None
    account = session.get(StaffAccount, account_id)
    if account is None or account.disabled_at is not None or account.session_epoch != request.session.get("epoch"):
        return None
    return account


def _password_page(
    request: Request, pages: PageRenderer, *, next_path: str, error: str | DomainError | None = None, status: int = 200
) -> HTMLResponse:
    context = {
        "next": next_path,
        "first_time": True,
        "action": "/sign-in/staff/new-password",
        "active": "sign_in",
        **form_error(error),
    }
    return pages.render(request, "sign_in/new_password.html", context, status_code=status)


def _authenticator_page(
    request: Request,
    pages: PageRenderer,
    *,
    next_path: str,
    uri: str | None = None,
    username: str = "",
    error: str | DomainError | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "next": next_path,
        **form_error(error),
        "qr": qr_svg(uri, title=username) if uri else None,
        "secret": pyotp.parse_uri(uri).secret if uri else None,
        "active": "sign_in",
    }
    return pages.render(request, "sign_in/authenticator.html", context, status_code=status, headers=NO_STORE)
