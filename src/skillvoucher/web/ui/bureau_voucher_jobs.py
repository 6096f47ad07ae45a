"""The bureau's pages for an issuance batch (its progress, polled by htmx until it ends; revoking it) and for one
voucher (found by its code; its history, the holder masked; revoking it). Auditors read.

The twins of /api/v1/jobs/{id} and /api/v1/vouchers/{id}.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher import vouchers
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal, can
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import form_error, reading, see_other
from skillvoucher.web.voucher_access import holder_name_masked, readable_job, readable_voucher

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.VOUCHER_READ))]
Manager = Annotated[Principal, Depends(require(Permission.VOUCHER_MANAGE))]
Id = Annotated[int, Path(ge=1)]
Reason = Annotated[str, Form(max_length=500)]


@router.get("/bureau/jobs/{job_id}", response_class=HTMLResponse, name="bureau_job")
def job_page(request: Request, pages: PageRenderer, principal: Reader, job_id: Id) -> HTMLResponse:
    """The whole page, or (for htmx's poll) only the progress panel."""
    return _job_page(request, pages, principal, job_id, fragment=request.headers.get("HX-Request") == "true")


@router.post("/bureau/jobs/{job_id}/revoke", name="bureau_job_revoke")
def revoke_batch(
    request: Request, pages: PageRenderer, principal: Manager, job_id: Id, reason: Reason = ""
) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            readable_job(session, principal, job_id)
            revoked = vouchers.revoke_batch(session, job_id=job_id, reason=reason, by=principal)
    except DomainError as error:
        return _job_page(request, pages, principal, job_id, error=error)
    return see_other(f"/bureau/jobs/{job_id}", revoked=str(revoked))


def _job_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    job_id: int,
    *,
    fragment: bool = False,
    error: DomainError | None = None,
) -> HTMLResponse:
    with reading(request) as session:
        job = readable_job(session, principal, job_id)
        line = vouchers.job_line(job)
        policy = vouchers.get_policy(session, int(job.subject_id or 0))
    revoked = request.query_params.get("revoked", "")
    context = {
        "job": line,
        "policy": policy,
        "percent": round(line.progress * 100),
        "running": line.state in ("queued", "running"),
        "may_manage": can(principal, Permission.VOUCHER_MANAGE),
        "revoked": int(revoked) if revoked.isdigit() and error is None else None,
        "active": "bureau_policies",
        **form_error(error),
    }
    template = "bureau/_job_progress.html" if fragment else "bureau/job.html"
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, template, context, status_code=status)


@router.get("/bureau/vouchers", response_class=HTMLResponse, name="bureau_vouchers")
def find_voucher(
    request: Request, pages: PageRenderer, principal: Reader, code: Annotated[str, Query(max_length=80)] = ""
) -> Response:
    """Look a voucher up by its code (as printed, in groups of four, or as scanned)."""
    if code.strip():
        try:
            with reading(request) as session:
                voucher = vouchers.voucher_by_code(session, code.replace(" ", ""))
                readable_voucher(session, principal, voucher.id)
        except vouchers.VoucherNotFound as error:
            context = {"code": code, "active": "bureau_vouchers", **form_error(error)}
            return pages.render(request, "bureau/voucher_find.html", context, status_code=404)
        return see_other(f"/bureau/vouchers/{voucher.id}")
    return pages.render(request, "bureau/voucher_find.html", {"code": "", "active": "bureau_vouchers"})


@router.get("/bureau/vouchers/{voucher_id}", response_class=HTMLResponse, name="bureau_voucher")
def voucher_page(request: Request, pages: PageRenderer, principal: Reader, voucher_id: Id) -> HTMLResponse:
    return _voucher_page(request, pages, principal, voucher_id)


@router.post("/bureau/vouchers/{voucher_id}/revoke", name="bureau_voucher_revoke")
def revoke_voucher(
    request: Request, pages: PageRenderer, principal: Manager, voucher_id: Id, reason: Reason = ""
) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            readable_voucher(session, principal, voucher_id)
            vouchers.revoke_voucher(session, voucher_id=voucher_id, reason=reason, by=principal)
    except DomainError as error:
        return _voucher_page(request, pages, principal, voucher_id, error=error)
    return see_other(f"/bureau/vouchers/{voucher_id}", revoked="1")


def _voucher_page(
    request: Request, pages: PageRenderer, principal: Principal, voucher_id: int, *, error: DomainError | None = None
) -> HTMLResponse:
    with reading(request) as session:
        view = readable_voucher(session, principal, voucher_id)
        history = vouchers.voucher_history(session, view)
        holder = holder_name_masked(session, view.person_id)
    context = {
        "voucher": view,
        "history": history,
        "holder": holder,
        "may_manage": can(principal, Permission.VOUCHER_MANAGE),
        "may_read_person": can(principal, Permission.PERSON_READ),
        "revoked": request.query_params.get("revoked") == "1" and error is None,
        "active": "bureau_vouchers",
        **form_error(error),
    }
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, "bureau/voucher.html", context, status_code=status)
