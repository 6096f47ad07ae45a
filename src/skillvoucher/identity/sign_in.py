"""Staff sign-in: password, then TOTP where the role requires it; lockout and per-address rate limiting.

The outcome is returned, not raised: failure counters and locks must be committed even when sign-in fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.core import Actor
from skillvoucher.identity import credentials
from skillvoucher.identity.account_models import SignInFailure, StaffAccount
from skillvoucher.identity.authz import TOTP_REQUIRED_ROLES, Principal, Role
from skillvoucher.identity.pii import PiiCipher

RATE_WINDOW = timedelta(minutes=15)
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = credentials.hash_password("skillvoucher-timing-equalizer")

Failure = Literal["credentials", "locked", "disabled", "totp_required", "totp_invalid", "rate_limited"]


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int
    minutes: int
    failures_per_address: int


@dataclass(frozen=True)
class SignInOutcome:
    account: StaffAccount | None = None
    failure: Failure | None = None
    locked_until: datetime | None = None

    @property
    def needs_totp_enrolment(self) -> bool:
        account = self.account
        return account is not None and Role(account.role) in TOTP_REQUIRED_ROLES and account.totp_confirmed_at is None


def attempt_staff_sign_in(
    session: Session,
    *,
    username: str,
    password: str,
    totp_code: str | None,
    address: str,
    cipher: PiiCipher,
    policy: LockoutPolicy,
    now: datetime,
) -> SignInOutcome:
    if _recent_failures(session, address, now) >= policy.failures_per_address:
        return SignInOutcome(failure="rate_limited")
    account = session.scalar(
        select(StaffAccount).where(StaffAccount.username == username.strip().lower()).with_for_update()
    )
    if account is None:
        credentials.verify_password(_DUMMY_HASH, password)
        _note_failure(session, address, now)
        return SignInOutcome(failure="credentials")
    if account.locked_until is not None and account.locked_until > now:
        _note_failure(session, address, now)
        return SignInOutcome(failure="locked", locked_until=account.locked_until)
    if not credentials.verify_password(account.password_hash, password):
        return _failed(session, account, address, now, policy, "credentials")
    if account.disabled_at is not None:
        return SignInOutcome(failure="disabled")
    if Role(account.role) in TOTP_REQUIRED_ROLES and account.totp_confirmed_at is not None:
        if not totp_code:
            return SignInOutcome(account=None, failure="totp_required")
        assert account.totp_secret_encrypted is not None
        secret = cipher.decrypt("totp_secret", account.totp_secret_encrypted)
        step = credentials.matching_totp_step(secret, totp_code, at=now.timestamp(), last_step=account.totp_last_step)
        if step is None:
            return _failed(session, account, address, now, policy, "totp_invalid")
        account.totp_last_step = step
    account.failed_attempts = 0
    account.locked_until = None
    account.last_sign_in_at = now
    audit.record(
        session,
        actor=principal_of(account).actor,
        action="staff.signed_in",
        subject_type="staff",
        subject_id=account.id,
        data={},
    )
    return SignInOutcome(account=account)


def principal_of(account: StaffAccount) -> Principal:
    return Principal(
        role=Role(account.role),
        account_id=account.id,
        region_code=account.region_code,
        institution_id=account.institution_id,
        assessment_body_id=account.assessment_body_id,
    )


def _failed(
    session: Session, account: StaffAccount, address: str, now: datetime, policy: LockoutPolicy, failure: Failure
) -> SignInOutcome:
    account.failed_attempts += 1
    _note_failure(session, address, now)
    if account.failed_attempts >= policy.threshold:
        account.locked_until = now + timedelta(minutes=policy.minutes)
        account.failed_attempts = 0
        audit.record(
            session,
            actor=Actor.system("sign-in"),
            action="staff.locked",
            subject_type="staff",
            subject_id=account.id,
            data={"minutes": policy.minutes},
        )
        return SignInOutcome(failure="locked", locked_until=account.locked_until)
    return SignInOutcome(failure=failure)


def _recent_failures(session: Session, address: str, now: datetime) -> int:
    since = now - RATE_WINDOW
    query = select(func.count()).where(SignInFailure.address == address, SignInFailure.occurred_at > since)
    return session.scalar(query) or 0


def _note_failure(session: Session, address: str, now: datetime) -> None:
    session.execute(delete(SignInFailure).where(SignInFailure.occurred_at < now - timedelta(days=1)))
    session.add(SignInFailure(address=address[:64], occurred_at=now))
    session.flush()
