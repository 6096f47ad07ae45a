"""What the voucher pages and API read: policies, a worker's vouchers and offers, a voucher's history, jobs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillvoucher.audit import AuditEvent
from skillvoucher.identity import Person, region_prefix
from skillvoucher.jobs import Job
from skillvoucher.vouchers.errors import NoSubsidyStandard
from skillvoucher.vouchers.issuance import ISSUE_JOB, batch_progress, facts_of
from skillvoucher.vouchers.models import Voucher, VoucherPolicy
from skillvoucher.vouchers.policies import issue_value_fen, rules_of
from skillvoucher.vouchers.rules import PolicyKind


@dataclass(frozen=True)
class PolicyLine:
    id: int
    name: str
    kind: str
    region_code: str
    state: str
    opens_on: date
    closes_on: date
    claimable: bool
    issued_count: int
    quantity_cap: int | None
    committed_fen: int
    budget_cap_fen: int | None


def _line(p: VoucherPolicy) -> PolicyLine:
    return PolicyLine(
        p.id,
        p.name,
        p.kind,
        p.region_code,
        p.state,
        p.opens_on,
        p.closes_on,
        p.claimable,
        p.issued_count,
        p.quantity_cap,
        p.committed_fen,
        p.budget_cap_fen,
    )


def region_policies(session: Session, *, region_code: str, limit: int = 200) -> list[PolicyLine]:
    """The policies of a region and its sub-regions, newest first."""
    rows = session.scalars(
        select(VoucherPolicy)
        .where(VoucherPolicy.region_code.startswith(region_prefix(region_code)))
        .order_by(VoucherPolicy.id.desc())
        .limit(limit)
    )
    return [_line(p) for p in rows]


@dataclass(frozen=True)
class Offer:
    """A policy a worker may claim a voucher from today."""

    policy_id: int
    name: str
    kind: str
    value_fen: int | None
    closes_on: date
    valid_until: date | None
    valid_days: int | None


def claimable_offers(session: Session, *, person_id: int, today: date) -> list[Offer]:
    person = session.get(Person, person_id)
    if person is None:
        return []
    covering = {person.region_code[:2] + "0000", person.region_code[:4] + "00", person.region_code}
    held = select(Voucher.policy_id).where(Voucher.person_id == person_id)
    policies = session.scalars(
        select(VoucherPolicy)
        .where(
            VoucherPolicy.region_code.in_(covering),
            VoucherPolicy.state == "open",
            VoucherPolicy.claimable.is_(True),
            VoucherPolicy.kind != PolicyKind.TARGETED.value,
            VoucherPolicy.opens_on <= today,
            VoucherPolicy.closes_on >= today,
            VoucherPolicy.id.not_in(held),
        )
        .order_by(VoucherPolicy.closes_on)
    )
    facts = facts_of(person)
    offers = []
    for policy in policies:
        if not rules_of(policy).eligibility.admits(facts, today):
            continue
        try:
            value = issue_value_fen(session, policy, today)
        except NoSubsidyStandard:  # the catalogue no longer prices it: a claim would be refused, so do not offer
            continue
        offers.append(
            Offer(policy.id, policy.name, policy.kind, value, policy.closes_on, policy.valid_until, policy.valid_days)
        )
    return offers


@dataclass(frozen=True)
class VoucherView:
    id: int
    code: str
    state: str
    value_fen: int | None
    expires_on: date
    issued_at: datetime
    claimed_at: datetime | None
    ended_at: datetime | None
    reason: str | None
    person_id: int
    policy_id: int
    policy_name: str
    kind: str
    region_code: str
    job_id: int | None


def _view(voucher: Voucher, policy: VoucherPolicy) -> VoucherView:
    return VoucherView(
        voucher.id,
        voucher.code,
        voucher.state,
        voucher.value_fen,
        voucher.expires_on,
        voucher.issued_at,
        voucher.claimed_at,
        voucher.ended_at,
        voucher.reason,
        voucher.person_id,
        policy.id,
        policy.name,
        policy.kind,
        policy.region_code,
        voucher.job_id,
    )


def person_vouchers(session: Session, *, person_id: int) -> list[VoucherView]:
    rows = session.execute(
        select(Voucher, VoucherPolicy)
        .join(VoucherPolicy, VoucherPolicy.id == Voucher.policy_id)
        .where(Voucher.person_id == person_id)
        .order_by(Voucher.id.desc())
    )
    return [_view(v, p) for v, p in rows]


def voucher_view(session: Session, voucher_id: int) -> VoucherView | None:
    row = session.execute(
        select(Voucher, VoucherPolicy)
        .join(VoucherPolicy, VoucherPolicy.id == Voucher.policy_id)
        .where(Voucher.id == voucher_id)
    ).first()
    return _view(*row) if row else None


@dataclass(frozen=True)
class VoucherEvent:
    at: datetime
    action: str
    actor: str
    detail: str


def voucher_history(session: Session, voucher: VoucherView) -> list[VoucherEvent]:
    """Issued, claimed, revoked, expired: from the voucher's own audit events and those of its batch or chunk."""
    events = [VoucherEvent(voucher.issued_at, "voucher.issued", "", f"job {voucher.job_id}" if voucher.job_id else "")]
    own = session.execute(
        select(AuditEvent.occurred_at, AuditEvent.action, AuditEvent.actor, AuditEvent.data)
        .where(AuditEvent.subject_type == "voucher", AuditEvent.subject_id == str(voucher.id))
        .order_by(AuditEvent.seq)
    )
    events += [
        VoucherEvent(at, action, actor, str(json.loads(data).get("reason", ""))) for at, action, actor, data in own
    ]
    if voucher.state in ("expired", "revoked") and not any(e.action == f"voucher.{voucher.state}" for e in events):
        # Expired in a chunk or revoked with its batch: one audit event covered many vouchers.
        when = voucher.ended_at or voucher.issued_at
        events.append(VoucherEvent(when, f"voucher.{voucher.state}", "", voucher.reason or ""))
    return sorted(events, key=lambda e: e.at)


@dataclass(frozen=True)
class JobLine:
    id: int
    state: str
    issued: int
    progress: float
    error: str | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    revoked: int


def job_line(job: Job) -> JobLine:
    return JobLine(
        job.id,
        job.state,
        int(job.result.get("issued", job.done)),
        batch_progress(job),
        job.error,
        job.created_by,
        job.created_at,
        job.finished_at,
        int(job.result.get("revoked", 0)),
    )


def policy_jobs(session: Session, *, policy_id: int) -> list[JobLine]:
    jobs = session.scalars(
        select(Job).where(Job.kind == ISSUE_JOB, Job.subject_id == policy_id).order_by(Job.id.desc())
    )
    return [job_line(j) for j in jobs]


def count_policy_vouchers(session: Session, *, policy_id: int) -> dict[str, int]:
    """Vouchers of a policy by state (reads the policy's slice of the unique index)."""
    rows = session.execute(
        select(Voucher.state, func.count()).where(Voucher.policy_id == policy_id).group_by(Voucher.state)
    )
    return {state: int(n) for state, n in rows}
