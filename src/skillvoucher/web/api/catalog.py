"""The reference catalogues, read-only: regions (GB/T 2260), occupations (2022 classification), skill levels."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict

from skillvoucher import catalog
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.auth import public
from skillvoucher.web.deps import ReadSession

router = APIRouter(prefix="/api/v1", tags=["catalog"], dependencies=[Depends(public)])

RegionCode = Annotated[str, Path(pattern=r"^\d{6}$", description="GB/T 2260 code, six digits", examples=["350200"])]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RegionOut(Model):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    province_code: str
    child_count: int


class RegionDetail(RegionOut):
    path: list[RegionOut]


class RegionList(Model):
    parent: RegionOut | None
    items: list[RegionOut]


class OccupationOut(Model):
    edition: str
    code: str
    name: str
    green: bool
    digital: bool


class OccupationPageOut(Model):
    query: str
    items: list[OccupationOut]
    total: int
    page: int
    per_page: int


class SkillLevelOut(Model):
    level: int
    name_zh: str
    name_en: str


class SkillLevelList(Model):
    items: list[SkillLevelOut]


@router.get("/regions", responses=problem_responses(404, 422))
def list_regions(
    session: ReadSession,
    parent: Annotated[str | None, Query(pattern=r"^\d{6}$", description="List this region's children")] = None,
) -> RegionList:
    """The provinces, or the regions directly under `parent` (a province's cities, a city's counties)."""
    items = catalog.region_children(session, parent)
    parent_view = catalog.get_region(session, parent) if parent else None
    return RegionList.model_validate({"parent": parent_view, "items": items})


@router.get("/regions/{code}", responses=problem_responses(404, 422))
def get_region(session: ReadSession, code: RegionCode) -> RegionDetail:
    """One region, with its path from the province down to it."""
    path = catalog.region_path(session, code)
    return RegionDetail.model_validate({**RegionOut.model_validate(path[-1]).model_dump(), "path": path})


@router.get("/occupations", responses=problem_responses(422))
def list_occupations(
    session: ReadSession,
    q: Annotated[str, Query(max_length=catalog.MAX_QUERY_LENGTH, description="Part of a name, or a code prefix")] = "",
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=catalog.MAX_PER_PAGE)] = 20,
) -> OccupationPageOut:
    """Occupations of the 2022 national classification, searched by name or code, a page at a time."""
    return OccupationPageOut.model_validate(catalog.search_occupations(session, q, page=page, per_page=per_page))


@router.get("/skill-levels")
def list_skill_levels(session: ReadSession) -> SkillLevelList:
    """The five national vocational skill levels, from entry (5) to senior technician (1)."""
    return SkillLevelList.model_validate({"items": catalog.skill_levels(session)})
