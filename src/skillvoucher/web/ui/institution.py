"""Pages for an institution's staff: my institution, my courses (publish, withdraw), my classes (apply to open with
a roster, replace the roster while applied, cancel, list).

The twins of the course and class routes of /api/v1: the same actions of `skillvoucher.training`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from skillvoucher import training
from skillvoucher.core import DomainError
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import NO_STORE, form_error, reading, see_other
from skillvoucher.web.ui.form_values import day, fen, moment, whole
from skillvoucher.web.ui.institution_keys import own_institution

router = APIRouter(include_in_schema=False)

Self = Annotated[Principal, Depends(require(Permission.INSTITUTION_SELF))]
Publisher = Annotated[Principal, Depends(require(Permission.COURSE_PUBLISH))]
Applicant = Annotated[Principal, Depends(require(Permission.CLASS_APPLY))]
Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=2000)]
Rows = Annotated[list[str] | None, Form()]
Id = Annotated[int, Path(ge=1)]
Reason = Annotated[str, Form(max_length=500)]
IdNumbers = Annotated[str, Form(max_length=60_000)]  # one resident ID number a line; a class is never this large
SESSION_ROWS = 3
TEACHER_ROWS = 2
COURSE_FIELDS = ("occupation_code", "level", "title", "hours", "price_yuan", "capacity", "description")
CLASS_FIELDS = ("course_id", "start_date", "end_date", "capacity", "assessment_plan")
ROSTER_FORM: dict[str, Any] = {"roster": "", "roster_class": None, "roster_text": ""}


@router.get("/institution", response_class=HTMLResponse, name="institution_home")
def institution_home(request: Request, pages: PageRenderer, principal: Self) -> HTMLResponse:
    with reading(request) as session:
        institution = training.get_institution(session, own_institution(principal))
        scope = training.registered_scope(session, institution.id)
    context = {"institution": institution, "scope": scope, "active": "institution_home"}
    return pages.render(request, "institution/home.html", context)


@router.get("/institution/courses", response_class=HTMLResponse, name="institution_courses")
def courses_page(request: Request, pages: PageRenderer, principal: Publisher) -> HTMLResponse:
    return _courses_page(request, pages, principal, {})


@router.post("/institution/courses", name="institution_course_publish")
def publish(
    request: Request,
    pages: PageRenderer,
    principal: Publisher,
    occupation_code: Annotated[str, Form(max_length=10)] = "",
    level: Annotated[str, Form(max_length=1)] = "",
    title: Text = "",
    hours: Annotated[str, Form(max_length=6)] = "",
    price_yuan: Annotated[str, Form(max_length=12)] = "",
    mode: Annotated[str, Form(max_length=10)] = "in_person",
    address: Text = "",
    region_code: Annotated[str, Form(max_length=6)] = "",
    capacity: Annotated[str, Form(max_length=6)] = "",
    description: LongText = "",
) -> Response:
    given = {"occupation_code": occupation_code, "level": level, "title": title, "hours": hours}
    given |= {"price_yuan": price_yuan, "mode": mode, "address": address, "region_code": region_code}
    given |= {"capacity": capacity, "description": description}
    runtime = get_runtime(request)
    try:
        details = training.CourseDetails(
            institution_id=own_institution(principal),
            occupation_code=occupation_code.strip(),
            level=whole(level, "等级 / level"),
            title=title,
            description=description,
            hours=whole(hours, "课时 / hours"),
            price_fen=fen(price_yuan),
            mode=mode,
            address=address,
            region_code=region_code.strip(),
            capacity=whole(capacity, "人数 / capacity"),
        )
        with runtime.uow.begin() as session:
            training.publish_course(session, details=details, today=runtime.clock.now().date(), by=principal)
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _courses_page(request, pages, principal, given, error=error, status=status)
    return see_other("/institution/courses", published="1")


@router.get("/institution/classes", response_class=HTMLResponse, name="institution_classes")
def classes_page(request: Request, pages: PageRenderer, principal: Applicant, course: str = "") -> HTMLResponse:
    return _classes_page(request, pages, principal, {"course_id": course})


@router.post("/institution/classes", name="institution_class_apply")
def apply(
    request: Request,
    pages: PageRenderer,
    principal: Applicant,
    course_id: Annotated[str, Form(max_length=18)] = "",
    start_date: Annotated[str, Form(max_length=10)] = "",
    end_date: Annotated[str, Form(max_length=10)] = "",
    capacity: Annotated[str, Form(max_length=6)] = "",
    assessment_plan: LongText = "",
    session_start: Rows = None,
    session_end: Rows = None,
    session_topic: Rows = None,
    session_place: Rows = None,
    teacher_name: Rows = None,
    teacher_qualification: Rows = None,
    roster: IdNumbers = "",
) -> Response:
    given: dict[str, Any] = {"course_id": course_id, "start_date": start_date, "end_date": end_date}
    given |= {"capacity": capacity, "assessment_plan": assessment_plan, "roster": roster}
    given |= {
        "sessions": list(
            zip(session_start or [], session_end or [], session_topic or [], session_place or [], strict=False)
        )
    }
    given |= {"teachers": list(zip(teacher_name or [], teacher_qualification or [], strict=False))}
    runtime = get_runtime(request)
    try:
        plan = training.ClassPlan(
            course_id=whole(course_id, "课程 / course"),
            start_date=day(start_date),
            end_date=day(end_date),
            capacity=whole(capacity, "人数 / capacity"),
            assessment_plan=assessment_plan,
            sessions=[
                training.SessionPlan(moment(start), moment(end), topic.strip(), place.strip())
                for start, end, topic, place in given["sessions"]
                if start.strip() or end.strip()
            ],
            teachers=[
                training.Teacher(name.strip(), qualification.strip())
                for name, qualification in given["teachers"]
                if name.strip()
            ],
        )
        today = runtime.clock.now().date()
        with runtime.uow.begin() as session:  # the class and its roster together, or neither
            applied = training.apply_for_class(session, plan=plan, today=today, by=principal)
            if lines := training.roster_lines(roster):
                training.set_class_roster(
                    session, class_id=applied.id, lines=lines, cipher=runtime.cipher, today=today, by=principal
                )
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _classes_page(request, pages, principal, given, error=error, status=status)
    return see_other("/institution/classes", applied="1")


@router.post("/institution/classes/{class_id}/roster", name="institution_class_roster")
def set_roster(
    request: Request,
    pages: PageRenderer,
    principal: Applicant,
    class_id: Id,
    id_numbers: IdNumbers = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Replace an applied class's roster: ID numbers typed one a line, or a CSV/XLSX file with an ID column."""
    runtime = get_runtime(request)
    try:
        if file is not None and file.filename:
            with tempfile.NamedTemporaryFile(suffix=FilePath(file.filename).suffix.lower()[:5]) as upload:
                shutil.copyfileobj(file.file, upload)
                upload.flush()
                lines = training.roster_file_lines(FilePath(upload.name))
        else:
            lines = training.roster_lines(id_numbers)
        with runtime.uow.begin() as session:
            count = training.set_class_roster(
                session,
                class_id=class_id,
                lines=lines,
                cipher=runtime.cipher,
                today=runtime.clock.now().date(),
                by=principal,
            )
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        given = {"roster_class": class_id, "roster_text": id_numbers}
        return _classes_page(request, pages, principal, given, error=error, status=status, failed="roster")
    return see_other("/institution/classes", roster_saved=str(count))


@router.post("/institution/classes/{class_id}/cancellation", name="institution_class_cancel")
def cancel(request: Request, pages: PageRenderer, principal: Applicant, class_id: Id, reason: Reason = "") -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            training.cancel_class(session, class_id=class_id, reason=reason, by=principal)
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _classes_page(request, pages, principal, {}, error=error, status=status, failed="cancel")
    return see_other("/institution/classes", cancelled="1")


@router.post("/institution/courses/{course_id}/withdrawal", name="institution_course_withdraw")
def withdraw(
    request: Request, pages: PageRenderer, principal: Publisher, course_id: Id, reason: Reason = ""
) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            training.withdraw_course(session, course_id=course_id, reason=reason, by=principal)
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _courses_page(request, pages, principal, {}, error=error, status=status, failed="withdraw")
    return see_other("/institution/courses", withdrawn="1")


def _courses_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    given: dict[str, str],
    *,
    error: DomainError | None = None,
    status: int = 200,
    failed: str = "publish",
) -> HTMLResponse:
    with reading(request) as session:
        institution = training.get_institution(session, own_institution(principal))
        courses = training.institution_courses(session, institution.id)
    defaults = dict.fromkeys(COURSE_FIELDS, "") | {"mode": "in_person", "level": "1"}
    defaults |= {"region_code": institution.region_code, "address": institution.address}
    context = {
        "institution": institution,
        "courses": courses,
        "given": defaults | given,
        "published": request.query_params.get("published") == "1" and error is None,
        "withdrawn": request.query_params.get("withdrawn") == "1" and error is None,
        "failed": failed,
        "active": "institution_courses",
        **form_error(error),
    }
    return pages.render(request, "institution/courses.html", context, status_code=status)


def _classes_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    given: dict[str, Any],
    *,
    error: DomainError | None = None,
    status: int = 200,
    failed: str = "apply",
) -> HTMLResponse:
    institution_id = own_institution(principal)
    cipher = get_runtime(request).cipher
    with reading(request) as session:
        courses = [c for c in training.institution_courses(session, institution_id) if c.status == "published"]
        classes = training.institution_classes(session, institution_id)
        rosters = training.rosters_of(session, class_ids=[c.id for c in classes], cipher=cipher)
    saved = request.query_params.get("roster_saved", "")
    sessions = list(given.get("sessions", []))
    sessions += [("", "", "", "")] * (SESSION_ROWS - len(sessions))
    teachers = list(given.get("teachers", []))
    teachers += [("", "")] * (TEACHER_ROWS - len(teachers))
    context = {
        "courses": courses,
        "classes": classes,
        "rosters": rosters,
        "given": dict.fromkeys(CLASS_FIELDS, "") | ROSTER_FORM | given | {"sessions": sessions, "teachers": teachers},
        "applied": request.query_params.get("applied") == "1" and error is None,
        "roster_saved": saved if saved.isdigit() and error is None else "",
        "cancelled": request.query_params.get("cancelled") == "1" and error is None,
        "failed": failed,
        "active": "institution_classes",
        **form_error(error),
    }
    # A refused form is shown again with the ID numbers as typed, to be corrected: the browser must not keep it.
    headers = NO_STORE if error is not None else None
    return pages.render(request, "institution/classes.html", context, status_code=status, headers=headers)
