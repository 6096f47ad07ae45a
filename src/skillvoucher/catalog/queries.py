"""Reads of the reference catalogues: regions, occupations, skill levels. Results are plain frozen views."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from skillvoucher.catalog.errors import PageOutOfRange, RegionNotFound
from skillvoucher.catalog.models import Occupation, Region, SkillLevel
from skillvoucher.catalog.reference import OCCUPATION_EDITION

MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 50


@dataclass(frozen=True)
class RegionView:
    code: str
    name: str
    level: str  # province, city, county
    kind: str  # 省, 直辖市, 地级市, 市辖区, 县, …
    parent_code: str | None
    province_code: str
    child_count: int


@dataclass(frozen=True)
class OccupationView:
    edition: str
    code: str
    name: str
    green: bool
    digital: bool


@dataclass(frozen=True)
class OccupationPage:
    query: str
    items: list[OccupationView]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class SkillLevelView:
    level: int  # 5 = entry … 1 = senior technician
    name_zh: str
    name_en: str


def _region_select() -> Select[Region, int]:
    child = aliased(Region)
    child_count = select(func.count()).where(child.parent_code == Region.code).correlate(Region).scalar_subquery()
    return select(Region, child_count.label("child_count"))


def _view(region: Region, child_count: int) -> RegionView:
    return RegionView(
        code=region.code,
        name=region.name,
        level=region.level,
        kind=region.kind,
        parent_code=region.parent_code,
        province_code=region.province_code,
        child_count=child_count,
    )


def get_region(session: Session, code: str) -> RegionView:
    row = session.execute(_region_select().where(Region.code == code)).one_or_none()
    if row is None:
        raise RegionNotFound(code)
    return _view(row[0], row[1])


def region_children(session: Session, parent_code: str | None = None) -> list[RegionView]:
    """The regions directly under `parent_code`, or the provinces; ordered by code."""
    statement = _region_select().order_by(Region.code)
    if parent_code is None:
        statement = statement.where(Region.parent_code.is_(None))
    else:
        get_region(session, parent_code)
        statement = statement.where(Region.parent_code == parent_code)
    return [_view(region, count) for region, count in session.execute(statement)]


def region_path(session: Session, code: str) -> list[RegionView]:
    """The region and its ancestors, province first."""
    path = [get_region(session, code)]
    while path[0].parent_code is not None:
        path.insert(0, get_region(session, path[0].parent_code))
    return path


def search_occupations(
    session: Session, query: str = "", *, page: int = 1, per_page: int = 20, edition: str = OCCUPATION_EDITION
) -> OccupationPage:
    """Occupations (tier 4) whose name contains `query` or whose code starts with it, ordered by code."""
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise PageOutOfRange(f"page must be 1 or more and per_page between 1 and {MAX_PER_PAGE}")
    query = query.strip()[:MAX_QUERY_LENGTH]
    condition = (Occupation.edition == edition) & (Occupation.tier == 4)
    if query:
        condition &= or_(
            Occupation.name.contains(query, autoescape=True), Occupation.code.startswith(query, autoescape=True)
        )
    total = session.scalar(select(func.count()).select_from(Occupation).where(condition)) or 0
    rows = session.scalars(
        select(Occupation).where(condition).order_by(Occupation.code).limit(per_page).offset((page - 1) * per_page)
    )
    items = [OccupationView(o.edition, o.code, o.name, o.green, o.digital) for o in rows]
    return OccupationPage(query=query, items=items, total=total, page=page, per_page=per_page)


def skill_levels(session: Session) -> list[SkillLevelView]:
    """From entry level (5) to the highest (1)."""
    return [
        SkillLevelView(level.level, level.name_zh, level.name_en)
        for level in session.scalars(select(SkillLevel).order_by(SkillLevel.level.desc()))
    ]
