"""A worker's voucher pages: my vouchers (take one up), its QR code (a fresh signed code, refreshed before it lapses),
and the policies I may claim a voucher from. Taking up and claiming need a recent e-SSC confirmation (step-up).

The twins of /api/v1/me/vouchers and /api/v1/me/voucher-offers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher import vouchers
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import StepUpRequired, require, require_recent_real_name
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import NO_STORE, form_error, reading, see_other
from skillvoucher.web.ui.qr import qr_svg
from skillvoucher.web.voucher_access import own_voucher, show_code, today

router = APIRouter(include_in_schema=False)

Worker = Annotated[Principal, Depends(require(Permission.WORKER_SELF))]
ConfirmedWorker = Annotated[Principal, Depends(require(Permission.WORKER_SELF, step_up=True))]
Id = Annotated[int, Path(ge=1)]
REFRESH_MARGIN = 20  # seconds before a code lapses that the page fetches a new one


def confirmed_recently(request: Request, principal: Principal) -> bool:
    """Whether a step-up act would pass now; if not, the page offers to confirm first rather than fail on submit."""
    try:
        require_recent_real_name(request, principal)
    except StepUpRequired:
        return False
    return True


def grouped(code: str, size: int = 4) -> str:
    """A voucher code in groups of four, so it can be read out and typed: 3f2a 9c01 …"""
    return " ".join(code[i : i + size] for i in range(0, len(code), size))


@router.get("/worker/vouchers", response_class=HTMLResponse, name="worker_vouchers")
def vouchers_page(request: Request, pages: PageRenderer, principal: Worker) -> HTMLResponse:
    return _vouchers_page(request, pages, principal)


@router.post("/worker/vouchers/{voucher_id}/take-up", name="worker_voucher_take_up")
def take_up(request: Request, pages: PageRenderer, principal: ConfirmedWorker, voucher_id: Id) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            own_voucher(session, principal, voucher_id)  # someone else's is "not found", not "forbidden"
            vouchers.take_up(session, voucher_id=voucher_id, today=today(runtime), by=principal)
    except DomainError as error:
        return _vouchers_page(request, pages, principal, error=error)
    return see_other("/worker/vouchers", taken="1")


@router.get("/worker/vouchers/{voucher_id}/qr", response_class=HTMLResponse, name="worker_voucher_qr")
def qr_page(request: Request, pages: PageRenderer, principal: Worker, voucher_id: Id) -> HTMLResponse:
    """The QR code of a fresh signed code; htmx fetches the code panel again shortly before it lapses."""
    shown = show_code(get_runtime(request), principal, voucher_id)
    context = {
        "voucher": shown.voucher,
        "code_grouped": grouped(shown.voucher.code),
        "qr": qr_svg(shown.token, title="培训券二维码 / voucher QR code"),
        "holder": shown.holder_name_masked,
        "lifetime": shown.lifetime_seconds,
        "refresh_after": max(5, shown.lifetime_seconds - REFRESH_MARGIN),
        "active": "worker_vouchers",
    }
    fragment = request.headers.get("HX-Request") == "true"
    template = "worker/_voucher_code.html" if fragment else "worker/voucher_qr.html"
    return pages.render(request, template, context, headers=NO_STORE)


@router.get("/worker/policies", response_class=HTMLResponse, name="worker_policies")
def policies_page(request: Request, pages: PageRenderer, principal: Worker) -> HTMLResponse:
    return _policies_page(request, pages, principal)


@router.post("/worker/policies/{policy_id}/claim", name="worker_policy_claim")
def claim(request: Request, pages: PageRenderer, principal: ConfirmedWorker, policy_id: Id) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            vouchers.claim_from_policy(
                session, policy_id=policy_id, person_id=principal.account_id, today=today(runtime), by=principal
            )
    except DomainError as error:
        return _policies_page(request, pages, principal, error=error)
    return see_other("/worker/vouchers", claimed="1")


def _vouchers_page(
    request: Request, pages: PageRenderer, principal: Principal, *, error: DomainError | None = None
) -> HTMLResponse:
    with reading(request) as session:
        found = vouchers.person_vouchers(session, person_id=principal.account_id)
    context = {
        "vouchers": found,
        "confirmed": confirmed_recently(request, principal),
        "claimed": request.query_params.get("claimed") == "1" and error is None,
        "taken": request.query_params.get("taken") == "1" and error is None,
        "active": "worker_vouchers",
        **form_error(error),
    }
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, "worker/vouchers.html", context, status_code=status)


def _policies_page(
    request: Request, pages: PageRenderer, principal: Principal, *, error: DomainError | None = None
) -> HTMLResponse:
    runtime = get_runtime(request)
    with reading(request) as session:
        offers = vouchers.claimable_offers(session, person_id=principal.account_id, today=today(runtime))
    context = {
        "offers": offers,
        "confirmed": confirmed_recently(request, principal),
        "step_up_minutes": runtime.settings.step_up_minutes,
        "active": "worker_policies",
        **form_error(error),
    }
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, "worker/policies.html", context, status_code=status)
