from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base


class Region(Base):
    """An administrative division (GB/T 2260): province, prefecture-level city or county-level unit."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint("level IN ('province', 'city', 'county')", name="level"),)

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))  # 省, 直辖市, 地级市, 自治州, 市辖区, 县, …
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    province_code: Mapped[str] = mapped_column(String(6), index=True)
    pilot: Mapped[bool] = mapped_column(Boolean, default=False)  # the 2020 pilot (38 cities of 11 provinces)


class Occupation(Base):
    """An entry of the national occupational classification, kept per edition (tier 4 = an occupation)."""

    __tablename__ = "occupations"
    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 4", name="tier"),)

    edition: Mapped[str] = mapped_column(String(10), primary_key=True)
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    tier: Mapped[int] = mapped_column(SmallInteger)
    parent_code: Mapped[str | None] = mapped_column(String(10))
    green: Mapped[bool] = mapped_column(Boolean, default=False)
    digital: Mapped[bool] = mapped_column(Boolean, default=False)


class SkillLevel(Base):
    """National vocational skill levels: 5 = 初级工 (lowest) … 1 = 高级技师 (highest)."""

    __tablename__ = "skill_levels"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 5", name="level"),)

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name_zh: Mapped[str] = mapped_column(String(20))
    name_en: Mapped[str] = mapped_column(String(40))
