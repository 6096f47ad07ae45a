"""Staff accounts: create, disable, enable, reset, assign, change password, enrol TOTP, sign out everywhere.

Each action is authorized through `authz.can` (an operator at the server's command line passes `by=None`) and writes
one audit event. Nothing here commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.catalog import Region
from skillvoucher.core import Actor, Conflict, Forbidden, Invalid, NotFound, utc_now
from skillvoucher.identity import credentials
from skillvoucher.identity.account_models import StaffAccount
from skillvoucher.identity.authz import REGION_BOUND_ROLES, Permission, Principal, Resource, Role, can
from skillvoucher.identity.pii import PiiCipher

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
OPERATOR = Actor.operator("cli")


class StaffAccountNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("账号不存在 / no such staff account")


@dataclass(frozen=True)
class Binding:
    """Where a role applies: a region for officers and auditors, an institution or assessment body otherwise."""

    role: Role
    region_code: str | None = None
    institution_id: int | None = None
    assessment_body_id: int | None = None


def staff_resource(account: StaffAccount) -> Resource:
    return Resource(
        region_code=account.region_code, institution_id=account.institution_id, staff_role=Role(account.role)
    )


def create_staff(
    session: Session,
    *,
    username: str,
    display_name: str,
    binding: Binding,
    by: Principal | None,
    password: str | None = None,
) -> tuple[StaffAccount, str]:
    """Create an account. Returns it and its first password (generated when not given; must be changed)."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise Invalid("用户名须为3-64位小写字母、数字、点、横线或下划线 / username: 3-64 of a-z 0-9 . _ -")
    _check_binding(session, binding)
    _authorize(by, Permission.STAFF_MANAGE, Resource(region_code=binding.region_code, staff_role=binding.role))
    first_password = password or credentials.generate_password()
    credentials.check_password_policy(first_password, username=username)
    account = StaffAccount(
        username=username,
        display_name=display_name.strip() or username,
        role=binding.role.value,
        region_code=binding.region_code,
        institution_id=binding.institution_id,
        assessment_body_id=binding.assessment_body_id,
        password_hash=credentials.hash_password(first_password),
        must_change_password=password is None,
        failed_attempts=0,
        session_epoch=1,
        created_at=utc_now(),
    )
    _flush_checked(session, adding=account)
    _audit(session, by, "staff.created", account, {"role": binding.role.value, "region_code": binding.region_code})
    return account, first_password


def disable_staff(session: Session, *, account_id: int, by: Principal | None) -> StaffAccount:
    account = _managed(session, account_id, by)
    if by is not None and by.account_id == account.id and not by.via_api_key and by.role is not Role.WORKER:
        raise Forbidden("不能停用自己的账号 / you cannot disable your own account")
    account.disabled_at = utc_now()
    account.session_epoch += 1
    _audit(session, by, "staff.disabled", account, {})
    return account


def enable_staff(session: Session, *, account_id: int, by: Principal | None) -> StaffAccount:
    account = _managed(session, account_id, by)
    account.disabled_at = None
    account.failed_attempts = 0
    account.locked_until = None
    _audit(session, by, "staff.enabled", account, {})
    return account


def reset_password(session: Session, *, account_id: int, by: Principal | None) -> tuple[StaffAccount, str]:
    """A one-time password the user must change at next sign-in; every session ends and any lock is lifted."""
    account = _managed(session, account_id, by)
    one_time = credentials.generate_password()
    account.password_hash = credentials.hash_password(one_time)
    account.must_change_password = True
    account.failed_attempts = 0
    account.locked_until = None
    account.session_epoch += 1
    _audit(session, by, "staff.password_reset", account, {})
    return account, one_time


def reset_totp(session: Session, *, account_id: int, by: Principal | None) -> StaffAccount:
    account = _managed(session, account_id, by)
    account.totp_secret_encrypted = None
    account.totp_confirmed_at = None
    account.totp_last_step = None
    account.session_epoch += 1
    _audit(session, by, "staff.totp_reset", account, {})
    return account


def assign_role(session: Session, *, account_id: int, binding: Binding, by: Principal | None) -> StaffAccount:
    account = _managed(session, account_id, by)
    _check_binding(session, binding)
    _authorize(by, Permission.STAFF_MANAGE, Resource(region_code=binding.region_code, staff_role=binding.role))
    account.role = binding.role.value
    account.region_code = binding.region_code
    account.institution_id = binding.institution_id
    account.assessment_body_id = binding.assessment_body_id
    account.session_epoch += 1  # a session must not keep the old role's rights
    _flush_checked(session)
    _audit(session, by, "staff.role_assigned", account, {"role": account.role, "region_code": account.region_code})
    return account


def change_own_password(session: Session, *, account: StaffAccount, current: str, new: str) -> None:
    if not credentials.verify_password(account.password_hash, current):
        raise Invalid("当前密码不正确 / the current password is wrong")
    if current == new:
        raise Invalid("新密码不能与当前密码相同 / choose a password different from the current one")
    credentials.check_password_policy(new, username=account.username)
    account.password_hash = credentials.hash_password(new)
    account.must_change_password = False
    account.session_epoch += 1
    _audit(session, _self(account), "staff.password_changed", account, {})


def begin_totp_enrolment(session: Session, *, account: StaffAccount, cipher: PiiCipher) -> str:
    """A fresh secret, stored encrypted but not yet in force; returns its provisioning URI for the QR code."""
    if account.totp_confirmed_at is not None:
        raise Conflict("已启用动态口令 / a second factor is already set up; ask an administrator to reset it")
    secret = credentials.new_totp_secret()
    account.totp_secret_encrypted = cipher.encrypt("totp_secret", secret)
    return credentials.totp_provisioning_uri(secret, username=account.username)


def confirm_totp_enrolment(session: Session, *, account: StaffAccount, code: str, cipher: PiiCipher) -> None:
    if account.totp_secret_encrypted is None or account.totp_confirmed_at is not None:
        raise Conflict("没有待确认的动态口令 / no second factor is waiting for confirmation")
    secret = cipher.decrypt("totp_secret", account.totp_secret_encrypted)
    step = credentials.matching_totp_step(secret, code, at=utc_now().timestamp(), last_step=None)
    if step is None:
        raise Invalid("动态口令不正确 / that code is not right; check the time on your phone")
    account.totp_confirmed_at = utc_now()
    account.totp_last_step = step
    _audit(session, _self(account), "staff.totp_enrolled", account, {})


def sign_out_everywhere(session: Session, *, account: StaffAccount) -> None:
    account.session_epoch += 1
    _audit(session, _self(account), "staff.signed_out_everywhere", account, {})


def get_staff(session: Session, account_id: int) -> StaffAccount:
    account = session.get(StaffAccount, account_id)
    if account is None:
        raise StaffAccountNotFound()
    return account


def _managed(session: Session, account_id: int, by: Principal | None) -> StaffAccount:
    account = session.get(StaffAccount, account_id, with_for_update=True)
    if account is None:
        raise StaffAccountNotFound()
    _authorize(by, Permission.STAFF_MANAGE, staff_resource(account))
    return account


def _flush_checked(session: Session, *, adding: StaffAccount | None = None) -> None:
    """Let the constraints decide (a unique username, an institution or assessment body that exists) and turn
    their refusal into a clear error instead of a crash; a race between two creators ends the same way."""
    try:
        with session.begin_nested():  # a refused row leaves the session as it was
            if adding is not None:
                session.add(adding)
            session.flush()
    except IntegrityError as error:
        if "username" in str(error.orig):
            raise Conflict("用户名已被使用 / this username is taken") from None
        raise Invalid("所选培训机构或评价机构不存在 / the institution or assessment body does not exist") from None


def _check_binding(session: Session, binding: Binding) -> None:
    if binding.role in REGION_BOUND_ROLES and not binding.region_code:
        raise Invalid("该角色须指定行政区划 / this role needs a region")
    if binding.region_code and session.get(Region, binding.region_code) is None:
        raise Invalid("行政区划代码不存在 / unknown region code")
    if binding.role is Role.INSTITUTION_STAFF and binding.institution_id is None:
        raise Invalid("培训机构人员须指定机构 / institution staff need an institution")
    if binding.role is Role.ASSESSOR and binding.assessment_body_id is None:
        raise Invalid("评价人员须指定评价机构 / assessors need an assessment body")
    if binding.role is Role.WORKER:
        raise Invalid("劳动者通过电子社保卡登录，不设员工账号 / workers sign in with the e-SSC, not a staff account")


def _authorize(by: Principal | None, permission: Permission, resource: Resource) -> None:
    if by is not None and not can(by, permission, resource):
        raise Forbidden("无权进行此操作 / you are not allowed to do this here")


def _self(account: StaffAccount) -> Principal:
    return Principal(role=Role(account.role), account_id=account.id, region_code=account.region_code)


def _audit(session: Session, by: Principal | None, action: str, account: StaffAccount, data: dict[str, object]) -> None:
    actor = by.actor if by is not None else OPERATOR
    audit.record(
        session,
        actor=actor,
        action=action,
        subject_type="staff",
        subject_id=account.id,
        data={"username": account.username, **data},
    )


def find_staff_by_username(session: Session, username: str) -> StaffAccount:
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username.strip().lower()))
    if account is None:
        raise StaffAccountNotFound()
    return account


def list_staff(session: Session, *, region_prefix: str | None = None) -> list[StaffAccount]:
    query = select(StaffAccount).order_by(StaffAccount.role, StaffAccount.username)
    if region_prefix is not None:
        query = query.where(StaffAccount.region_code.startswith(region_prefix, autoescape=True))
    return list(session.scalars(query))
