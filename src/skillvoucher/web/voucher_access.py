"""What the voucher pages and API share: loading a policy, job or voucher the reader may see, and a worker's QR code.

Reads are checked here against the loaded resource's region (a principal outside it gets 403, as for persons);
the actions of `skillvoucher.vouchers` check their own writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Request
from sqlalchemy.orm import Session

from skillvoucher import vouchers
from skillvoucher.app import Runtime
from skillvoucher.core import Invalid, NotFound
from skillvoucher.identity import Permission, Person, Principal, Resource
from skillvoucher.jobs import BackgroundJobs, Job, get_job
from skillvoucher.logging import get_logger
from skillvoucher.web.auth import authorize

log = get_logger(__name__)


def submit_batch(request: Request, job_id: int) -> None:
    """Hand a batch to the serving process's job runner. A runner already shut down (the process is stopping) leaves
    the job queued: the next start resumes it (`BackgroundJobs.resume_pending`)."""
    jobs: BackgroundJobs = request.app.state.jobs
    try:
        jobs.submit(job_id, vouchers.ISSUE_JOB)
    except RuntimeError:
        log.warning("job.left_queued", job_id=job_id)


def today(runtime: Runtime) -> date:
    return runtime.clock.now().date()


def listed_policy_region(principal: Principal, region: str | None) -> str:
    """The region whose policies are listed: the one asked for (checked), else the reader's own."""
    region_code = region or principal.region_code
    if not region_code:
        raise Invalid("请指定行政区划 / name a region")
    authorize(principal, Permission.VOUCHER_READ, Resource(region_code=region_code))
    return region_code


def readable_policy(session: Session, principal: Principal, policy_id: int) -> vouchers.VoucherPolicy:
    policy = vouchers.get_policy(session, policy_id)
    authorize(principal, Permission.VOUCHER_READ, Resource(region_code=policy.region_code))
    return policy


def readable_job(session: Session, principal: Principal, job_id: int) -> Job:
    job = get_job(session, job_id)
    if job.kind != vouchers.ISSUE_JOB or job.subject_id is None:
        raise NotFound("没有这个发放批次 / no such issuance batch")
    authorize(principal, Permission.VOUCHER_READ, Resource(region_code=job.region_code))
    return job


def readable_voucher(session: Session, principal: Principal, voucher_id: int) -> vouchers.VoucherView:
    view = vouchers.voucher_view(session, voucher_id)
    if view is None:
        raise vouchers.VoucherNotFound()
    authorize(principal, Permission.VOUCHER_READ, Resource(region_code=view.region_code))
    return view


def own_voucher(session: Session, principal: Principal, voucher_id: int) -> vouchers.VoucherView:
    """A worker's own voucher; anyone else's is 'not found' (its existence is not theirs to learn)."""
    view = vouchers.voucher_view(session, voucher_id)
    if view is None or view.person_id != principal.account_id:
        raise vouchers.VoucherNotFound()
    return view


def holder_name_masked(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return vouchers.mask_holder_name(person.name) if person is not None else "*"


@dataclass(frozen=True)
class ShownCode:
    token: str
    holder_name_masked: str
    lifetime_seconds: int
    voucher: vouchers.VoucherView


def show_code(runtime: Runtime, principal: Principal, voucher_id: int) -> ShownCode:
    """A fresh QR token for the signed-in worker's own voucher (a committing transaction: the first ever makes the
    signing key)."""
    with runtime.uow.begin() as session:
        view = own_voucher(session, principal, voucher_id)
        masked = holder_name_masked(session, view.person_id)
        voucher = vouchers.get_voucher(session, voucher_id)
        token = vouchers.mint_voucher_token(session, runtime.cipher, voucher, masked, runtime.clock.now())
    return ShownCode(token, masked, int(vouchers.TOKEN_LIFETIME.total_seconds()), view)
