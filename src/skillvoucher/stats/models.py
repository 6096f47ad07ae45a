"""The rollup table: counters per region (every level), month, policy and dimension member."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, PrimaryKeyConstraint, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base


class StatCount(Base):
    """Counters kept in the same transaction as each state change, so a dashboard never scans the raw tables.

    `slot` spreads concurrent writers of one key over several rows (a transaction picks one at random), so the
    national row is not a lock every enrolment queues on; readers sum over slots.
    """

    __tablename__ = "stat_counts"
    __table_args__ = (PrimaryKeyConstraint("region_code", "dimension", "month", "policy_id", "member", "slot"),)

    region_code: Mapped[str] = mapped_column(String(6))  # 000000 = national
    dimension: Mapped[str] = mapped_column(String(12))
    month: Mapped[int] = mapped_column(Integer)  # yyyymm, China time
    policy_id: Mapped[int] = mapped_column(BigInteger)
    member: Mapped[str] = mapped_column(String(40))
    slot: Mapped[int] = mapped_column(SmallInteger)
    issued: Mapped[int] = mapped_column(BigInteger, default=0)
    claimed: Mapped[int] = mapped_column(BigInteger, default=0)
    used: Mapped[int] = mapped_column(BigInteger, default=0)
    forfeited: Mapped[int] = mapped_column(BigInteger, default=0)
    expired: Mapped[int] = mapped_column(BigInteger, default=0)
    revoked: Mapped[int] = mapped_column(BigInteger, default=0)
    completed: Mapped[int] = mapped_column(BigInteger, default=0)
    certified: Mapped[int] = mapped_column(BigInteger, default=0)
    trainees: Mapped[int] = mapped_column(BigInteger, default=0)
    classes: Mapped[int] = mapped_column(BigInteger, default=0)
    held_fen: Mapped[int] = mapped_column(BigInteger, default=0)
