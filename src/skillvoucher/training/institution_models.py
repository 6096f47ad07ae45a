"""Institutions of the training-institution catalogue, assessment bodies, registered scope, bank-account changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

INSTITUTION_KINDS = (
    "private_school",  # 民办职业培训学校
    "vocational_college",  # 职业院校
    "technician_college",  # 技工院校
    "enterprise",  # 企业（职工培训中心）
    "public_centre",  # 公共实训基地、就业训练中心
    "other",
)
ACCREDITATION_STATES = ("applied", "accredited", "under_review", "payments_suspended", "delisted")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Institution(Base):
    __tablename__ = "institutions"
    __table_args__ = (
        CheckConstraint(_in("kind", INSTITUTION_KINDS), name="kind"),
        CheckConstraint(_in("accreditation", ACCREDITATION_STATES), name="accreditation"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)  # unified social credit code, upper-case
    kind: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(30))  # the institution's business line, not personal data
    bank_name: Mapped[str | None] = mapped_column(String(100))
    bank_account_name: Mapped[str | None] = mapped_column(String(200))
    bank_account_number: Mapped[str | None] = mapped_column(String(40))
    accreditation: Mapped[str] = mapped_column(String(20), index=True)
    accreditation_reason: Mapped[str] = mapped_column(String(500))
    accreditation_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AssessmentBody(Base):
    """A skill-level assessment body (评价机构); assessors' accounts bind to one."""

    __tablename__ = "assessment_bodies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RegisteredScope(Base):
    """One occupation and level an institution is registered (备案) to train."""

    __tablename__ = "institution_scopes"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        ForeignKeyConstraint(
            ["occupation_edition", "occupation_code"],
            ["occupations.edition", "occupations.code"],
            name="fk_institution_scopes_occupation_occupations",
        ),
    )

    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), primary_key=True, autoincrement=False)
    occupation_edition: Mapped[str] = mapped_column(String(10), primary_key=True)
    occupation_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)


class BankAccountChange(Base):
    """A requested settlement account; it takes effect only when a different officer approves it."""

    __tablename__ = "bank_account_changes"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'approved', 'rejected')", name="state"),
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="maker_checker"),
        Index(
            "uq_bank_account_changes_one_pending",
            "institution_id",
            unique=True,
            sqlite_where=text("state = 'pending'"),
            postgresql_where=text("state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    bank_name: Mapped[str] = mapped_column(String(100))
    bank_account_name: Mapped[str] = mapped_column(String(200))
    bank_account_number: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10))
    requested_by: Mapped[str] = mapped_column(String(100))  # an actor label
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))
