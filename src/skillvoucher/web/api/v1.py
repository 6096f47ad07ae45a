"""GET /api/v1/: the API's version and where its parts are."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from skillvoucher.web.auth import public

router = APIRouter(prefix="/api/v1", tags=["meta"], dependencies=[Depends(public)])


class ApiIndex(BaseModel):
    name: str
    version: str
    api_version: str
    links: dict[str, str]


@router.get("/")
def api_index(request: Request) -> ApiIndex:
    """The application version and links to every collection of this API."""
    path = request.app.url_path_for
    return ApiIndex(
        name="skillvoucher",
        version=version("skillvoucher"),
        api_version="v1",
        links={
            "self": path("api_index"),
            "regions": path("list_regions"),
            "occupations": path("list_occupations"),
            "skill_levels": path("list_skill_levels"),
            "health": path("healthz"),
            "openapi": "/openapi.json",
        },
    )
