"""Vouchers over JSON: the bureau's policies, batches, lists, rosters and revocations; a worker's vouchers, offers,
claims and QR codes. Thin: parse, call one action or query of `skillvoucher.vouchers`, render.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session

from skillvoucher import vouchers
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.api.voucher_schemas import (
    BatchRevokedOut,
    JobOut,
    ListedIn,
    ListedOut,
    OfferOut,
    PolicyIn,
    PolicyLineOut,
    PolicyOut,
    QrTokenOut,
    ReasonIn,
    RosterIssueOut,
    RowProblemOut,
    VoucherDetailOut,
    VoucherEventOut,
    VoucherOut,
)
from skillvoucher.web.auth import require
from skillvoucher.web.deps import ReadSession, get_runtime
from skillvoucher.web.voucher_access import (
    listed_policy_region,
    own_voucher,
    readable_job,
    readable_policy,
    readable_voucher,
    show_code,
    submit_batch,
    today,
)

router = APIRouter(prefix="/api/v1", tags=["vouchers"])

Reader = Annotated[Principal, Depends(require(Permission.VOUCHER_READ))]
Manager = Annotated[Principal, Depends(require(Permission.VOUCHER_MANAGE))]
Worker = Annotated[Principal, Depends(require(Permission.WORKER_SELF))]
ConfirmedWorker = Annotated[Principal, Depends(require(Permission.WORKER_SELF, step_up=True))]
Id = Annotated[int, Path(ge=1)]
READ_ERRORS = problem_responses(401, 403, 404, 422)
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422)


def policy_out(session: Session, policy: vouchers.VoucherPolicy) -> PolicyOut:
    line = PolicyLineOut.model_validate(policy).model_dump()
    return PolicyOut(
        **line,
        funding_source=policy.funding_source,
        eligibility=policy.eligibility,
        usage=policy.usage,
        value_rule=policy.value_rule,
        valid_until=policy.valid_until,
        valid_days=policy.valid_days,
        yearly_limit=policy.yearly_limit,
        once_per_occupation_level=policy.once_per_occupation_level,
        target_class_id=policy.target_class_id,
        vouchers_by_state=vouchers.count_policy_vouchers(session, policy_id=policy.id),
        jobs=[JobOut(**asdict(job)) for job in vouchers.policy_jobs(session, policy_id=policy.id)],
    )


# --- the bureau ------------------------------------------------------------------------------------------------------


@router.get("/voucher-policies", responses=READ_ERRORS)
def list_policies(
    session: ReadSession,
    principal: Reader,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$", description="default: the caller's region")] = None,
) -> list[PolicyLineOut]:
    """The voucher policies of a region and its sub-regions, newest first, with issued counts and caps."""
    region_code = listed_policy_region(principal, region)
    return [PolicyLineOut(**asdict(line)) for line in vouchers.region_policies(session, region_code=region_code)]


@router.post("/voucher-policies", status_code=201, responses=WRITE_ERRORS)
def define_policy(request: Request, body: PolicyIn, principal: Manager) -> PolicyOut:
    """Define a policy in the caller's region: who is eligible, what for, its value, validity and caps."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        policy = vouchers.define_policy(session, terms=body.terms(), today=today(runtime), by=principal)
        return policy_out(session, policy)


@router.get("/voucher-policies/{policy_id}", responses=READ_ERRORS)
def get_policy(session: ReadSession, principal: Reader, policy_id: Id) -> PolicyOut:
    """A policy's terms, its vouchers counted by state, and its issuance batches."""
    return policy_out(session, readable_policy(session, principal, policy_id))


@router.post("/voucher-policies/{policy_id}/batches", status_code=202, responses=WRITE_ERRORS)
def start_batch(request: Request, policy_id: Id, principal: Manager) -> JobOut:
    """Issue to everyone eligible, as a background job (asking again returns the unfinished one)."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        job = vouchers.start_batch(session, policy_id=policy_id, today=today(runtime), by=principal)
        out = JobOut(**asdict(vouchers.job_line(job)))
    submit_batch(request, out.id)
    return out


@router.post("/voucher-policies/{policy_id}/listed", responses=WRITE_ERRORS)
def issue_to_listed(request: Request, policy_id: Id, body: ListedIn, principal: Manager) -> ListedOut:
    """Issue to the persons listed by resident ID number; each row that cannot be served says why (by row number;
    the numbers are never echoed)."""
    runtime = get_runtime(request)
    rows = list(enumerate(body.id_numbers, start=1))
    with runtime.uow.begin() as session:
        result = vouchers.issue_to_listed(
            session, runtime.cipher, policy_id=policy_id, rows=rows, today=today(runtime), by=principal
        )
    problems = [RowProblemOut(row=p.row, message=p.message) for p in result.problems]
    return ListedOut(rows=result.rows, issued=result.issued, problems=problems)


@router.post("/voucher-policies/{policy_id}/roster-issue", responses=WRITE_ERRORS)
def issue_to_roster(request: Request, policy_id: Id, principal: Manager) -> RosterIssueOut:
    """A targeted policy: issue to the eligible people on its approved class's roster."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        issued = vouchers.issue_to_class_roster(session, policy_id=policy_id, today=today(runtime), by=principal)
    return RosterIssueOut(issued=issued.issued, listed=issued.listed, not_issued=issued.not_issued)


@router.post("/voucher-policies/{policy_id}/close", responses=WRITE_ERRORS)
def close_policy(request: Request, policy_id: Id, principal: Manager) -> PolicyOut:
    with get_runtime(request).uow.begin() as session:
        return policy_out(session, vouchers.close_policy(session, policy_id=policy_id, by=principal))


@router.get("/jobs/{job_id}", responses=READ_ERRORS)
def get_job(session: ReadSession, principal: Reader, job_id: Id) -> JobOut:
    """An issuance batch's progress: state, share done, vouchers issued, error."""
    return JobOut(**asdict(vouchers.job_line(readable_job(session, principal, job_id))))


@router.post("/jobs/{job_id}/revoke", responses=WRITE_ERRORS)
def revoke_batch(request: Request, job_id: Id, body: ReasonIn, principal: Manager) -> BatchRevokedOut:
    """Revoke every voucher of a finished batch that is still issued or claimed."""
    with get_runtime(request).uow.begin() as session:
        readable_job(session, principal, job_id)
        revoked = vouchers.revoke_batch(session, job_id=job_id, reason=body.reason, by=principal)
        job = readable_job(session, principal, job_id)
        return BatchRevokedOut(revoked=revoked, job=JobOut(**asdict(vouchers.job_line(job))))


@router.get("/vouchers/{voucher_id}", responses=READ_ERRORS)
def get_voucher(session: ReadSession, principal: Reader, voucher_id: Id) -> VoucherDetailOut:
    """One voucher and its history (issued, claimed, revoked, expired)."""
    return _detail(session, readable_voucher(session, principal, voucher_id))


@router.post("/vouchers/{voucher_id}/revoke", responses=WRITE_ERRORS)
def revoke_voucher(request: Request, voucher_id: Id, body: ReasonIn, principal: Manager) -> VoucherDetailOut:
    with get_runtime(request).uow.begin() as session:
        readable_voucher(session, principal, voucher_id)
        vouchers.revoke_voucher(session, voucher_id=voucher_id, reason=body.reason, by=principal)
        return _detail(session, readable_voucher(session, principal, voucher_id))


def _detail(session: Session, view: vouchers.VoucherView) -> VoucherDetailOut:
    history = [VoucherEventOut(**asdict(e)) for e in vouchers.voucher_history(session, view)]
    return VoucherDetailOut(**asdict(view), history=history)


# --- the worker ------------------------------------------------------------------------------------------------------


@router.get("/me/vouchers", responses=READ_ERRORS)
def my_vouchers(session: ReadSession, principal: Worker) -> list[VoucherOut]:
    """The signed-in worker's vouchers, newest first."""
    found = vouchers.person_vouchers(session, person_id=principal.account_id)
    return [VoucherOut.model_validate(view) for view in found]


@router.get("/me/voucher-offers", responses=READ_ERRORS)
def my_offers(request: Request, session: ReadSession, principal: Worker) -> list[OfferOut]:
    """Policies the worker may claim a voucher from today."""
    offers = vouchers.claimable_offers(session, person_id=principal.account_id, today=today(get_runtime(request)))
    return [OfferOut(**asdict(offer)) for offer in offers]


@router.post("/me/voucher-offers/{policy_id}/claim", status_code=201, responses=WRITE_ERRORS)
def claim(request: Request, policy_id: Id, principal: ConfirmedWorker) -> VoucherOut:
    """Claim a voucher on demand (申领); needs a recent real-name confirmation (401 StepUpRequired otherwise)."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        voucher = vouchers.claim_from_policy(
            session, policy_id=policy_id, person_id=principal.account_id, today=today(runtime), by=principal
        )
        return VoucherOut.model_validate(own_voucher(session, principal, voucher.id))


@router.post("/me/vouchers/{voucher_id}/take-up", responses=WRITE_ERRORS)
def take_up(request: Request, voucher_id: Id, principal: ConfirmedWorker) -> VoucherOut:
    """Take up an issued voucher (领用); needs a recent real-name confirmation."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        own_voucher(session, principal, voucher_id)
        vouchers.take_up(session, voucher_id=voucher_id, today=today(runtime), by=principal)
        return VoucherOut.model_validate(own_voucher(session, principal, voucher_id))


@router.get("/me/vouchers/{voucher_id}/qr-token", responses=problem_responses(401, 403, 404, 409, 422))
def qr_token(request: Request, voucher_id: Id, principal: Worker) -> QrTokenOut:
    """A fresh, short-lived signed code for the worker's own voucher (docs/vouchers-qr.md)."""
    shown = show_code(get_runtime(request), principal, voucher_id)
    return QrTokenOut(token=shown.token, expires_in=shown.lifetime_seconds, holder_name_masked=shown.holder_name_masked)
