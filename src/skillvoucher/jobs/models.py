"""Background jobs: a row per run with its progress, so a page can show it and a killed run can resume."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

JOB_STATES = ("queued", "running", "finished", "failed")


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'finished', 'failed')", name="state"),
        CheckConstraint("done >= 0", name="done_not_negative"),
        Index("ix_jobs_kind_subject", "kind", "subject_id"),
        Index("ix_jobs_state", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "vouchers.issue"
    subject_id: Mapped[int | None] = mapped_column(BigInteger)  # what it works on, e.g. a policy id
    region_code: Mapped[str | None] = mapped_column(String(6))  # whose pages list it
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10))
    total: Mapped[int | None] = mapped_column(Integer)  # units of work, when known
    done: Mapped[int] = mapped_column(Integer, default=0)
    # Where the next chunk starts (e.g. the last person id handled), committed with that chunk's work.
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
