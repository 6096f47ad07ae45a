"""Accounts: staff who sign in with a password, workers who sign in with the e-SSC, institutions' API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

STAFF_ROLES = ("institution_staff", "assessor", "bureau_officer", "auditor", "admin")


class StaffAccount(Base):
    __tablename__ = "staff_accounts"
    __table_args__ = (
        CheckConstraint("role IN ('institution_staff', 'assessor', 'bureau_officer', 'auditor', 'admin')", name="role"),
        CheckConstraint("role NOT IN ('bureau_officer', 'auditor') OR region_code IS NOT NULL", name="region_scope"),
        CheckConstraint("role <> 'institution_staff' OR institution_id IS NOT NULL", name="institution_bound"),
        CheckConstraint("role <> 'assessor' OR assessment_body_id IS NOT NULL", name="assessment_body_bound"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    # Bound organisations (tables of the training package, referenced by name so identity does not import it).
    institution_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("institutions.id"), index=True)
    assessment_body_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("assessment_bodies.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    totp_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # a TOTP code is accepted once
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    session_epoch: Mapped[int] = mapped_column(Integer, default=1)  # bumped to end every session at once
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WorkerAccount(Base):
    """A person who has signed in with the e-SSC at least once."""

    __tablename__ = "worker_accounts"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True, autoincrement=False)
    session_epoch: Mapped[int] = mapped_column(Integer, default=1)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_sign_in_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApiKey(Base):
    """A bearer token for an institution's own system. Only a hash is kept; the key is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    institution_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("institutions.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists so people can tell keys apart
    key_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SignInFailure(Base):
    """Failed sign-ins by network address, for rate limiting (kept for a day)."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class UsedIdentityToken(Base):
    """ID tokens already used to sign in or confirm: a replay hits the primary key."""

    __tablename__ = "used_identity_tokens"

    token_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    used_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
