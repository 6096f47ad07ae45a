"""Test data for identity and access: staff accounts of every role, TOTP codes, verified e-SSC identities."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import replace
from datetime import datetime, timedelta

import pyotp
from sqlalchemy.orm import Session

from skillvoucher.core import utc_now
from skillvoucher.identity.account_models import StaffAccount
from skillvoucher.identity.authz import Role
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.ports import VerifiedIdentity
from skillvoucher.identity.staff import Binding, begin_totp_enrolment, confirm_totp_enrolment, create_staff
from tests.factories.training import assessment_body_row, institution_row

PASSWORD = "Correct-Horse-42"
_numbers = itertools.count(1)


def make_staff(
    session: Session,
    *,
    role: Role = Role.BUREAU_OFFICER,
    region_code: str | None = "350200",
    institution_id: int | None = None,
    assessment_body_id: int | None = None,
    password: str = PASSWORD,
    username: str | None = None,
) -> StaffAccount:
    if role is Role.INSTITUTION_STAFF:
        institution_id = institution_row(session, id=institution_id)
    if role is Role.ASSESSOR:
        assessment_body_id = assessment_body_row(session, id=assessment_body_id)
    account, _ = create_staff(
        session,
        username=username or f"{role.value.replace('_', '-')}-{next(_numbers)}",
        display_name="测试用户",
        binding=Binding(
            role, region_code=region_code, institution_id=institution_id, assessment_body_id=assessment_body_id
        ),
        by=None,
        password=password,
    )
    return account


def enrol_totp(session: Session, account: StaffAccount, cipher: PiiCipher) -> pyotp.TOTP:
    """Enrol a second factor as a user would (scan, type the first code); returns the authenticator."""
    uri = begin_totp_enrolment(session, account=account, cipher=cipher)
    totp = pyotp.parse_uri(uri)
    assert isinstance(totp, pyotp.TOTP)
    confirm_totp_enrolment(session, account=account, code=totp.now(), cipher=cipher)
    account.totp_last_step = None  # let tests use the current code again for sign-in
    session.flush()
    return totp


def verified_identity(
    id_number: str, *, name: str = "李四", region_code: str = "350203", now: datetime | None = None, **changes: object
) -> VerifiedIdentity:
    now = now or utc_now()
    identity = VerifiedIdentity(
        id_number=id_number,
        name=name,
        region_code=region_code,
        authenticated_at=now,
        method="pin",
        token_id=secrets.token_urlsafe(16),
        expires_at=now + timedelta(minutes=5),
    )
    return replace(identity, **changes)  # type: ignore[arg-type]
