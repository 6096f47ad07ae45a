"""Courses an institution offers, and their classes (开班): dates, sessions, teachers, the bureau's decision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillvoucher.db.base import Base
from skillvoucher.db.types import BigId, UtcDateTime

COURSE_MODES = ("in_person", "online", "mixed")
CLASS_STATES = ("applied", "approved", "rejected", "cancelled")


class Course(Base):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 5", name="level"),
        CheckConstraint("hours > 0", name="hours_positive"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("mode IN ('in_person', 'online', 'mixed')", name="mode"),
        CheckConstraint("status IN ('published', 'withdrawn')", name="status"),
        ForeignKeyConstraint(
            ["occupation_edition", "occupation_code"],
            ["occupations.edition", "occupations.code"],
            name="fk_courses_occupation_occupations",
        ),
        Index("ix_courses_listing", "status", "region_code"),
        # A trigram index serves LIKE '%keyword%' on PostgreSQL; SQLite gets a plain index it does not use for it.
        Index(
            "ix_courses_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    occupation_edition: Mapped[str] = mapped_column(String(10))
    occupation_code: Mapped[str] = mapped_column(String(10), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    hours: Mapped[int] = mapped_column(Integer)
    price_fen: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    capacity: Mapped[int] = mapped_column(Integer)
    open_enrolment: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10))
    search_text: Mapped[str] = mapped_column(Text)  # Chinese, full pinyin and initials, lower-case
    # The earliest approved class start on or after the day it was last derived (each class decision derives it);
    # search re-derives a value that time has passed, so it is a fast path, never a wrong answer.
    next_start: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TrainingClass(Base):
    """One run of a course, opened by an application (开班申请) that a bureau officer decides."""

    __tablename__ = "classes"
    __table_args__ = (
        CheckConstraint("state IN ('applied', 'approved', 'rejected', 'cancelled')", name="state"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("enrolled_count BETWEEN 0 AND capacity", name="seats"),  # never more trainees than seats
        Index("ix_classes_upcoming", "state", "start_date", "course_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    assessment_plan: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(500))
    applied_by: Mapped[str] = mapped_column(String(100))
    applied_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ClassSession(Base):
    __tablename__ = "class_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="times"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    topic: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(300))


class ClassTeacher(Base):
    __tablename__ = "class_teachers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    qualification: Mapped[str] = mapped_column(String(200))  # e.g. the teacher's certificate


class ClassTrainee(Base):
    """The roster (花名册) an institution reports with its class application; targeted vouchers go to these people."""

    __tablename__ = "class_trainees"
    __table_args__ = (PrimaryKeyConstraint("class_id", "person_id"),)

    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    listed_at: Mapped[datetime] = mapped_column(UtcDateTime)
