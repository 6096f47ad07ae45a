"""Pages for an institution's staff: my institution, my courses (publish), my classes (apply to open, list).

The twins of POST /api/v1/courses and POST /api/v1/classes: the same actions of `skillvoucher.training`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher import training
from skillvoucher.core import DomainError, Invalid
from skillvoucher.core.money import yuan_to_fen
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.templating import DISPLAY_ZONE
from skillvoucher.web.ui.common import form_error, reading, see_other
from skillvoucher.web.ui.institution_keys import own_institution

router = APIRouter(include_in_schema=False)

Self = Annotated[Principal, Depends(require(Permission.INSTITUTION_SELF))]
Publisher = Annotated[Principal, Depends(require(Permission.COURSE_PUBLISH))]
Applicant = Annotated[Principal, Depends(require(Permission.CLASS_APPLY))]
Text = Annotated[str, Form(max_length=200)]
LongText = Annotated[str, Form(max_length=2000)]
Rows = Annotated[list[str] | None, Form()]
SESSION_ROWS = 3
TEACHER_ROWS = 2
COURSE_FIELDS = ("occupation_code", "level", "title", "hours", "price_yuan", "capacity", "description")
CLASS_FIELDS = ("course_id", "start_date", "end_date", "capacity", "assessment_plan")


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
            level=_whole(level, "等级 / level"),
            title=title,
            description=description,
            hours=_whole(hours, "课时 / hours"),
            price_fen=_fen(price_yuan),
            mode=mode,
            address=address,
            region_code=region_code.strip(),
            capacity=_whole(capacity, "人数 / capacity"),
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
) -> Response:
    given: dict[str, Any] = {"course_id": course_id, "start_date": start_date, "end_date": end_date}
    given |= {"capacity": capacity, "assessment_plan": assessment_plan}
    given |= {
        "sessions": list(
            zip(session_start or [], session_end or [], session_topic or [], session_place or [], strict=False)
        )
    }
    given |= {"teachers": list(zip(teacher_name or [], teacher_qualification or [], strict=False))}
    runtime = get_runtime(request)
    try:
        plan = training.ClassPlan(
            course_id=_whole(course_id, "课程 / course"),
            start_date=_day(start_date),
            end_date=_day(end_date),
            capacity=_whole(capacity, "人数 / capacity"),
            assessment_plan=assessment_plan,
            sessions=[
                training.SessionPlan(_moment(start), _moment(end), topic.strip(), place.strip())
                for start, end, topic, place in given["sessions"]
                if start.strip() or end.strip()
            ],
            teachers=[
                training.Teacher(name.strip(), qualification.strip())
                for name, qualification in given["teachers"]
                if name.strip()
            ],
        )
        with runtime.uow.begin() as session:
            training.apply_for_class(session, plan=plan, today=runtime.clock.now().date(), by=principal)
    except DomainError as error:
        status = DOMAIN_STATUS.get(error.kind, 400)
        return _classes_page(request, pages, principal, given, error=error, status=status)
    return see_other("/institution/classes", applied="1")


def _whole(value: str, what: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise Invalid(f"请填写整数：{what.split(' / ')[0]} / enter a whole number: {what.split(' / ')[1]}") from None


def _fen(yuan: str) -> int:
    try:
        fen = int(yuan_to_fen(yuan))
    except ValueError:
        raise Invalid("价格须为元，最多两位小数 / the price is in yuan, with at most two decimals") from None
    return fen


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("请填写日期 / enter a date (YYYY-MM-DD)") from None


def _moment(value: str) -> datetime:
    """A time entered in China Standard Time (a datetime-local field)."""
    try:
        entered = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("请填写课次的开始和结束时间 / enter when each session starts and ends") from None
    return entered.replace(tzinfo=DISPLAY_ZONE) if entered.tzinfo is None else entered


def _courses_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    given: dict[str, str],
    *,
    error: DomainError | None = None,
    status: int = 200,
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
) -> HTMLResponse:
    institution_id = own_institution(principal)
    with reading(request) as session:
        courses = [c for c in training.institution_courses(session, institution_id) if c.status == "published"]
        classes = training.institution_classes(session, institution_id)
    sessions = list(given.get("sessions", []))
    sessions += [("", "", "", "")] * (SESSION_ROWS - len(sessions))
    teachers = list(given.get("teachers", []))
    teachers += [("", "")] * (TEACHER_ROWS - len(teachers))
    context = {
        "courses": courses,
        "classes": classes,
        "given": dict.fromkeys(CLASS_FIELDS, "") | given | {"sessions": sessions, "teachers": teachers},
        "applied": request.query_params.get("applied") == "1" and error is None,
        "active": "institution_classes",
        **form_error(error),
    }
    return pages.render(request, "institution/classes.html", context, status_code=status)
