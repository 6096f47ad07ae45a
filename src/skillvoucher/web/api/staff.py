"""Staff administration over JSON, the twin of the /staff pages: list and read (officers, auditors, administrators
in their region), create, disable, enable, reset password or authenticator, assign role and region."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from skillvoucher.core import utc_now
from skillvoucher.identity import (
    Binding,
    Permission,
    Principal,
    StaffAccount,
    assign_role,
    create_staff,
    disable_staff,
    enable_staff,
    get_staff,
    list_staff,
    reset_password,
    reset_totp,
    staff_resource,
)
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.auth import authorize, require
from skillvoucher.web.bindings import parse_binding
from skillvoucher.web.deps import get_runtime
from skillvoucher.web.ui.common import NO_STORE, scope_prefix

router = APIRouter(prefix="/api/v1/staff", tags=["staff"])

Reader = Annotated[Principal, Depends(require(Permission.STAFF_READ))]
Manager = Annotated[Principal, Depends(require(Permission.STAFF_MANAGE))]
AccountId = Annotated[int, Path(ge=1)]
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


class StaffOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    region_code: str | None
    institution_id: int | None
    assessment_body_id: int | None
    disabled: bool
    locked: bool
    must_change_password: bool
    totp_enabled: bool
    created_at: datetime
    last_sign_in_at: datetime | None

    @classmethod
    def of(cls, account: StaffAccount) -> StaffOut:
        return cls(
            id=account.id,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            region_code=account.region_code,
            institution_id=account.institution_id,
            assessment_body_id=account.assessment_body_id,
            disabled=account.disabled_at is not None,
            locked=account.locked_until is not None and account.locked_until > utc_now(),
            must_change_password=account.must_change_password,
            totp_enabled=account.totp_confirmed_at is not None,
            created_at=account.created_at,
            last_sign_in_at=account.last_sign_in_at,
        )


class StaffList(BaseModel):
    items: list[StaffOut]


class BindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(description="institution_staff, assessor, bureau_officer, auditor or admin")
    region_code: str | None = Field(default=None, description="required for bureau officers and auditors")
    institution_id: int | None = Field(default=None, description="required for institution staff")
    assessment_body_id: int | None = Field(default=None, description="required for assessors")


class NewStaffIn(BindingIn):
    username: str = Field(min_length=3, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)


class OneTimePasswordOut(BaseModel):
    account: StaffOut
    password: str = Field(description="a one-time password to hand over; it must be changed at first sign-in")


@router.get("", responses=problem_responses(401, 403))
def list_staff_accounts(request: Request, principal: Reader) -> StaffList:
    """Staff accounts in the caller's region (an administrator: all), by username."""
    with get_runtime(request).uow.read() as session:
        accounts = list_staff(session, region_prefix=scope_prefix(principal))
        return StaffList(items=[StaffOut.of(account) for account in accounts])


@router.post("", status_code=201, responses=WRITE_ERRORS)
def create_staff_account(
    request: Request, response: Response, principal: Manager, body: NewStaffIn
) -> OneTimePasswordOut:
    """Create an account; the answer holds its first password, once."""
    binding = _binding(body)
    with get_runtime(request).uow.begin() as session:
        account, password = create_staff(
            session, username=body.username, display_name=body.display_name, binding=binding, by=principal
        )
    response.headers.update(NO_STORE)
    return OneTimePasswordOut(account=StaffOut.of(account), password=password)


@router.get("/{account_id}", responses=problem_responses(401, 403, 404))
def get_staff_account(request: Request, principal: Reader, account_id: AccountId) -> StaffOut:
    with get_runtime(request).uow.read() as session:
        account = get_staff(session, account_id)
        authorize(principal, Permission.STAFF_READ, staff_resource(account))
        return StaffOut.of(account)


@router.post("/{account_id}/disable", responses=WRITE_ERRORS)
def disable_staff_account(request: Request, principal: Manager, account_id: AccountId) -> StaffOut:
    """Disable the account and end its sessions."""
    with get_runtime(request).uow.begin() as session:
        account = disable_staff(session, account_id=account_id, by=principal)
    return StaffOut.of(account)


@router.post("/{account_id}/enable", responses=WRITE_ERRORS)
def enable_staff_account(request: Request, principal: Manager, account_id: AccountId) -> StaffOut:
    """Enable the account again (and lift a lock)."""
    with get_runtime(request).uow.begin() as session:
        account = enable_staff(session, account_id=account_id, by=principal)
    return StaffOut.of(account)


@router.post("/{account_id}/reset-password", responses=WRITE_ERRORS)
def reset_staff_password(
    request: Request, response: Response, principal: Manager, account_id: AccountId
) -> OneTimePasswordOut:
    """A one-time password (in the answer, once); every session of the account ends and any lock is lifted."""
    with get_runtime(request).uow.begin() as session:
        account, password = reset_password(session, account_id=account_id, by=principal)
    response.headers.update(NO_STORE)
    return OneTimePasswordOut(account=StaffOut.of(account), password=password)


@router.post("/{account_id}/reset-totp", responses=WRITE_ERRORS)
def reset_staff_totp(request: Request, principal: Manager, account_id: AccountId) -> StaffOut:
    """Remove the authenticator; the user sets up a new one at their next sign-in."""
    with get_runtime(request).uow.begin() as session:
        account = reset_totp(session, account_id=account_id, by=principal)
    return StaffOut.of(account)


@router.post("/{account_id}/role", responses=WRITE_ERRORS)
def assign_staff_role(request: Request, principal: Manager, account_id: AccountId, body: BindingIn) -> StaffOut:
    """Give the account a role and where it applies; its sessions end."""
    binding = _binding(body)
    with get_runtime(request).uow.begin() as session:
        account = assign_role(session, account_id=account_id, binding=binding, by=principal)
    return StaffOut.of(account)


def _binding(body: BindingIn) -> Binding:
    return parse_binding(
        role=body.role,
        region_code=body.region_code,
        institution_id=body.institution_id,
        assessment_body_id=body.assessment_body_id,
    )
