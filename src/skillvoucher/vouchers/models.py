"""Voucher policies, the vouchers issued under them, and the keys that sign the QR codes workers show."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

POLICY_KINDS = ("face_value", "general", "targeted", "no_face_value")
VOUCHER_STATES = ("issued", "claimed", "reserved", "used", "expired", "revoked", "forfeited")
LIVE_STATES = ("issued", "claimed")  # states that expire with time


class VoucherPolicy(Base):
    """Who gets which voucher, worth what, for how long, and how many at most: set by an officer for a region."""

    __tablename__ = "voucher_policies"
    __table_args__ = (
        CheckConstraint("kind IN ('face_value', 'general', 'targeted', 'no_face_value')", name="kind"),
        CheckConstraint("state IN ('open', 'closed')", name="state"),
        CheckConstraint("closes_on >= opens_on", name="window"),
        CheckConstraint("(valid_until IS NULL) <> (valid_days IS NULL)", name="one_validity"),
        CheckConstraint("valid_days IS NULL OR valid_days > 0", name="valid_days_positive"),
        CheckConstraint("budget_cap_fen IS NULL OR budget_cap_fen >= 0", name="budget_cap"),
        CheckConstraint("quantity_cap IS NULL OR quantity_cap >= 0", name="quantity_cap"),
        CheckConstraint("yearly_limit IS NULL OR yearly_limit > 0", name="yearly_limit"),
        CheckConstraint("issued_count >= 0 AND committed_fen >= 0", name="counters"),
        CheckConstraint("late_cancellation IN ('release', 'forfeit')", name="late_cancellation"),
        CheckConstraint("attendance_percent BETWEEN 1 AND 100", name="attendance_percent"),
        # The caps hold in the database too: a bug in the issuing code cannot overshoot them.
        CheckConstraint("quantity_cap IS NULL OR issued_count <= quantity_cap", name="within_quantity_cap"),
        CheckConstraint("budget_cap_fen IS NULL OR committed_fen <= budget_cap_fen", name="within_budget_cap"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    funding_source: Mapped[str] = mapped_column(String(200))
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON)  # vouchers.rules.Eligibility
    usage: Mapped[dict[str, Any]] = mapped_column(JSON)  # vouchers.rules.Usage
    value_rule: Mapped[dict[str, Any]] = mapped_column(JSON)  # vouchers.rules.FixedValue | CatalogueValue
    opens_on: Mapped[date] = mapped_column(Date)  # issuance and claims from this day …
    closes_on: Mapped[date] = mapped_column(Date)  # … to this day, inclusive
    valid_until: Mapped[date | None] = mapped_column(Date)  # a fixed last day of use, or …
    valid_days: Mapped[int | None] = mapped_column(Integer)  # … this many days from the claim
    budget_cap_fen: Mapped[int | None] = mapped_column(BigInteger)
    quantity_cap: Mapped[int | None] = mapped_column(Integer)
    once_per_occupation_level: Mapped[bool] = mapped_column(Boolean, default=True)
    yearly_limit: Mapped[int | None] = mapped_column(SmallInteger)  # vouchers a person may get a year, all policies
    claimable: Mapped[bool] = mapped_column(Boolean, default=False)  # open to claims on demand by workers
    target_class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"))  # targeted vouchers
    # A cancellation after the class started gives the voucher back (release) or uses it up (forfeit).
    late_cancellation: Mapped[str] = mapped_column(String(10), default="release", server_default="release")
    # Completion needs this share of the course's hours attended with strong (own-device) evidence.
    attendance_percent: Mapped[int] = mapped_column(SmallInteger, default=80, server_default="80")
    state: Mapped[str] = mapped_column(String(10))
    issued_count: Mapped[int] = mapped_column(Integer, default=0)
    committed_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # face values issued, against the budget
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Voucher(Base):
    """One person's voucher under one policy. Nothing is signed at issuance: the QR token is made when shown."""

    __tablename__ = "vouchers"
    __table_args__ = (
        CheckConstraint(
            "state IN ('issued', 'claimed', 'reserved', 'used', 'expired', 'revoked', 'forfeited')",
            name="state",
        ),
        CheckConstraint("value_fen IS NULL OR value_fen >= 0", name="value_not_negative"),
        UniqueConstraint("policy_id", "person_id", name="uq_vouchers_policy_person"),  # one per person per policy
        Index("ix_vouchers_person", "person_id", "issued_year"),
        # Only vouchers that can still lapse sit in this index, so the expiry job reads just those.
        Index(
            "ix_vouchers_lapsing",
            "expires_on",
            postgresql_where=text("state IN ('issued', 'claimed')"),
            sqlite_where=text("state IN ('issued', 'claimed')"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # 128 random bits, hex
    # No foreign keys on these two, on purpose: a batch of a million vouchers would have PostgreSQL look up and
    # share-lock the same policy row a million times and write a lock mark into every person's row (about 40 % of
    # a batch's time, bench/issuance.py). Every path that writes a voucher selects the person from the registry and
    # holds the policy row locked; no code deletes persons or policies.
    policy_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(10))
    value_fen: Mapped[int | None] = mapped_column(Integer)  # None: decided by the course (general vouchers)
    expires_on: Mapped[date] = mapped_column(Date)  # last day it may be claimed or used
    issued_year: Mapped[int] = mapped_column(SmallInteger)  # for the per-person yearly limit
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The batch that issued it, if any. No foreign key: a million-row batch would check the same job a million times.
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # expired or revoked at
    reason: Mapped[str | None] = mapped_column(String(500))  # why it was revoked


class VoucherSigningKey(Base):
    """Ed25519 keys for the QR tokens; the private half is encrypted. Retired keys stay published a while."""

    __tablename__ = "voucher_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
