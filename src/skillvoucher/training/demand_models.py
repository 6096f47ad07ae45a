"""The training-demand catalogue: what is subsidised, per region and period. Versions supersede, never overwrite."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

DEMAND_FLAGS = ("none", "shortage", "key")  # 紧缺职业 / 重点职业 carry an uplift


class DemandEntry(Base):
    __tablename__ = "demand_entries"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        CheckConstraint("subsidy_fen >= 0", name="subsidy_not_negative"),
        CheckConstraint("standard_hours > 0", name="hours_positive"),
        CheckConstraint("flag IN ('none', 'shortage', 'key')", name="flag"),
        CheckConstraint("uplift_percent BETWEEN 0 AND 100", name="uplift"),
        CheckConstraint("flag <> 'none' OR uplift_percent = 0", name="uplift_needs_flag"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
        CheckConstraint("version >= 1", name="version"),
        ForeignKeyConstraint(
            ["occupation_edition", "occupation_code"],
            ["occupations.edition", "occupations.code"],
            name="fk_demand_entries_occupation_occupations",
        ),
        Index("ix_demand_entries_key", "region_code", "occupation_code", "level", "valid_from"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    occupation_edition: Mapped[str] = mapped_column(String(10))
    occupation_code: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(SmallInteger)
    subsidy_fen: Mapped[int] = mapped_column(Integer)
    standard_hours: Mapped[int] = mapped_column(Integer)
    flag: Mapped[str] = mapped_column(String(10))
    uplift_percent: Mapped[int] = mapped_column(SmallInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # inclusive; open-ended when empty
    version: Mapped[int] = mapped_column(Integer)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("demand_entries.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
