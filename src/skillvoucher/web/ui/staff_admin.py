"""Staff administration for administrators and bureau officers (auditors read): list, create, and per account
disable, enable, reset password, reset authenticator, assign role and region. One-time passwords are shown once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher.core import DomainError, utc_now
from skillvoucher.identity import (
    Permission,
    Principal,
    StaffAccount,
    assign_role,
    can,
    create_staff,
    disable_staff,
    enable_staff,
    get_staff,
    list_staff,
    region_names,
    reset_password,
    reset_totp,
    staff_resource,
)
from skillvoucher.web.auth import authorize, require
from skillvoucher.web.bindings import grantable_roles, optional_int, parse_binding
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import NO_STORE, form_error, reading, scope_prefix, see_other

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.STAFF_READ))]
Manager = Annotated[Principal, Depends(require(Permission.STAFF_MANAGE))]
AccountId = Annotated[int, Path(ge=1)]
Text = Annotated[str, Form(max_length=100)]


@router.get("/staff", response_class=HTMLResponse, name="staff_list")
def staff_list(request: Request, pages: PageRenderer, principal: Reader) -> HTMLResponse:
    with reading(request) as session:
        accounts = list_staff(session, region_prefix=scope_prefix(principal))
        names = region_names(session, [a.region_code for a in accounts if a.region_code])
    context = {
        "accounts": accounts,
        "region_names": names,
        "may_create": can(principal, Permission.STAFF_MANAGE),
        "now": utc_now(),
        "active": "staff_list",
    }
    return pages.render(request, "staff/list.html", context)


@router.get("/staff/new", response_class=HTMLResponse, name="staff_new")
def new_form(request: Request, pages: PageRenderer, principal: Manager) -> HTMLResponse:
    fields = ("username", "display_name", "role", "institution_id", "assessment_body_id")
    given = dict.fromkeys(fields, "") | {"region_code": principal.region_code or ""}
    return _new_page(request, pages, principal, given)


@router.post("/staff/new", name="staff_create")
def create(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    username: Annotated[str, Form(max_length=64)],
    display_name: Text,
    role: Annotated[str, Form(max_length=20)],
    region_code: Annotated[str, Form(max_length=6)] = "",
    institution_id: Annotated[str, Form(max_length=18)] = "",
    assessment_body_id: Annotated[str, Form(max_length=18)] = "",
) -> Response:
    given = {"username": username, "display_name": display_name, "role": role, "region_code": region_code}
    given |= {"institution_id": institution_id, "assessment_body_id": assessment_body_id}
    try:
        binding = parse_binding(
            role=role,
            region_code=region_code,
            institution_id=optional_int(institution_id),
            assessment_body_id=optional_int(assessment_body_id),
        )
        with get_runtime(request).uow.begin() as session:
            account, first_password = create_staff(
                session, username=username, display_name=display_name, binding=binding, by=principal
            )
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _new_page(request, pages, principal, given, error=error, status=status)
    context = {"account": account, "password": first_password, "created": True, "active": "staff_list"}
    return pages.render(request, "staff/password_once.html", context, status_code=201, headers=NO_STORE)


@router.get("/staff/{account_id}", response_class=HTMLResponse, name="staff_detail")
def detail(request: Request, pages: PageRenderer, principal: Reader, account_id: AccountId) -> HTMLResponse:
    with reading(request) as session:
        account = get_staff(session, account_id)
        authorize(principal, Permission.STAFF_READ, staff_resource(account))
        names = region_names(session, [account.region_code] if account.region_code else [])
    return _detail_page(request, pages, principal, account, names)


@router.post("/staff/{account_id}/disable", name="staff_disable")
def disable(request: Request, principal: Manager, account_id: AccountId) -> Response:
    with get_runtime(request).uow.begin() as session:
        disable_staff(session, account_id=account_id, by=principal)
    return see_other(f"/staff/{account_id}")


@router.post("/staff/{account_id}/enable", name="staff_enable")
def enable(request: Request, principal: Manager, account_id: AccountId) -> Response:
    with get_runtime(request).uow.begin() as session:
        enable_staff(session, account_id=account_id, by=principal)
    return see_other(f"/staff/{account_id}")


@router.post("/staff/{account_id}/reset-password", name="staff_reset_password")
def reset_password_submit(
    request: Request, pages: PageRenderer, principal: Manager, account_id: AccountId
) -> HTMLResponse:
    with get_runtime(request).uow.begin() as session:
        account, one_time = reset_password(session, account_id=account_id, by=principal)
    context = {"account": account, "password": one_time, "created": False, "active": "staff_list"}
    return pages.render(request, "staff/password_once.html", context, headers=NO_STORE)


@router.post("/staff/{account_id}/reset-totp", name="staff_reset_totp")
def reset_totp_submit(request: Request, principal: Manager, account_id: AccountId) -> Response:
    with get_runtime(request).uow.begin() as session:
        reset_totp(session, account_id=account_id, by=principal)
    return see_other(f"/staff/{account_id}")


@router.post("/staff/{account_id}/role", name="staff_assign_role")
def assign(
    request: Request,
    principal: Manager,
    account_id: AccountId,
    role: Annotated[str, Form(max_length=20)],
    region_code: Annotated[str, Form(max_length=6)] = "",
    institution_id: Annotated[str, Form(max_length=18)] = "",
    assessment_body_id: Annotated[str, Form(max_length=18)] = "",
) -> Response:
    binding = parse_binding(
        role=role,
        region_code=region_code,
        institution_id=optional_int(institution_id),
        assessment_body_id=optional_int(assessment_body_id),
    )
    with get_runtime(request).uow.begin() as session:
        assign_role(session, account_id=account_id, binding=binding, by=principal)
    return see_other(f"/staff/{account_id}")


def _new_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    given: dict[str, str],
    *,
    error: DomainError | None = None,
    status: int = 200,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "given": given,
        "roles": grantable_roles(principal),
        "active": "staff_list",
        **form_error(error),
    }
    return pages.render(request, "staff/new.html", context, status_code=status)


def _detail_page(
    request: Request, pages: PageRenderer, principal: Principal, account: StaffAccount, names: dict[str, str]
) -> HTMLResponse:
    context = {
        "account": account,
        "region_name": names.get(account.region_code or ""),
        "may_manage": can(principal, Permission.STAFF_MANAGE, staff_resource(account)),
        "is_self": account.id == principal.account_id and not principal.via_api_key,
        "roles": grantable_roles(principal),
        "now": utc_now(),
        "active": "staff_list",
    }
    return pages.render(request, "staff/detail.html", context)
