"""Using a voucher over JSON: an institution verifies vouchers, shows attendance codes, reports weak attendance and
reads its classes' evidence; a worker confirms, checks in and reads their record; an assessor records results;
anyone checks a certificate; an officer revokes one. Thin: parse, one action or query of `skillvoucher.enrolment`.

Verify and confirm are one transaction each (the enrolment benchmark drives them with many clients at once).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from skillvoucher import enrolment
from skillvoucher.core import Forbidden
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.api.enrolment_schemas import (
    AttendanceFileIn,
    AttendanceFileOut,
    CertificateOut,
    CheckInIn,
    CheckInOut,
    EnrolmentOut,
    MyEnrolmentsOut,
    OfferOut,
    OutcomeOut,
    PendingOut,
    ReasonIn,
    RecordLineOut,
    ResultsIn,
    RowProblemOut,
    ScreenCodeOut,
    TraineeEvidenceOut,
    VerifyIn,
)
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.auth import public, require
from skillvoucher.web.deps import ReadSession, get_runtime
from skillvoucher.web.enrolment_access import (
    attendance_key_of,
    check_in_now,
    check_in_url,
    evidence_class,
    may_read_evidence,
)

router = APIRouter(prefix="/api/v1", tags=["enrolment"])

Manager = Annotated[Principal, Depends(require(Permission.ENROLMENT_MANAGE))]
SignedIn = Annotated[Principal, Depends(require(Permission.ACCOUNT_SELF))]
Worker = Annotated[Principal, Depends(require(Permission.WORKER_SELF))]
ConfirmedWorker = Annotated[Principal, Depends(require(Permission.WORKER_SELF, step_up=True))]
Assessor = Annotated[Principal, Depends(require(Permission.ASSESSMENT_RECORD))]
Revoker = Annotated[Principal, Depends(require(Permission.CERTIFICATE_REVOKE))]
Id = Annotated[int, Path(ge=1)]
Serial = Annotated[str, Path(max_length=40)]
READ_ERRORS = problem_responses(401, 403, 404, 422)
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


def enrolment_out(row: enrolment.Enrolment) -> EnrolmentOut:
    return EnrolmentOut.model_validate(row)


# --- the institution ---------------------------------------------------------------------------------------------


@router.post("/classes/{class_id}/enrolments/verify", responses=WRITE_ERRORS)
def verify(request: Request, class_id: Id, body: VerifyIn, principal: Manager) -> OfferOut:
    """Check a worker's voucher for a class: the QR token or the typed code. A pending enrolment waits for the
    worker's own confirmation; nothing is reserved until then. Shows only what the institution needs."""
    runtime = get_runtime(request)
    now = runtime.clock.now()
    with runtime.uow.begin() as session:
        offer = enrolment.verify_voucher(
            session, class_id=class_id, presented=body.presented, today=now.date(), now=now, by=principal
        )
    return OfferOut(**asdict(offer))


@router.get("/classes/{class_id}/evidence", responses=READ_ERRORS)
def evidence(session: ReadSession, class_id: Id, principal: SignedIn) -> list[TraineeEvidenceOut]:
    """Per trainee: sessions with strong and weak evidence, strong minutes, result, certificate. For the class's
    institution and for the bureau in its region."""
    if not may_read_evidence(principal):
        raise Forbidden("无权访问 / you are not allowed to see or do this")
    evidence_class(session, principal, class_id)
    return [TraineeEvidenceOut(**asdict(line)) for line in enrolment.class_evidence(session, class_id=class_id)]


@router.post("/classes/{class_id}/attendance-file", responses=WRITE_ERRORS)
def attendance_file(request: Request, class_id: Id, body: AttendanceFileIn, principal: Manager) -> AttendanceFileOut:
    """Attendance for trainees without smartphones: weak evidence, counted apart; it never completes a course on
    its own. Each refused row says why, by its position (ID numbers are never echoed)."""
    runtime = get_runtime(request)
    rows = [(number, row.session_id, row.id_number) for number, row in enumerate(body.rows, start=1)]
    with runtime.uow.begin() as session:
        result = enrolment.record_attendance_file(session, runtime.cipher, class_id=class_id, rows=rows, by=principal)
    problems = [RowProblemOut(row=p.row, message=p.message) for p in result.problems]
    return AttendanceFileOut(recorded=result.recorded, problems=problems)


@router.get("/sessions/{session_id}/screen-code", responses=READ_ERRORS)
def screen_code(request: Request, session: ReadSession, session_id: Id, principal: Manager) -> ScreenCodeOut:
    """The attendance code for a class session right now, and the URL its QR code encodes."""
    runtime = get_runtime(request)
    code = enrolment.screen_code(
        session, attendance_key_of(request), session_id=session_id, now=runtime.clock.now(), by=principal
    )
    return ScreenCodeOut(
        session_id=session_id,
        code=code,
        check_in_url=check_in_url(request, code),
        window_seconds=enrolment.CODE_WINDOW_SECONDS,
        check_ins=enrolment.session_check_ins(session, session_id=session_id),
    )


@router.post("/enrolments/{enrolment_id}/cancel", responses=WRITE_ERRORS)
def cancel(request: Request, enrolment_id: Id, body: ReasonIn, principal: Manager) -> EnrolmentOut:
    """The institution cancels an enrolment with a reason: before the start the voucher is released; after it,
    the policy decides (released or forfeited)."""
    return _cancel(request, enrolment_id, body.reason, principal)


def _cancel(request: Request, enrolment_id: int, reason: str, principal: Principal) -> EnrolmentOut:
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        row = enrolment.cancel_enrolment(
            session, enrolment_id=enrolment_id, reason=reason, today=runtime.clock.now().date(), by=principal
        )
        return enrolment_out(row)


# --- the worker ----------------------------------------------------------------------------------------------------


@router.get("/me/enrolments", responses=problem_responses(401, 403))
def my_enrolments(session: ReadSession, principal: Worker) -> MyEnrolmentsOut:
    """Enrolments waiting for my confirmation, and my lifelong training record."""
    pending = enrolment.pending_enrolments(session, person_id=principal.account_id)
    record = enrolment.training_record(session, person_id=principal.account_id)
    return MyEnrolmentsOut(
        pending=[PendingOut(**asdict(item)) for item in pending],
        record=[RecordLineOut(**asdict(line)) for line in record],
    )


@router.post("/me/enrolments/{enrolment_id}/confirm", responses=WRITE_ERRORS)
def confirm(request: Request, enrolment_id: Id, principal: ConfirmedWorker) -> EnrolmentOut:
    """I consent on my own device (after a recent real-name confirmation): the voucher is reserved and a seat taken,
    in one transaction."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        row = enrolment.confirm_enrolment(
            session, enrolment_id=enrolment_id, today=runtime.clock.now().date(), by=principal
        )
        return enrolment_out(row)


@router.post("/me/enrolments/{enrolment_id}/cancel", responses=WRITE_ERRORS)
def cancel_mine(request: Request, enrolment_id: Id, body: ReasonIn, principal: Worker) -> EnrolmentOut:
    """I withdraw from an enrolment, pending or confirmed, with a reason."""
    return _cancel(request, enrolment_id, body.reason, principal)


@router.post("/me/check-ins", status_code=201, responses=WRITE_ERRORS)
def check_in(request: Request, body: CheckInIn, principal: Worker) -> CheckInOut:
    """Check in with the code scanned from the screen. Needs a real-name confirmation within the step-up window or
    since this session's check-in opened (at most one per session; docs/enrolment.md)."""
    done = check_in_now(request, principal, body.code, body.device_fingerprint)
    return CheckInOut(**asdict(done))


# --- assessors, the public, officers ------------------------------------------------------------------------------


@router.post("/classes/{class_id}/results", responses=WRITE_ERRORS)
def results(request: Request, class_id: Id, body: ResultsIn, principal: Assessor) -> list[OutcomeOut]:
    """An assessor of an independent body records pass/fail (and a score) per trainee; completion is decided at
    once and a certificate issued to each who completed."""
    runtime = get_runtime(request)
    entries = [enrolment.ResultEntry(r.enrolment_id, r.passed, r.score) for r in body.results]
    with runtime.uow.begin() as session:
        outcomes = enrolment.record_results(
            session, class_id=class_id, results=entries, today=runtime.clock.now().date(), by=principal
        )
    return [outcome_out(outcome) for outcome in outcomes]


def outcome_out(outcome: enrolment.Outcome) -> OutcomeOut:
    done = outcome.completion
    return OutcomeOut(
        enrolment_id=outcome.enrolment_id,
        completed=done.completed,
        reason=done.reason,
        strong_minutes=done.strong_minutes,
        weak_minutes=done.weak_minutes,
        required_minutes=done.required_minutes,
        certificate_serial=outcome.certificate_serial,
    )


@router.get("/certificates/{serial}", dependencies=[Depends(public)], responses=problem_responses(404, 422))
def certificate(request: Request, session: ReadSession, serial: Serial) -> CertificateOut:
    """Anyone checks a certificate by its serial number: masked holder, what and where, and whether it is revoked."""
    found = enrolment.check_certificate(session, get_runtime(request).cipher, serial=serial)
    return CertificateOut(**asdict(found))


@router.post("/certificates/{serial}/revoke", responses=WRITE_ERRORS)
def revoke(request: Request, serial: Serial, body: ReasonIn, principal: Revoker) -> CertificateOut:
    """An officer of the issuing region revokes a certificate, with a reason."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        revoked = enrolment.revoke_certificate(session, serial=serial, reason=body.reason, by=principal)
        found = enrolment.check_certificate(session, runtime.cipher, serial=revoked.serial)
    return CertificateOut(**asdict(found))
