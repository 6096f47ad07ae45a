"""A voucher after issuance: the worker takes it up (领用), it lapses, or an officer revokes it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from skillvoucher.core import Conflict, Invalid, utc_now
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.jobs import Job
from skillvoucher.vouchers.access import authorize, record
from skillvoucher.vouchers.errors import VoucherNotFound, VoucherStateRefused
from skillvoucher.vouchers.models import LIVE_STATES, Voucher, VoucherPolicy
from skillvoucher.vouchers.policies import get_policy, rules_of
from skillvoucher.vouchers.tally import count_voucher, count_vouchers_by_id

EXPIRY_CHUNK = 10_000


def get_voucher(session: Session, voucher_id: int, *, lock: bool = False) -> Voucher:
    voucher = session.get(Voucher, voucher_id, with_for_update=lock, populate_existing=lock)
    if voucher is None:
        raise VoucherNotFound()
    return voucher


def voucher_by_code(session: Session, code: str) -> Voucher:
    voucher = session.scalar(select(Voucher).where(Voucher.code == code.strip().lower().replace("-", "")))
    if voucher is None:
        raise VoucherNotFound()
    return voucher


def take_up(session: Session, *, voucher_id: int, today: date, by: Principal | None) -> Voucher:
    """The holder takes up an issued voucher; a validity counted from the claim starts today."""
    voucher = get_voucher(session, voucher_id, lock=True)
    authorize(by, Permission.WORKER_SELF, Resource(person_id=voucher.person_id))
    if voucher.state != "issued":
        raise VoucherStateRefused(voucher.state, "领用 / claimed")
    if voucher.expires_on < today:
        raise VoucherStateRefused("expired", "领用 / claimed")
    policy = get_policy(session, voucher.policy_id)
    validity = rules_of(policy).validity
    voucher.state, voucher.claimed_at = "claimed", utc_now()
    count_voucher(session, voucher, voucher.claimed_at, claimed=1)
    voucher.expires_on = validity.expires_on(claimed_on=today, closes_on=policy.closes_on)
    record(session, by, "voucher.claimed", "voucher", voucher.id, {"policy_id": policy.id, "on_demand": False})
    return voucher


def expire_lapsed(session: Session, *, today: date, limit: int = EXPIRY_CHUNK) -> int:
    """Expire up to `limit` vouchers whose last day has passed; returns how many. Run until it returns 0.

    Only issued and claimed vouchers lapse (a reserved one is held by an enrolment). Idempotent: a voucher already
    expired is not touched again, so a run cut short is simply run again.
    """
    lapsed = (
        select(Voucher.id)
        .where(Voucher.state.in_(LIVE_STATES), Voucher.expires_on < today)
        .order_by(Voucher.expires_on, Voucher.id)
        .limit(limit)
    )
    ids = list(session.scalars(lapsed))
    if not ids:
        return 0
    now = utc_now()
    expired = session.scalars(
        update(Voucher)
        .where(Voucher.id.in_(ids), Voucher.state.in_(LIVE_STATES))
        .values(state="expired", ended_at=now)
        .returning(Voucher.id),
        execution_options={"synchronize_session": False},
    ).all()
    count_vouchers_by_id(session, expired, now, "expired")
    data = {"count": len(ids), "first_id": ids[0], "last_id": ids[-1], "before": today.isoformat()}
    record(session, None, "vouchers.expired", "voucher", ids[0], data)
    return len(ids)


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise Invalid("请填写原因 / give a reason")
    return text[:500]


def revoke_voucher(session: Session, *, voucher_id: int, reason: str, by: Principal | None) -> Voucher:
    voucher = get_voucher(session, voucher_id, lock=True)
    policy = get_policy(session, voucher.policy_id)
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=policy.region_code))
    text = _reason(reason)
    if voucher.state not in LIVE_STATES:
        raise VoucherStateRefused(voucher.state, "作废 / revoked")
    voucher.state, voucher.reason, voucher.ended_at = "revoked", text, utc_now()
    count_voucher(session, voucher, voucher.ended_at, revoked=1)
    record(session, by, "voucher.revoked", "voucher", voucher.id, {"reason": text})
    return voucher


def revoke_batch(session: Session, *, job_id: int, reason: str, by: Principal | None) -> int:
    """Revoke every voucher a batch issued that is still issued or claimed; returns how many."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is None or job.subject_id is None:
        raise Invalid("没有这个发放批次 / no such issuance batch")
    policy = session.get(VoucherPolicy, job.subject_id)
    if policy is None:
        raise Invalid("没有这个发放批次 / no such issuance batch")
    authorize(by, Permission.VOUCHER_MANAGE, Resource(region_code=policy.region_code))
    text = _reason(reason)
    if job.state not in ("finished", "failed"):
        raise Conflict("批次仍在运行 / the batch is still running")
    now = utc_now()
    revoked_ids = session.scalars(
        update(Voucher)
        .where(Voucher.policy_id == policy.id, Voucher.job_id == job.id, Voucher.state.in_(LIVE_STATES))
        .values(state="revoked", reason=text, ended_at=now)
        .returning(Voucher.id),
        execution_options={"synchronize_session": False},
    ).all()
    count_vouchers_by_id(session, revoked_ids, now, "revoked")
    revoked = len(revoked_ids)
    job.result = {**job.result, "revoked": int(job.result.get("revoked", 0)) + revoked}
    record(
        session,
        by,
        "vouchers.batch_revoked",
        "voucher_policy",
        policy.id,
        {"job_id": job.id, "count": revoked, "reason": text},
    )
    return revoked
