"""Demo staff accounts, one of every role, created through the real staff actions (development and demo only)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.demo.organisations import ensure_demo_organisations
from skillvoucher.identity import (
    TOTP_REQUIRED_ROLES,
    Binding,
    PiiCipher,
    Role,
    StaffAccount,
    begin_totp_enrolment,
    confirm_totp_enrolment,
    create_staff,
)

# Shown on the console in development and demo mode only; production never creates these accounts.
DEMO_PASSWORD = "Demo-Skill-2021"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    binding: Binding


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "系统管理员", Binding(Role.ADMIN)),
    DemoAccount("fujian.officer", "福建省人社厅经办人", Binding(Role.BUREAU_OFFICER, region_code="350000")),
    DemoAccount("xiamen.officer", "厦门市人社局经办人", Binding(Role.BUREAU_OFFICER, region_code="350200")),
    DemoAccount("siming.officer", "思明区人社局经办人", Binding(Role.BUREAU_OFFICER, region_code="350203")),
    DemoAccount("xiamen.auditor", "厦门市审计人员", Binding(Role.AUDITOR, region_code="350200")),
    DemoAccount(
        "school.staff", "培训学校教务", Binding(Role.INSTITUTION_STAFF, region_code="350203", institution_id=1)
    ),
    DemoAccount("assessor", "评价机构考评员", Binding(Role.ASSESSOR, region_code="350200", assessment_body_id=1)),
)
DEMO_REGION = "350000"  # demo persons live in Fujian, where the demo officers work


def create_demo_accounts(session: Session, cipher: PiiCipher) -> list[str]:
    """Create the missing demo accounts (second factor enrolled where the role requires it); returns their names."""
    existing = set(session.scalars(select(StaffAccount.username)))
    school_id, body_id = ensure_demo_organisations(session)
    created = []
    for demo in DEMO_ACCOUNTS:
        if demo.username in existing:
            continue
        binding = demo.binding
        if binding.institution_id is not None:
            binding = replace(binding, institution_id=school_id)
        if binding.assessment_body_id is not None:
            binding = replace(binding, assessment_body_id=body_id)
        account, _ = create_staff(
            session,
            username=demo.username,
            display_name=demo.display_name,
            binding=binding,
            by=None,
            password=DEMO_PASSWORD,
        )
        if demo.binding.role in TOTP_REQUIRED_ROLES:
            secret = pyotp.parse_uri(begin_totp_enrolment(session, account=account, cipher=cipher)).secret
            confirm_totp_enrolment(session, account=account, code=pyotp.TOTP(secret).now(), cipher=cipher)
            account.totp_last_step = None  # the enrolment code may be used to sign in right away
        created.append(demo.username)
    return created


def current_totp_code(session: Session, cipher: PiiCipher, username: str) -> str | None:
    """The code a demo account's authenticator would show now (development and demo only)."""
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == username))
    if account is None or account.totp_secret_encrypted is None:
        return None
    return pyotp.TOTP(cipher.decrypt("totp_secret", account.totp_secret_encrypted)).now()
