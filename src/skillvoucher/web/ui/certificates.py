"""Certificates: anyone checks one by its serial number (masked holder; revoked shown plainly); the bureau reads
any class's evidence in its region, and officers revoke a certificate with a reason.

The twins of GET /api/v1/certificates/{serial}, POST /api/v1/certificates/{serial}/revoke and
GET /api/v1/classes/{id}/evidence.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher import enrolment
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import public, require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.enrolment_access import readable_class
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import form_error, reading, see_other

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.EVIDENCE_READ))]
Revoker = Annotated[Principal, Depends(require(Permission.CERTIFICATE_REVOKE))]
Id = Annotated[int, Path(ge=1)]
Serial = Annotated[str, Path(max_length=40)]


@router.get("/certificates", response_class=HTMLResponse, name="certificates", dependencies=[Depends(public)])
def find_page(request: Request, pages: PageRenderer, serial: Annotated[str, Query(max_length=40)] = "") -> Response:
    """A serial-number form; with ?serial= it goes to that certificate's page."""
    text = serial.strip().upper()
    if text:
        return see_other(f"/certificates/{quote(text, safe='')}")
    return pages.render(request, "certificates/find.html", {"active": "certificates"})


@router.get(
    "/certificates/{serial}", response_class=HTMLResponse, name="certificate_page", dependencies=[Depends(public)]
)
def certificate_page(request: Request, pages: PageRenderer, serial: Serial) -> HTMLResponse:
    try:
        with reading(request) as session:
            found = enrolment.check_certificate(session, get_runtime(request).cipher, serial=serial)
    except enrolment.CertificateNotFound as error:
        context = {"serial": serial, "active": "certificates", **form_error(error)}
        return pages.render(request, "certificates/find.html", context, status_code=404)
    return pages.render(request, "certificates/detail.html", {"certificate": found, "active": "certificates"})


@router.get("/bureau/classes/{class_id}/evidence", response_class=HTMLResponse, name="bureau_evidence")
def evidence_page(request: Request, pages: PageRenderer, principal: Reader, class_id: Id) -> HTMLResponse:
    return _evidence_page(request, pages, principal, class_id, None)


@router.post("/bureau/certificates/{serial}/revoke", name="bureau_certificate_revoke")
def revoke(
    request: Request,
    pages: PageRenderer,
    principal: Revoker,
    serial: Serial,
    class_id: Annotated[int, Form(ge=1)],
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            enrolment.revoke_certificate(session, serial=serial, reason=reason, by=principal)
    except DomainError as error:
        return _evidence_page(request, pages, principal, class_id, error)
    return see_other(f"/bureau/classes/{class_id}/evidence", revoked=serial)


def _evidence_page(
    request: Request, pages: PageRenderer, principal: Principal, class_id: int, error: DomainError | None
) -> HTMLResponse:
    with reading(request) as session:
        view = readable_class(session, principal, class_id)
        trainees = enrolment.class_evidence(session, class_id=class_id)
    context = {
        "cls": view,
        "trainees": trainees,
        "revoked": request.query_params.get("revoked", "") if error is None else "",
        "active": "bureau_classes",
        **form_error(error),
    }
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, "bureau/evidence.html", context, status_code=status)
