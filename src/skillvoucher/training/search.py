"""Public course search: filters, a keyword matched in Chinese, full pinyin or initials, sorting, pages.

Only published courses of listed institutions (accredited or under review) with an approved class starting today or
later, or open enrolment, are found. Suspension or delisting hides an institution's courses at once (a join).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Date, Select, and_, case, func, literal, or_, select, text
from sqlalchemy.orm import Session

from skillvoucher.catalog import Occupation, Region
from skillvoucher.identity import region_prefix
from skillvoucher.training.course_models import Course, TrainingClass
from skillvoucher.training.institution_models import Institution
from skillvoucher.training.lifecycle import LISTED
from skillvoucher.training.searchtext import normalize_keyword

Sort = Literal["start", "price", "distance"]
MAX_PER_PAGE = 100
MAX_KEYWORD = 50


@dataclass(frozen=True)
class CourseQuery:
    keyword: str = ""
    region_code: str | None = None  # with its sub-regions
    occupation_code: str | None = None
    level: int | None = None
    mode: str | None = None
    start_from: date | None = None
    start_to: date | None = None
    price_min_fen: int | None = None
    price_max_fen: int | None = None
    sort: Sort = "start"
    near_region: str | None = None  # the worker's region, for sorting by distance
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class CourseHit:
    id: int
    title: str
    institution_id: int
    institution_name: str
    occupation_code: str
    occupation_name: str
    level: int
    mode: str
    price_fen: int
    hours: int
    region_code: str
    region_name: str
    next_start: date | None
    open_enrolment: bool
    distance: int | None


@dataclass(frozen=True)
class CoursePage:
    items: list[CourseHit]
    page: int
    per_page: int
    has_next: bool


def search_courses(session: Session, query: CourseQuery, *, today: date) -> CoursePage:
    per_page = max(1, min(query.per_page, MAX_PER_PAGE))
    page = max(1, query.page)
    statement = _statement(query, today, limit=per_page + 1, offset=(page - 1) * per_page)
    if session.get_bind().dialect.name == "postgresql":
        # The planner's cost for the re-derivation subplans crosses jit_above_cost, and compiling the plan takes
        # 200-400 ms while running it takes 10-30 ms (measured by bench/course_search.py): no JIT for this read.
        session.execute(text("SET LOCAL jit = off"))
    rows = session.execute(statement).all()
    items = [
        CourseHit(
            id=row.id,
            title=row.title,
            institution_id=row.institution_id,
            institution_name=row.institution_name,
            occupation_code=row.occupation_code,
            occupation_name=row.occupation_name,
            level=row.level,
            mode=row.mode,
            price_fen=row.price_fen,
            hours=row.hours,
            region_code=row.region_code,
            region_name=row.region_name,
            next_start=row.next_start,
            open_enrolment=row.open_enrolment,
            distance=row.distance,
        )
        for row in rows[:per_page]
    ]
    return CoursePage(items=items, page=page, per_page=per_page, has_next=len(rows) > per_page)


def _statement(query: CourseQuery, today: date, *, limit: int, offset: int) -> Select[*tuple[Any, ...]]:
    """Two steps: the page of course ids (courses and institutions only), then the names for those few rows."""
    next_start = _next_start(today)
    distance = _distance(query.near_region)
    matching = (
        select(Course.id, Course.price_fen, next_start.label("next_start"), distance.label("distance"))
        .join(Institution, Institution.id == Course.institution_id)
        .where(
            Course.status == "published",
            Institution.accreditation.in_([state.value for state in LISTED]),
            or_(Course.next_start.is_not(None), Course.open_enrolment.is_(True)),  # implied below; sargable
            or_(next_start.is_not(None), Course.open_enrolment.is_(True)),
        )
    )
    for condition in _filters(query, next_start):
        matching = matching.where(condition)
    page = matching.order_by(*_order(query.sort, next_start, distance)).limit(limit).offset(offset).subquery()
    return (
        select(
            Course.id,
            Course.title,
            Course.institution_id,
            Institution.name.label("institution_name"),
            Course.occupation_code,
            Occupation.name.label("occupation_name"),
            Course.level,
            Course.mode,
            Course.price_fen,
            Course.hours,
            Course.region_code,
            Region.name.label("region_name"),
            page.c.next_start,
            Course.open_enrolment,
            page.c.distance,
        )
        .select_from(page)
        .join(Course, Course.id == page.c.id)
        .join(Institution, Institution.id == Course.institution_id)
        .join(
            Occupation, and_(Occupation.edition == Course.occupation_edition, Occupation.code == Course.occupation_code)
        )
        .join(Region, Region.code == Course.region_code)
        .order_by(*_order(query.sort, page.c.next_start, page.c.distance, price=page.c.price_fen, key=page.c.id))
    )


def _order(
    sort: Sort, next_start: Any, distance: Any, *, price: Any = Course.price_fen, key: Any = Course.id
) -> list[Any]:
    if sort == "price":
        return [price, key]
    if sort == "distance":
        return [distance, next_start.is_(None), next_start, key]
    return [next_start.is_(None), next_start, key]


def _next_start(today: date) -> ColumnElement[date]:
    """The stored next start while it is still ahead; re-derived only for the few that time has passed."""
    derived = (
        select(func.min(TrainingClass.start_date))
        .where(
            TrainingClass.course_id == Course.id, TrainingClass.state == "approved", TrainingClass.start_date >= today
        )
        .scalar_subquery()
    )
    return case(
        (Course.next_start.is_(None), literal(None, Date)),
        (Course.next_start >= today, Course.next_start),
        else_=derived,
    )


def _filters(query: CourseQuery, next_start: ColumnElement[date]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.region_code:
        prefix = region_prefix(query.region_code)
        conditions.append(Course.region_code == prefix if len(prefix) == 6 else Course.region_code.startswith(prefix))
    if query.occupation_code:
        conditions.append(Course.occupation_code == query.occupation_code)
    if query.level is not None:
        conditions.append(Course.level == query.level)
    if query.mode:
        conditions.append(Course.mode == query.mode)
    if query.start_from is not None:
        conditions.append(next_start >= query.start_from)
    if query.start_to is not None:
        conditions.append(next_start <= query.start_to)
    if query.price_min_fen is not None:
        conditions.append(Course.price_fen >= query.price_min_fen)
    if query.price_max_fen is not None:
        conditions.append(Course.price_fen <= query.price_max_fen)
    keyword = normalize_keyword(query.keyword)[:MAX_KEYWORD]
    if keyword:
        conditions.append(Course.search_text.contains(keyword, autoescape=True))
    return conditions


def _distance(near: str | None) -> ColumnElement[int]:
    """0 same county, 1 same city, 2 same province, 3 elsewhere (see rules.region_distance)."""
    if not near:
        return literal(None).cast(Course.level.type)
    return case(
        (Course.region_code == near, 0),
        (Course.region_code.startswith(near[:4]), 1),
        (Course.region_code.startswith(near[:2]), 2),
        else_=3,
    )
