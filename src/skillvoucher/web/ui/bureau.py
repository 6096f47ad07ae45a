"""Pages for bureau officers (auditors read): class applications in their region, each with its masked roster
(approve or reject with a reason), and the accreditation queue (change an institution's state with a reason).

The twins of GET /api/v1/class-applications, GET /api/v1/institutions and their decision routes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher import training
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal, Resource, can
from skillvoucher.web.auth import authorize, require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import form_error, reading, see_other

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.INSTITUTION_READ))]
Decider = Annotated[Principal, Depends(require(Permission.CLASS_DECIDE))]
Manager = Annotated[Principal, Depends(require(Permission.INSTITUTION_MANAGE))]
Id = Annotated[int, Path(ge=1)]
RegionQuery = Annotated[str, Query(pattern=r"^(\d{6})?$")]
ClassState = Literal["applied", "approved", "rejected", "cancelled"]
ACCREDITATION_STATES = ("applied", "accredited", "under_review", "payments_suspended", "delisted")
Reason = Annotated[str, Form(max_length=500)]


@router.get("/bureau/classes", response_class=HTMLResponse, name="bureau_classes")
def classes_page(
    request: Request, pages: PageRenderer, principal: Reader, region: RegionQuery = "", state: ClassState = "applied"
) -> HTMLResponse:
    return _classes_page(request, pages, principal, region, state)


@router.post("/bureau/classes/{class_id}/decision", name="bureau_class_decide")
def decide(
    request: Request,
    pages: PageRenderer,
    principal: Decider,
    class_id: Id,
    decision: Annotated[Literal["approve", "reject"], Form()] = "approve",
    reason: Reason = "",
    region: Annotated[str, Form(pattern=r"^(\d{6})?$")] = "",
) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            training.decide_class(
                session, class_id=class_id, approve=decision == "approve", reason=reason, by=principal
            )
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _classes_page(request, pages, principal, region, "applied", error=error, status=status)
    return see_other("/bureau/classes", region=region, decided="1")


@router.get("/bureau/institutions", response_class=HTMLResponse, name="bureau_institutions")
def institutions_page(
    request: Request,
    pages: PageRenderer,
    principal: Reader,
    region: RegionQuery = "",
    state: Annotated[str, Query(pattern="^(" + "|".join(ACCREDITATION_STATES) + ")?$")] = "applied",
) -> HTMLResponse:
    return _institutions_page(request, pages, principal, region, state)


@router.post("/bureau/institutions/{institution_id}/accreditation", name="bureau_accreditation")
def change_accreditation(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    institution_id: Id,
    to: Annotated[str, Form(max_length=20)] = "",
    reason: Reason = "",
    region: Annotated[str, Form(pattern=r"^(\d{6})?$")] = "",
) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            training.change_accreditation(session, institution_id=institution_id, to=to, reason=reason, by=principal)
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _institutions_page(request, pages, principal, region, "", error=error, status=status)
    return see_other("/bureau/institutions", region=region, state=to, changed="1")


def listed_region(principal: Principal, region: str) -> str | None:
    """The region listed: the one asked for (checked), else the reader's own; None for an administrator who named
    none (the page then asks for one)."""
    region_code = region or principal.region_code
    if region_code:
        authorize(principal, Permission.INSTITUTION_READ, Resource(region_code=region_code))
    return region_code


def _classes_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    region: str,
    state: str,
    *,
    error: DomainError | None = None,
    status: int = 200,
) -> HTMLResponse:
    region_code = listed_region(principal, region)
    cipher = get_runtime(request).cipher
    with reading(request) as session:
        items = training.class_applications(session, region_code=region_code, state=state) if region_code else []
        rosters = training.rosters_of(session, class_ids=[item.id for item in items], cipher=cipher)
    context = {
        "applications": items,
        "rosters": rosters,
        "region": region_code or "",
        "state": state,
        "may_decide": can(principal, Permission.CLASS_DECIDE),
        "decided": request.query_params.get("decided") == "1" and error is None,
        "active": "bureau_classes",
        **form_error(error),
    }
    return pages.render(request, "bureau/classes.html", context, status_code=status)


def _institutions_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    region: str,
    state: str,
    *,
    error: DomainError | None = None,
    status: int = 200,
) -> HTMLResponse:
    region_code = listed_region(principal, region)
    states = (state,) if state else ()
    with reading(request) as session:
        found = training.institutions_in_region(session, region_code=region_code, states=states) if region_code else []
    context = {
        "institutions": found,
        "region": region_code or "",
        "state": state,
        "states": ACCREDITATION_STATES,
        "may_manage": can(principal, Permission.INSTITUTION_MANAGE),
        "changed": request.query_params.get("changed") == "1" and error is None,
        "active": "bureau_institutions",
        **form_error(error),
    }
    return pages.render(request, "bureau/institutions.html", context, status_code=status)
