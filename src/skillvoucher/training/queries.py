"""Reads of the catalogues for bureau work lists and the public demand catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from skillvoucher.catalog import Occupation
from skillvoucher.identity import region_prefix
from skillvoucher.training.course_models import ClassTrainee, Course, TrainingClass
from skillvoucher.training.demand_models import DemandEntry
from skillvoucher.training.institution_models import Institution
from skillvoucher.training.rules import subsidy_fen

MAX_ROWS = 500


@dataclass(frozen=True)
class ClassApplication:
    id: int
    course_id: int
    course_title: str
    institution_id: int
    institution_name: str
    region_code: str
    start_date: date
    end_date: date
    capacity: int
    state: str
    roster_size: int


@dataclass(frozen=True)
class DemandLine:
    id: int
    region_code: str
    occupation_code: str
    occupation_name: str
    level: int
    subsidy_fen: int
    flag: str
    uplift_percent: int
    subsidy_with_uplift_fen: int
    standard_hours: int
    valid_from: date
    valid_to: date | None
    version: int
    superseded: bool


def _roster_size() -> ColumnElement[int]:
    """How many people a class's roster lists (a correlated count, one per listed class)."""
    return (
        select(func.count())
        .select_from(ClassTrainee)
        .where(ClassTrainee.class_id == TrainingClass.id)
        .correlate(TrainingClass)
        .scalar_subquery()
    )


def _within(column: InstrumentedAttribute[str], region_code: str) -> ColumnElement[bool]:
    prefix = region_prefix(region_code)
    return column == prefix if len(prefix) == 6 else column.startswith(prefix)


def class_applications(session: Session, *, region_code: str, state: str = "applied") -> list[ClassApplication]:
    """Classes in a region (with its sub-regions) in one state, oldest application first: an officer's queue."""
    rows = session.execute(
        select(TrainingClass, Course.title, Course.institution_id, Institution.name, Course.region_code, _roster_size())
        .join(Course, Course.id == TrainingClass.course_id)
        .join(Institution, Institution.id == Course.institution_id)
        .where(TrainingClass.state == state, _within(Course.region_code, region_code))
        .order_by(TrainingClass.applied_at, TrainingClass.id)
        .limit(MAX_ROWS)
    ).all()
    return [
        ClassApplication(
            id=c.id,
            course_id=c.course_id,
            course_title=title,
            institution_id=institution_id,
            institution_name=name,
            region_code=region,
            start_date=c.start_date,
            end_date=c.end_date,
            capacity=c.capacity,
            state=c.state,
            roster_size=size,
        )
        for c, title, institution_id, name, region, size in rows
    ]


def institutions_in_region(session: Session, *, region_code: str, states: tuple[str, ...] = ()) -> list[Institution]:
    """Institutions of a region, optionally in given accreditation states (the accreditation queue: 'applied')."""
    statement = select(Institution).where(_within(Institution.region_code, region_code))
    if states:
        statement = statement.where(Institution.accreditation.in_(states))
    return list(
        session.scalars(statement.order_by(Institution.accreditation_changed_at, Institution.id).limit(MAX_ROWS))
    )


def demand_catalogue(
    session: Session, *, region_code: str, on: date | None = None, history: bool = False
) -> list[DemandLine]:
    """A region's own entries (not its parents'), in force on a day unless `history` lists every version."""
    statement = (
        select(DemandEntry, Occupation.name)
        .join(
            Occupation,
            (Occupation.edition == DemandEntry.occupation_edition) & (Occupation.code == DemandEntry.occupation_code),
        )
        .where(DemandEntry.region_code == region_code)
    )
    if not history:
        statement = statement.where(DemandEntry.superseded_at.is_(None))
    if on is not None:
        statement = statement.where(
            DemandEntry.valid_from <= on, DemandEntry.valid_to.is_(None) | (DemandEntry.valid_to >= on)
        )
    order = (DemandEntry.occupation_code, DemandEntry.level.desc(), DemandEntry.valid_from, DemandEntry.version)
    return [
        DemandLine(
            id=e.id,
            region_code=e.region_code,
            occupation_code=e.occupation_code,
            occupation_name=name,
            level=e.level,
            subsidy_fen=e.subsidy_fen,
            flag=e.flag,
            uplift_percent=e.uplift_percent,
            subsidy_with_uplift_fen=subsidy_fen(e.subsidy_fen, e.uplift_percent),
            standard_hours=e.standard_hours,
            valid_from=e.valid_from,
            valid_to=e.valid_to,
            version=e.version,
            superseded=e.superseded_at is not None,
        )
        for e, name in session.execute(statement.order_by(*order).limit(MAX_ROWS * 4))
    ]


@dataclass(frozen=True)
class InstitutionClass:
    id: int
    course_id: int
    course_title: str
    start_date: date
    end_date: date
    capacity: int
    state: str
    reason: str | None
    roster_size: int


def institution_classes(session: Session, institution_id: int) -> list[InstitutionClass]:
    """An institution's own class applications in every state, newest first (its staff's list)."""
    rows = session.execute(
        select(TrainingClass, Course.title, _roster_size())
        .join(Course, Course.id == TrainingClass.course_id)
        .where(Course.institution_id == institution_id)
        .order_by(TrainingClass.applied_at.desc(), TrainingClass.id.desc())
        .limit(MAX_ROWS)
    ).all()
    return [
        InstitutionClass(
            id=c.id,
            course_id=c.course_id,
            course_title=title,
            start_date=c.start_date,
            end_date=c.end_date,
            capacity=c.capacity,
            state=c.state,
            reason=c.reason,
            roster_size=size,
        )
        for c, title, size in rows
    ]
