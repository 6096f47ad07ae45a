"""Person pages for officers and auditors in scope: search by name or full ID number, a person's page and history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse

from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.persons import MAX_QUERY, find_persons, readable_person

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]


@router.get("/persons", response_class=HTMLResponse, name="persons")
def search_form(request: Request, pages: PageRenderer, principal: Reader) -> HTMLResponse:
    return pages.render(request, "persons/search.html", {"q": "", "search": None, "active": "persons"})


@router.post("/persons", response_class=HTMLResponse, name="persons_search")
def search(
    request: Request, pages: PageRenderer, principal: Reader, q: Annotated[str, Form(max_length=MAX_QUERY)] = ""
) -> HTMLResponse:
    """Sent by POST: the query may be an ID number, which must not end up in addresses, history or proxy logs."""
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        found = find_persons(session, cipher=runtime.cipher, principal=principal, query=q)
    return pages.render(request, "persons/search.html", {"q": q, "search": found, "active": "persons"})


@router.get("/persons/{person_id}", response_class=HTMLResponse, name="person")
def person(
    request: Request, pages: PageRenderer, principal: Reader, person_id: Annotated[int, Path(ge=1)]
) -> HTMLResponse:
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        found, history = readable_person(session, cipher=runtime.cipher, principal=principal, person_id=person_id)
    return pages.render(request, "persons/detail.html", {"person": found, "history": history, "active": "persons"})
