"""The public course catalogue page: search without signing in (the twin of GET /api/v1/courses)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from skillvoucher import training
from skillvoucher.web.auth import public
from skillvoucher.web.deps import PageRenderer, ReadSession, get_runtime
from skillvoucher.web.templating import FRAGMENT_VARY, wants_fragment

router = APIRouter(include_in_schema=False, dependencies=[Depends(public)])
PER_PAGE = 20


@router.get("/courses", response_class=HTMLResponse, name="courses")
def courses(
    request: Request,
    session: ReadSession,
    pages: PageRenderer,
    q: Annotated[str, Query(max_length=50)] = "",
    region: Annotated[str, Query(pattern=r"^(\d{6})?$")] = "",
    level: Annotated[str, Query(pattern=r"^[1-5]?$")] = "",
    mode: Annotated[Literal["", "in_person", "online", "mixed"], Query()] = "",
    sort: Literal["start", "price", "distance"] = "start",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    query = training.CourseQuery(
        keyword=q,
        region_code=region or None,
        level=int(level) if level else None,
        mode=mode or None,
        sort=sort,
        near_region=region or None,
        page=page,
        per_page=PER_PAGE,
    )
    results = training.search_courses(session, query, today=get_runtime(request).clock.now().date())
    form = {"q": q, "region": region, "level": level, "mode": mode, "sort": sort}
    template = "_course_results.html" if wants_fragment(request) else "courses.html"
    context = {"active": "courses", "results": results, "form": form}
    return pages.render(request, template, context, headers=FRAGMENT_VARY)
