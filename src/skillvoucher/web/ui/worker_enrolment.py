"""A worker's enrolment pages: enrolments waiting for my confirmation (confirm with a recent e-SSC step-up, or
cancel), checking in at a session with the screen's code, and my lifelong training record.

The twins of /api/v1/me/enrolments, /api/v1/me/enrolments/{id}/confirm and /cancel, and /api/v1/me/check-ins.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillvoucher import enrolment
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import StepUpRequired, require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.enrolment_access import check_in_now
from skillvoucher.web.errors import DOMAIN_STATUS, STEP_UP_PATH
from skillvoucher.web.ui.common import NO_STORE, form_error, reading, see_other
from skillvoucher.web.ui.worker_vouchers import confirmed_recently

router = APIRouter(include_in_schema=False)

Worker = Annotated[Principal, Depends(require(Permission.WORKER_SELF))]
ConfirmedWorker = Annotated[Principal, Depends(require(Permission.WORKER_SELF, step_up=True))]
Id = Annotated[int, Path(ge=1)]
Code = Annotated[str, Form(max_length=200)]


def _status(error: DomainError | None) -> int:
    return DOMAIN_STATUS.get(error.kind, 400) if error else 200


@router.get("/worker/enrolments", response_class=HTMLResponse, name="worker_enrolments")
def enrolments_page(request: Request, pages: PageRenderer, principal: Worker) -> HTMLResponse:
    return _enrolments_page(request, pages, principal, None)


@router.post("/worker/enrolments/{enrolment_id}/confirm", name="worker_enrolment_confirm")
def confirm(request: Request, pages: PageRenderer, principal: ConfirmedWorker, enrolment_id: Id) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            enrolment.confirm_enrolment(
                session, enrolment_id=enrolment_id, today=runtime.clock.now().date(), by=principal
            )
    except DomainError as error:
        return _enrolments_page(request, pages, principal, error)
    return see_other("/worker/record", confirmed="1")


@router.post("/worker/enrolments/{enrolment_id}/cancel", name="worker_enrolment_cancel")
def cancel(
    request: Request,
    pages: PageRenderer,
    principal: Worker,
    enrolment_id: Id,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            enrolment.cancel_enrolment(
                session, enrolment_id=enrolment_id, reason=reason, today=runtime.clock.now().date(), by=principal
            )
    except DomainError as error:
        return _enrolments_page(request, pages, principal, error)
    return see_other("/worker/enrolments", cancelled="1")


def _enrolments_page(
    request: Request, pages: PageRenderer, principal: Principal, error: DomainError | None
) -> HTMLResponse:
    with reading(request) as session:
        pending = enrolment.pending_enrolments(session, person_id=principal.account_id)
        record = enrolment.training_record(session, person_id=principal.account_id)
    context = {
        "pending": pending,
        "current": [line for line in record if line.state == "enrolled"],
        "confirmed": confirmed_recently(request, principal),
        "cancelled": request.query_params.get("cancelled") == "1" and error is None,
        "active": "worker_enrolments",
        **form_error(error),
    }
    return pages.render(request, "worker/enrolments.html", context, status_code=_status(error))


@router.get("/worker/check-in", response_class=HTMLResponse, name="worker_check_in")
def check_in_page(
    request: Request, pages: PageRenderer, principal: Worker, code: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    """Opened by the phone's camera from the screen's QR code (the code filled in), or typed."""
    context = {"code": code, "done": None, "active": "worker_check_in"}
    return pages.render(request, "worker/check_in.html", context, headers=NO_STORE)


@router.post("/worker/check-in", name="worker_check_in_post")
def check_in(
    request: Request,
    pages: PageRenderer,
    principal: Worker,
    code: Code = "",
    device_fingerprint: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        done = check_in_now(request, principal, code, device_fingerprint)
    except StepUpRequired:  # the first check-in of this session since signing in long ago: confirm, then back
        back = "/worker/check-in?" + urlencode({"code": code})
        return RedirectResponse(f"{STEP_UP_PATH}?{urlencode({'next': back})}", status_code=303)
    except DomainError as error:
        refused = {"code": code, "done": None, "active": "worker_check_in", **form_error(error)}
        return pages.render(request, "worker/check_in.html", refused, status_code=_status(error), headers=NO_STORE)
    checked = {"code": "", "done": done, "active": "worker_check_in"}
    return pages.render(request, "worker/check_in.html", checked, headers=NO_STORE)


@router.get("/worker/record", response_class=HTMLResponse, name="worker_record")
def record_page(request: Request, pages: PageRenderer, principal: Worker) -> HTMLResponse:
    with reading(request) as session:
        record = enrolment.training_record(session, person_id=principal.account_id)
    context = {
        "record": record,
        "confirmed": request.query_params.get("confirmed") == "1",
        "active": "worker_record",
    }
    return pages.render(request, "worker/record.html", context)
