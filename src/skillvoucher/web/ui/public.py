"""Pages anyone may see without signing in: the home page and the reference catalogues.

No page here lists persons; person pages come with sign-in.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from skillvoucher import catalog
from skillvoucher.web.auth import public
from skillvoucher.web.deps import PageRenderer, ReadSession
from skillvoucher.web.templating import FRAGMENT_VARY, wants_fragment

router = APIRouter(include_in_schema=False, dependencies=[Depends(public)])

# Xinhua, 6 February 2022: vocational training vouchers nationwide by the end of 2021.
VOUCHERS_ISSUED_2021: Final = 19_267_200
VOUCHERS_USED_2021: Final = 5_007_200
PER_PAGE: Final = 20


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, pages: PageRenderer) -> HTMLResponse:
    context = {"active": "home", "issued": VOUCHERS_ISSUED_2021, "used": VOUCHERS_USED_2021}
    return pages.render(request, "home.html", context)


@router.get("/favicon.ico")
def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/regions", response_class=HTMLResponse, name="regions")
def regions(request: Request, session: ReadSession, pages: PageRenderer) -> HTMLResponse:
    columns = [{"parent": None, "items": catalog.region_children(session), "selected": None}]
    return _region_browser(request, pages, {"columns": columns, "current": None, "path": []})


@router.get("/regions/{code}", response_class=HTMLResponse, name="region")
def region(
    request: Request, session: ReadSession, pages: PageRenderer, code: Annotated[str, Path(pattern=r"^\d{6}$")]
) -> HTMLResponse:
    path = catalog.region_path(session, code)
    columns: list[dict[str, Any]] = [{"parent": None, "items": catalog.region_children(session), "selected": code}]
    for depth, ancestor in enumerate(path):
        columns[-1]["selected"] = ancestor.code
        if ancestor.child_count:
            selected = path[depth + 1].code if depth + 1 < len(path) else None
            items = catalog.region_children(session, ancestor.code)
            columns.append({"parent": ancestor, "items": items, "selected": selected})
    return _region_browser(request, pages, {"columns": columns, "current": path[-1], "path": path})


def _region_browser(request: Request, pages: PageRenderer, context: dict[str, Any]) -> HTMLResponse:
    template = "_region_browser.html" if wants_fragment(request) else "regions.html"
    return pages.render(request, template, {"active": "regions", **context}, headers=FRAGMENT_VARY)


@router.get("/occupations", response_class=HTMLResponse, name="occupations")
def occupations(
    request: Request,
    session: ReadSession,
    pages: PageRenderer,
    q: Annotated[str, Query(max_length=catalog.MAX_QUERY_LENGTH)] = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    results = catalog.search_occupations(session, q, page=page, per_page=PER_PAGE)
    template = "_occupation_results.html" if wants_fragment(request) else "occupations.html"
    context = {"active": "occupations", "results": results}
    return pages.render(request, template, context, headers=FRAGMENT_VARY)
