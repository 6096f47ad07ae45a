from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from skillvoucher.audit import AuditEvent, record, verify_chain
from skillvoucher.core import Actor


def _three_events(session: Session) -> None:
    for number in range(3):
        record(
            session,
            actor=Actor.system("test"),
            action="thing.done",
            subject_type="thing",
            subject_id=number,
            data={"n": number, "名称": "测试"},
        )


def test_intact_chain_verifies(session: Session) -> None:
    _three_events(session)
    checked, broken = verify_chain(session)
    assert broken is None
    assert checked >= 3


def test_edited_event_is_found(session: Session) -> None:
    _three_events(session)
    last = max(e.seq for e in session.query(AuditEvent).all())
    session.execute(update(AuditEvent).where(AuditEvent.seq == last - 1).values(data='{"n":99}'))
    session.expire_all()
    _, broken = verify_chain(session)
    assert broken is not None
    assert broken.seq == last - 1
    assert "edited" in broken.reason


def test_removed_last_event_is_found(session: Session) -> None:
    _three_events(session)
    last = max(e.seq for e in session.query(AuditEvent).all())
    session.query(AuditEvent).filter(AuditEvent.seq == last).delete()
    session.expire_all()
    _, broken = verify_chain(session)
    assert broken is not None
    assert "removed" in broken.reason
