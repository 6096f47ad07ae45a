"""The two catalogues over JSON: public course search and institution detail; officers' and institutions' actions.

Thin: parse, call one action or query of `skillvoucher.training`, render. Each action authorizes the loaded
resource itself (region, institution) through `identity.authz`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session

from skillvoucher import training
from skillvoucher.core import Invalid
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.web.api.catalogue_schemas import (
    AccreditationIn,
    BankAccountIn,
    BankChangeOut,
    CancellationIn,
    ClassApplicationOut,
    ClassIn,
    ClassOut,
    CourseHitOut,
    CourseIn,
    CourseOut,
    CoursePageOut,
    DecisionIn,
    DemandIn,
    DemandLineOut,
    DemandOut,
    InstitutionIn,
    InstitutionOut,
    InstitutionSummaryOut,
    RosterIn,
    RosterOut,
    ScopeIn,
    ScopeItem,
    TraineeOut,
    WithdrawalIn,
)
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.auth import authorize, public, require
from skillvoucher.web.deps import ReadSession, get_runtime

router = APIRouter(prefix="/api/v1", tags=["catalogues"])

InstitutionReader = Annotated[Principal, Depends(require(Permission.INSTITUTION_READ))]
InstitutionManager = Annotated[Principal, Depends(require(Permission.INSTITUTION_MANAGE))]
InstitutionSelf = Annotated[Principal, Depends(require(Permission.INSTITUTION_SELF))]
CatalogueManager = Annotated[Principal, Depends(require(Permission.CATALOGUE_MANAGE))]
Publisher = Annotated[Principal, Depends(require(Permission.COURSE_PUBLISH))]
ClassApplicant = Annotated[Principal, Depends(require(Permission.CLASS_APPLY))]
ClassDecider = Annotated[Principal, Depends(require(Permission.CLASS_DECIDE))]
Id = Annotated[int, Path(ge=1)]
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


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


@router.get("/demand-catalogue", dependencies=[Depends(public)], responses=problem_responses(422))
def demand_catalogue(
    session: ReadSession,
    region: Annotated[str, Query(pattern=r"^\d{6}$", description="the region whose own entries are listed")],
    on: Annotated[date | None, Query(description="only the entries in force on this day")] = None,
    history: Annotated[bool, Query(description="every version, superseded ones included")] = False,
) -> list[DemandLineOut]:
    """The public training-demand catalogue of a region: subsidy standards (fen), uplift, hours, periods."""
    lines = training.demand_catalogue(session, region_code=region, on=on, history=history)
    return [DemandLineOut(**asdict(line)) for line in lines]


@router.get("/class-applications", responses=problem_responses(401, 403, 422))
def class_applications(
    session: ReadSession,
    principal: InstitutionReader,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$", description="default: the caller's region")] = None,
    state: Literal["applied", "approved", "rejected", "cancelled"] = "applied",
) -> list[ClassApplicationOut]:
    """Class applications in a region and its sub-regions, oldest first (an officer's approval queue)."""
    region_code = _region_in_scope(principal, region)
    items = training.class_applications(session, region_code=region_code, state=state)
    return [ClassApplicationOut(**asdict(item)) for item in items]


@router.get("/institutions", responses=problem_responses(401, 403, 422))
def institutions(
    session: ReadSession,
    principal: InstitutionReader,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$", description="default: the caller's region")] = None,
    state: Annotated[list[str] | None, Query(description="accreditation states, e.g. applied (the queue)")] = None,
) -> list[InstitutionSummaryOut]:
    """Institutions of a region for the bureau; `state=applied` is the accreditation queue."""
    region_code = _region_in_scope(principal, region)
    found = training.institutions_in_region(session, region_code=region_code, states=tuple(state or ()))
    return [InstitutionSummaryOut.model_validate(institution) for institution in found]


def _region_in_scope(principal: Principal, region: str | None) -> str:
    region_code = region or principal.region_code
    if region_code is None:
        raise Invalid("请指定行政区划 / name a region")
    authorize(principal, Permission.INSTITUTION_READ, Resource(region_code=region_code))
    return region_code


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


@router.post("/classes/{class_id}/cancellation", responses=WRITE_ERRORS)
def cancel_class(request: Request, class_id: Id, body: CancellationIn, principal: ClassApplicant) -> ClassOut:
    """Cancel an applied or approved class of the caller's institution, with a reason."""
    with get_runtime(request).uow.begin() as session:
        cancelled = training.cancel_class(session, class_id=class_id, reason=body.reason, by=principal)
        return ClassOut.model_validate(cancelled)


@router.get("/classes/{class_id}/roster", responses=problem_responses(401, 403, 404))
def class_roster(request: Request, class_id: Id, principal: ClassApplicant) -> RosterOut:
    """The roster (花名册) of a class of the caller's institution: masked names and ID numbers."""
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        roster = training.class_roster(session, class_id=class_id, cipher=runtime.cipher, by=principal)
    return _roster_out(roster)


@router.put("/classes/{class_id}/roster", responses=WRITE_ERRORS)
def set_class_roster(request: Request, class_id: Id, body: RosterIn, principal: ClassApplicant) -> RosterOut:
    """Replace the roster of an applied class: every number valid, registered, once, within the capacity."""
    runtime = get_runtime(request)
    lines = [training.RosterLine(n, id_number) for n, id_number in enumerate(body.id_numbers, start=1)]
    with runtime.uow.begin() as session:
        today = runtime.clock.now().date()
        training.set_class_roster(
            session, class_id=class_id, lines=lines, cipher=runtime.cipher, today=today, by=principal
        )
        roster = training.class_roster(session, class_id=class_id, cipher=runtime.cipher, by=principal)
    return _roster_out(roster)


def _roster_out(roster: training.ClassRoster) -> RosterOut:
    return RosterOut(
        class_id=roster.class_id,
        state=roster.state,
        capacity=roster.capacity,
        frozen=roster.frozen,
        trainees=[TraineeOut.model_validate(trainee) for trainee in roster.trainees],
    )


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
