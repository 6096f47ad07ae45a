"""An institution's pages for a class in use: verify a worker's voucher (a handheld scanner types the QR token into
the field, or staff type the voucher code), the attendance screen of a session, the weak attendance file, and each
trainee's evidence with cancellation.

The twins of /api/v1/classes/{id}/enrolments/verify, /evidence, /attendance-file, /api/v1/sessions/{id}/screen-code
and /api/v1/enrolments/{id}/cancel.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from skillvoucher import enrolment
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.enrolment_access import attendance_key_of, check_in_url, class_session_of, managed_class
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import NO_STORE, form_error, reading, see_other
from skillvoucher.web.ui.qr import qr_svg

router = APIRouter(include_in_schema=False)

Manager = Annotated[Principal, Depends(require(Permission.ENROLMENT_MANAGE))]
Id = Annotated[int, Path(ge=1)]
SCREEN_REFRESH_SECONDS = 10  # the code changes every 30 s and is accepted for a minute: refresh well before


def _status(error: DomainError | None) -> int:
    return DOMAIN_STATUS.get(error.kind, 400) if error else 200


@router.get("/institution/classes/{class_id}/enrol", response_class=HTMLResponse, name="institution_enrol")
def enrol_page(request: Request, pages: PageRenderer, principal: Manager, class_id: Id) -> HTMLResponse:
    return _enrol_page(request, pages, principal, class_id, {})


@router.post("/institution/classes/{class_id}/enrol", name="institution_enrol_verify")
def verify(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    class_id: Id,
    presented: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    runtime = get_runtime(request)
    now = runtime.clock.now()
    try:
        with runtime.uow.begin() as session:
            offer = enrolment.verify_voucher(
                session, class_id=class_id, presented=presented, today=now.date(), now=now, by=principal
            )
    except DomainError as error:
        return _enrol_page(request, pages, principal, class_id, {"error_obj": error})
    return _enrol_page(request, pages, principal, class_id, {"offer": offer})


def _enrol_page(
    request: Request, pages: PageRenderer, principal: Principal, class_id: int, extra: dict[str, Any]
) -> HTMLResponse:
    error = extra.pop("error_obj", None)
    with reading(request) as session:
        view = managed_class(session, principal, class_id)
        trainees = enrolment.class_evidence(session, class_id=class_id)
    context = {"cls": view, "trainees": trainees, "offer": None, "tab": "enrol", "active": "institution_classes"}
    context |= extra | form_error(error)
    return pages.render(request, "institution/enrol.html", context, status_code=_status(error), headers=NO_STORE)


@router.get(
    "/institution/classes/{class_id}/sessions/{session_id}/screen",
    response_class=HTMLResponse,
    name="institution_attendance_screen",
)
def screen(request: Request, pages: PageRenderer, principal: Manager, class_id: Id, session_id: Id) -> HTMLResponse:
    """The classroom screen: a QR code of the current code (an URL any phone camera opens), renewed by htmx."""
    runtime = get_runtime(request)
    with reading(request) as session:
        view = managed_class(session, principal, class_id)
        class_session = class_session_of(session, class_id, session_id)
        code = enrolment.screen_code(
            session, attendance_key_of(request), session_id=session_id, now=runtime.clock.now(), by=principal
        )
        count = enrolment.session_check_ins(session, session_id=session_id)
    url = check_in_url(request, code)
    context = {
        "cls": view,
        "class_session": class_session,
        "code": code,
        "qr": qr_svg(url, title="签到二维码 / attendance QR code"),
        "check_ins": count,
        "refresh": SCREEN_REFRESH_SECONDS,
        "active": "institution_classes",
    }
    fragment = request.headers.get("HX-Request") == "true"
    template = "institution/_screen_code.html" if fragment else "institution/screen.html"
    return pages.render(request, template, context, headers=NO_STORE)


@router.get(
    "/institution/classes/{class_id}/attendance-file", response_class=HTMLResponse, name="institution_attendance_file"
)
def attendance_file_page(request: Request, pages: PageRenderer, principal: Manager, class_id: Id) -> HTMLResponse:
    return _file_page(request, pages, principal, class_id, None, None)


@router.post("/institution/classes/{class_id}/attendance-file", name="institution_attendance_upload")
def upload(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    class_id: Id,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    runtime = get_runtime(request)
    try:
        if file is None or not file.filename:
            raise enrolment.AttendanceFileRefused("请选择文件 / choose a file")
        with tempfile.NamedTemporaryFile(suffix=FilePath(file.filename).suffix.lower()[:5]) as saved:
            shutil.copyfileobj(file.file, saved)
            saved.flush()
            rows = enrolment.attendance_file_rows(FilePath(saved.name))
        with runtime.uow.begin() as session:
            result = enrolment.record_attendance_file(
                session, runtime.cipher, class_id=class_id, rows=rows, by=principal
            )
    except DomainError as error:
        return _file_page(request, pages, principal, class_id, None, error)
    return _file_page(request, pages, principal, class_id, result, None)


def _file_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    class_id: int,
    result: enrolment.AttendanceFileResult | None,
    error: DomainError | None,
) -> HTMLResponse:
    with reading(request) as session:
        view = managed_class(session, principal, class_id)
        sessions = enrolment.class_sessions(session, class_id=class_id)
    context = {"cls": view, "sessions": sessions, "result": result, "tab": "file", "active": "institution_classes"}
    context |= form_error(error)
    return pages.render(request, "institution/attendance_file.html", context, status_code=_status(error))


@router.get("/institution/classes/{class_id}/evidence", response_class=HTMLResponse, name="institution_evidence")
def evidence_page(request: Request, pages: PageRenderer, principal: Manager, class_id: Id) -> HTMLResponse:
    return _evidence_page(request, pages, principal, class_id, None)


@router.post("/institution/classes/{class_id}/enrolments/{enrolment_id}/cancel", name="institution_enrolment_cancel")
def cancel(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    class_id: Id,
    enrolment_id: Id,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            managed_class(session, principal, class_id)
            enrolment.cancel_enrolment(
                session, enrolment_id=enrolment_id, reason=reason, today=runtime.clock.now().date(), by=principal
            )
    except DomainError as error:
        return _evidence_page(request, pages, principal, class_id, error)
    return see_other(f"/institution/classes/{class_id}/evidence", cancelled="1")


def _evidence_page(
    request: Request, pages: PageRenderer, principal: Principal, class_id: int, error: DomainError | None
) -> HTMLResponse:
    with reading(request) as session:
        view = managed_class(session, principal, class_id)
        trainees = enrolment.class_evidence(session, class_id=class_id)
        sessions = enrolment.class_sessions(session, class_id=class_id)
    context = {
        "cls": view,
        "trainees": trainees,
        "sessions": sessions,
        "cancelled": request.query_params.get("cancelled") == "1" and error is None,
        "tab": "evidence",
        "active": "institution_classes",
        **form_error(error),
    }
    return pages.render(request, "institution/evidence.html", context, status_code=_status(error))
