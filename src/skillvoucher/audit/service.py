"""Writing and verifying the audit chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.audit.chain import GENESIS, canonical_data, event_hash
from skillvoucher.audit.models import AuditEvent, AuditHead
from skillvoucher.core import Actor, utc_now
from skillvoucher.db.engine import insert_ignoring_conflicts


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    subject_type: str,
    subject_id: str | int,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction. Callers must never pass clear-text ID or phone numbers."""
    head = _locked_head(session)
    event = AuditEvent(
        seq=head.seq + 1,
        occurred_at=utc_now(),
        actor=actor.label,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        data=canonical_data(data or {}),
        prev_hash=head.hash,
    )
    event.hash = _hash_of(event)
    session.add(event)
    head.seq, head.hash = event.seq, event.hash
    session.flush()
    return event


def _locked_head(session: Session) -> AuditHead:
    """The chain's tip, locked until the transaction ends; created once (concurrent first writers both survive)."""
    locked = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.execute(locked).scalar_one_or_none()
    if head is None:
        insert_ignoring_conflicts(session, AuditHead.__table__, [{"id": 1, "seq": 0, "hash": GENESIS}])
        head = session.execute(locked).scalar_one()
    return head


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(session: Session, *, batch_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Recompute every hash in order. Returns (events checked, first break or None)."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for event in _events_in_order(session, batch_size):
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.seq, "previous-hash link does not match the event before it")
        if _hash_of(event) != event.hash:
            return checked, ChainBreak(event.seq, "content does not match its hash (the event was edited)")
        expected_prev, expected_seq, checked = event.hash, event.seq + 1, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, expected_prev):
        return checked, ChainBreak(head.seq, "the chain's tip does not match the last event (events removed)")
    return checked, None


def _events_in_order(session: Session, batch_size: int) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch_size)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
        session.expunge_all()


def _hash_of(event: AuditEvent) -> str:
    return event_hash(
        prev_hash=event.prev_hash,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        data_json=event.data,
    )
