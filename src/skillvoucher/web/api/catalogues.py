"""The two catalogues over JSON: public course search and institution detail; officers' and institutions' actions.

Thin: parse, call one action or query of `skillvoucher.training`, render. Each action authorizes the loaded
resource itself (region, institution) through `identity.authz`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from skillvoucher import training
from skillvoucher.core import Invalid
from skillvoucher.identity.authz import Permission, Principal
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.auth import public, require
from skillvoucher.web.deps import ReadSession, get_runtime

router = APIRouter(prefix="/api/v1", tags=["catalogues"])

InstitutionManager = Annotated[Principal, Depends(require(Permission.INSTITUTION_MANAGE))]
InstitutionSelf = Annotated[Principal, Depends(require(Permission.INSTITUTION_SELF))]
CatalogueManager = Annotated[Principal, Depends(require(Permission.CATALOGUE_MANAGE))]
Publisher = Annotated[Principal, Depends(require(Permission.COURSE_PUBLISH))]
ClassApplicant = Annotated[Principal, Depends(require(Permission.CLASS_APPLY))]
ClassDecider = Annotated[Principal, Depends(require(Permission.CLASS_DECIDE))]
Id = Annotated[int, Path(ge=1)]
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CourseHitOut(Model):
    id: int
    title: str
    institution_id: int
    institution_name: str
    occupation_code: str
    occupation_name: str
    level: int
    mode: str
    price_fen: int
    hours: int
    region_code: str
    region_name: str
    next_start: date | None
    open_enrolment: bool
    distance: int | None = Field(description="0 same county, 1 same city, 2 same province, 3 elsewhere")


class CoursePageOut(Model):
    items: list[CourseHitOut]
    page: int
    per_page: int
    has_next: bool


class ScopeItem(Model):
    occupation_code: str = Field(pattern=r"^\d-\d{2}-\d{2}-\d{2}$")
    level: int = Field(ge=1, le=5)


class InstitutionOut(Model):
    id: int
    name: str
    uscc: str
    kind: str
    address: str
    region_code: str
    contact_phone: str
    accreditation: str
    accreditation_changed_at: datetime
    scope: list[ScopeItem]


class InstitutionIn(Model):
    name: str = Field(min_length=1, max_length=200)
    uscc: str = Field(min_length=18, max_length=24)
    kind: str
    address: str = Field(max_length=300)
    region_code: str = Field(pattern=r"^\d{6}$")
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field(max_length=30)


class AccreditationIn(Model):
    to: Literal["accredited", "under_review", "payments_suspended", "delisted"]
    reason: str = Field(min_length=1, max_length=500)


class ScopeIn(Model):
    items: list[ScopeItem] = Field(max_length=500)


class BankAccountIn(Model):
    bank_name: str = Field(min_length=1, max_length=100)
    account_name: str = Field(min_length=1, max_length=200)
    account_number: str = Field(min_length=8, max_length=40)


class DecisionIn(Model):
    approve: bool
    reason: str = Field(default="", max_length=500)


class BankChangeOut(Model):
    id: int
    institution_id: int
    state: str
    requested_by: str
    decided_by: str | None


class DemandIn(Model):
    region_code: str = Field(pattern=r"^\d{6}$")
    occupation_code: str
    level: int = Field(ge=1, le=5)
    subsidy_fen: int = Field(ge=0)
    standard_hours: int = Field(gt=0)
    flag: Literal["none", "shortage", "key"] = "none"
    uplift_percent: int = Field(default=0, ge=0, le=100)
    valid_from: date
    valid_to: date | None = None


class DemandOut(DemandIn):
    id: int
    version: int
    supersedes_id: int | None


class CourseIn(Model):
    occupation_code: str
    level: int = Field(ge=1, le=5)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    hours: int = Field(gt=0)
    price_fen: int = Field(ge=0)
    mode: Literal["in_person", "online", "mixed"]
    address: str = Field(max_length=300)
    region_code: str = Field(pattern=r"^\d{6}$")
    capacity: int = Field(gt=0)
    open_enrolment: bool = False


class CourseOut(Model):
    id: int
    institution_id: int
    title: str
    status: str


class WithdrawalIn(Model):
    reason: str = Field(default="", max_length=500)


class SessionIn(Model):
    starts_at: datetime
    ends_at: datetime
    topic: str = Field(max_length=200)
    place: str = Field(max_length=300)


class TeacherIn(Model):
    name: str = Field(min_length=1, max_length=100)
    qualification: str = Field(max_length=200)


class ClassIn(Model):
    course_id: int
    start_date: date
    end_date: date
    capacity: int = Field(gt=0)
    assessment_plan: str = Field(max_length=5000)
    sessions: list[SessionIn] = Field(min_length=1, max_length=500)
    teachers: list[TeacherIn] = Field(min_length=1, max_length=50)


class ClassOut(Model):
    id: int
    course_id: int
    start_date: date
    end_date: date
    state: str
    reason: str | None
    decided_by: str | None


@router.get("/courses", dependencies=[Depends(public)], responses=problem_responses(422))
def search_courses(
    request: Request,
    session: ReadSession,
    q: Annotated[str, Query(max_length=50, description="Chinese, full pinyin or initials (ylhly)")] = "",
    region: Annotated[str | None, Query(pattern=r"^\d{6}$", description="with its sub-regions")] = None,
    occupation: Annotated[str | None, Query(max_length=10)] = None,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
    mode: Annotated[Literal["in_person", "online", "mixed"] | None, Query()] = None,
    start_from: date | None = None,
    start_to: date | None = None,
    price_min_fen: Annotated[int | None, Query(ge=0)] = None,
    price_max_fen: Annotated[int | None, Query(ge=0)] = None,
    sort: Literal["start", "price", "distance"] = "start",
    near: Annotated[str | None, Query(pattern=r"^\d{6}$", description="the worker's region, for distance")] = None,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CoursePageOut:
    """Public course search: published courses of listed institutions with an upcoming class or open enrolment."""
    query = training.CourseQuery(
        keyword=q, region_code=region, occupation_code=occupation, level=level, mode=mode, start_from=start_from,
        start_to=start_to, price_min_fen=price_min_fen, price_max_fen=price_max_fen, sort=sort,
        near_region=near or region, page=page, per_page=per_page,
    )  # fmt: skip
    result = training.search_courses(session, query, today=get_runtime(request).clock.now().date())
    return CoursePageOut(
        items=[CourseHitOut(**asdict(hit)) for hit in result.items],
        page=result.page,
        per_page=result.per_page,
        has_next=result.has_next,
    )


@router.get("/institutions/{institution_id}", dependencies=[Depends(public)], responses=problem_responses(404))
def institution_detail(institution_id: Id, session: ReadSession) -> InstitutionOut:
    """The public catalogue entry of an institution: its accreditation and registered scope (no bank details)."""
    return _institution_out(session, training.get_institution(session, institution_id))


@router.post("/institutions", status_code=201, responses=WRITE_ERRORS)
def register_institution(request: Request, body: InstitutionIn, principal: InstitutionManager) -> InstitutionOut:
    with get_runtime(request).uow.begin() as session:
        details = training.InstitutionDetails(**body.model_dump())
        return _institution_out(session, training.register_institution(session, details=details, by=principal))


@router.post("/institutions/{institution_id}/accreditation", responses=WRITE_ERRORS)
def change_accreditation(
    request: Request, institution_id: Id, body: AccreditationIn, principal: InstitutionManager
) -> InstitutionOut:
    with get_runtime(request).uow.begin() as session:
        institution = training.change_accreditation(
            session, institution_id=institution_id, to=body.to, reason=body.reason, by=principal
        )
        return _institution_out(session, institution)


@router.put("/institutions/{institution_id}/scope", responses=WRITE_ERRORS)
def set_scope(request: Request, institution_id: Id, body: ScopeIn, principal: InstitutionManager) -> InstitutionOut:
    with get_runtime(request).uow.begin() as session:
        scope = [(item.occupation_code, item.level) for item in body.items]
        training.set_registered_scope(session, institution_id=institution_id, scope=scope, by=principal)
        return _institution_out(session, training.get_institution(session, institution_id))


@router.post("/institutions/{institution_id}/bank-account-changes", status_code=201, responses=WRITE_ERRORS)
def request_bank_change(
    request: Request, institution_id: Id, body: BankAccountIn, principal: InstitutionSelf
) -> BankChangeOut:
    """An institution asks to change its settlement account; a bureau officer must approve it."""
    with get_runtime(request).uow.begin() as session:
        change = training.request_bank_account_change(
            session,
            institution_id=institution_id,
            bank_name=body.bank_name,
            account_name=body.account_name,
            account_number=body.account_number,
            by=principal,
        )
        return BankChangeOut.model_validate(change)


@router.post("/bank-account-changes/{change_id}/decision", responses=WRITE_ERRORS)
def decide_bank_change(
    request: Request, change_id: Id, body: DecisionIn, principal: InstitutionManager
) -> BankChangeOut:
    """Approve or reject; the officer who requested a change cannot decide it."""
    with get_runtime(request).uow.begin() as session:
        change = training.decide_bank_account_change(
            session, change_id=change_id, approve=body.approve, reason=body.reason, by=principal
        )
        return BankChangeOut.model_validate(change)


@router.post("/demand-entries", status_code=201, responses=WRITE_ERRORS)
def set_demand_entry(request: Request, body: DemandIn, principal: CatalogueManager) -> DemandOut:
    """Add a demand-catalogue entry; one with the same region, occupation, level and start supersedes the old."""
    with get_runtime(request).uow.begin() as session:
        entry = training.set_demand_entry(session, terms=training.DemandTerms(**body.model_dump()), by=principal)
        return DemandOut.model_validate(entry)


@router.post("/courses", status_code=201, responses=WRITE_ERRORS)
def publish_course(request: Request, body: CourseIn, principal: Publisher) -> CourseOut:
    """Publish a course of the caller's institution (inside its registered scope and the demand catalogue)."""
    if principal.institution_id is None:
        raise Invalid("该账号未绑定培训机构 / this account is not bound to an institution")
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        details = training.CourseDetails(institution_id=principal.institution_id, **body.model_dump())
        course = training.publish_course(session, details=details, today=runtime.clock.now().date(), by=principal)
        return CourseOut.model_validate(course)


@router.post("/courses/{course_id}/withdrawal", responses=WRITE_ERRORS)
def withdraw_course(request: Request, course_id: Id, body: WithdrawalIn, principal: Publisher) -> CourseOut:
    with get_runtime(request).uow.begin() as session:
        course = training.withdraw_course(session, course_id=course_id, reason=body.reason, by=principal)
        return CourseOut.model_validate(course)


@router.post("/classes", status_code=201, responses=WRITE_ERRORS)
def apply_for_class(request: Request, body: ClassIn, principal: ClassApplicant) -> ClassOut:
    """Apply to open a class (开班申请): dates, sessions, teachers, assessment plan."""
    runtime = get_runtime(request)
    plan = training.ClassPlan(
        course_id=body.course_id,
        start_date=body.start_date,
        end_date=body.end_date,
        capacity=body.capacity,
        assessment_plan=body.assessment_plan,
        sessions=[training.SessionPlan(**s.model_dump()) for s in body.sessions],
        teachers=[training.Teacher(**t.model_dump()) for t in body.teachers],
    )
    with runtime.uow.begin() as session:
        applied = training.apply_for_class(session, plan=plan, today=runtime.clock.now().date(), by=principal)
        return ClassOut.model_validate(applied)


@router.post("/classes/{class_id}/decision", responses=WRITE_ERRORS)
def decide_class(request: Request, class_id: Id, body: DecisionIn, principal: ClassDecider) -> ClassOut:
    """Approve or reject a class application (a reason is required to reject)."""
    with get_runtime(request).uow.begin() as session:
        decided = training.decide_class(
            session, class_id=class_id, approve=body.approve, reason=body.reason, by=principal
        )
        return ClassOut.model_validate(decided)


def _institution_out(session: Session, institution: training.Institution) -> InstitutionOut:
    scope = training.registered_scope(session, institution.id)
    return InstitutionOut(
        id=institution.id,
        name=institution.name,
        uscc=institution.uscc,
        kind=institution.kind,
        address=institution.address,
        region_code=institution.region_code,
        contact_phone=institution.contact_phone,
        accreditation=institution.accreditation,
        accreditation_changed_at=institution.accreditation_changed_at,
        scope=[ScopeItem(occupation_code=code, level=level) for code, level in scope],
    )
