"""Enrolments backed by vouchers, attendance evidence, assessment results and certificates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

ENROLMENT_STATES = ("pending", "enrolled", "cancelled", "completed", "not_completed")
EVIDENCE_KINDS = ("self_scan", "online_prompt", "institution_file")  # the last is the weakest


class Enrolment(Base):
    """A worker in a class, backed by a voucher. Pending until the worker confirms; then the voucher is reserved."""

    __tablename__ = "enrolments"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'enrolled', 'cancelled', 'completed', 'not_completed')", name="state"),
        CheckConstraint("value_fen IS NULL OR value_fen >= 0", name="value_not_negative"),
        # A voucher backs one enrolment at a time; a person takes a seat in a class once.
        Index(
            "uq_enrolments_voucher_active",
            "voucher_id",
            unique=True,
            postgresql_where=text("state IN ('enrolled', 'completed', 'not_completed')"),
            sqlite_where=text("state IN ('enrolled', 'completed', 'not_completed')"),
        ),
        Index(
            "uq_enrolments_class_person_active",
            "class_id",
            "person_id",
            unique=True,
            postgresql_where=text("state IN ('enrolled', 'completed', 'not_completed')"),
            sqlite_where=text("state IN ('enrolled', 'completed', 'not_completed')"),
        ),
        Index("ix_enrolments_person", "person_id"),
        Index("ix_enrolments_class", "class_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    voucher_id: Mapped[int] = mapped_column(ForeignKey("vouchers.id"), index=True)
    state: Mapped[str] = mapped_column(String(15))
    value_fen: Mapped[int | None] = mapped_column(Integer)  # the subsidy this enrolment holds
    budget_reserved_fen: Mapped[int] = mapped_column(Integer, default=0)  # what enrolling added to the budget
    worker_pays: Mapped[bool] = mapped_column(Boolean, default=False)  # no-face-value voucher: subsidy follows
    verified_by: Mapped[str] = mapped_column(String(100))
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(500))
    voucher_outcome: Mapped[str | None] = mapped_column(String(10))  # at a cancellation: released | forfeited


class Attendance(Base):
    """One check-in: a trainee at a class session, with the evidence behind it."""

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint("evidence IN ('self_scan', 'online_prompt', 'institution_file')", name="evidence"),
        UniqueConstraint("enrolment_id", "session_id", "prompt", name="uq_attendance_once"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"))
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id"), index=True)
    prompt: Mapped[int] = mapped_column(SmallInteger, default=0)  # online lessons: which random check-in point
    evidence: Mapped[str] = mapped_column(String(20))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    device_fingerprint: Mapped[str | None] = mapped_column(String(64))  # a hash the phone's browser reports
    network_address: Mapped[str | None] = mapped_column(String(45))
    recorded_by: Mapped[str] = mapped_column(String(100))


class AssessmentResult(Base):
    __tablename__ = "assessment_results"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), unique=True)
    assessment_body_id: Mapped[int] = mapped_column(ForeignKey("assessment_bodies.id"))
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[int | None] = mapped_column(SmallInteger)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Certificate(Base):
    """A vocational skill level certificate with a unified serial number, tied to the holder's identity."""

    __tablename__ = "certificates"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 5", name="level"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    serial: Mapped[str] = mapped_column(String(24), unique=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    occupation_code: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(SmallInteger)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    assessment_body_id: Mapped[int] = mapped_column(ForeignKey("assessment_bodies.id"))
    class_start: Mapped[date] = mapped_column(Date)
    class_end: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
