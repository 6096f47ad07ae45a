"""My account: who I am, my role and region, my password, and signing out on every device."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillvoucher.core import DomainError, Forbidden
from skillvoucher.identity import (
    TOTP_REQUIRED_ROLES,
    ApiKey,
    Permission,
    Principal,
    Role,
    change_own_password,
    get_staff,
    region_names,
    sign_out_everywhere,
    sign_out_worker_everywhere,
)
from skillvoucher.web.auth import STAGE_FULL, end_session, require, start_staff_session
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.ui.common import form_error, reading, see_other
from skillvoucher.web.ui.staff_steps import PASSWORDS_DIFFER

router = APIRouter(include_in_schema=False)

Self = Annotated[Principal, Depends(require(Permission.ACCOUNT_SELF))]
NOTICES: Final = frozenset({"password_changed"})


class NoPassword(Forbidden):
    def __init__(self) -> None:
        super().__init__("只有员工账号有密码 / only staff accounts have a password", code="NoPassword")


@router.get("/account", response_class=HTMLResponse, name="account")
def account_page(
    request: Request, pages: PageRenderer, principal: Self, notice: Annotated[str, Query(max_length=40)] = ""
) -> Response:
    if principal.role is Role.WORKER:
        return see_other("/me")
    with reading(request) as session:  # an institution's system may ask too: say which key it is using
        if principal.via_api_key:
            key = session.get(ApiKey, principal.account_id)
        else:
            account = get_staff(session, principal.account_id)
            names = region_names(session, [account.region_code] if account.region_code else [])
    if principal.via_api_key:
        return pages.render(request, "account.html", {"api_key": key, "active": "account", "account": None})
    context: dict[str, object] = {
        "account": account,
        "api_key": None,
        "region_name": names.get(account.region_code or ""),
        "totp_required": Role(account.role) in TOTP_REQUIRED_ROLES,
        "notice": notice if notice in NOTICES else None,
        "active": "account",
    }
    return pages.render(request, "account.html", context)


@router.post("/account/sign-out-everywhere", name="sign_out_everywhere")
def sign_out_everywhere_submit(request: Request, principal: Self) -> RedirectResponse:
    """Ends every session of this account, this one included (the session epoch moves on)."""
    if principal.via_api_key:
        raise Forbidden("接口密钥没有会话；请撤销密钥 / an API key has no sessions; revoke the key instead")
    with get_runtime(request).uow.begin() as session:
        if principal.role is Role.WORKER:
            sign_out_worker_everywhere(session, person_id=principal.account_id)
        else:
            sign_out_everywhere(session, account=get_staff(session, principal.account_id))
    end_session(request)
    return see_other("/sign-in")


@router.get("/account/password", response_class=HTMLResponse, name="change_password")
def password_form(request: Request, pages: PageRenderer, principal: Self) -> HTMLResponse:
    _staff_only(principal)
    return _password_page(request, pages)


@router.post("/account/password", name="change_password_submit")
def password_submit(
    request: Request,
    pages: PageRenderer,
    principal: Self,
    current: Annotated[str, Form(max_length=200)],
    new: Annotated[str, Form(max_length=200)],
    repeat: Annotated[str, Form(max_length=200)],
) -> Response:
    """Other sessions end; this one continues under the new session epoch."""
    _staff_only(principal)
    if new != repeat:
        return _password_page(request, pages, error=PASSWORDS_DIFFER, status=422)
    try:
        with get_runtime(request).uow.begin() as session:
            account = get_staff(session, principal.account_id)
            change_own_password(session, account=account, current=current, new=new)
    except DomainError as error:
        return _password_page(request, pages, error=error, status=422)
    start_staff_session(request, account, stage=STAGE_FULL)
    return see_other("/account", notice="password_changed")


def _staff_only(principal: Principal) -> None:
    if principal.role is Role.WORKER or principal.via_api_key:
        raise NoPassword()


def _password_page(
    request: Request, pages: PageRenderer, *, error: str | DomainError | None = None, status: int = 200
) -> HTMLResponse:
    context = {"next": "", "first_time": False, "action": "/account/password", "active": "account", **form_error(error)}
    return pages.render(request, "sign_in/new_password.html", context, status_code=status)
