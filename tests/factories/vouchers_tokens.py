"""A voucher row to show as a QR code: a minimal policy and voucher inserted directly (for the token tests)."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy.orm import Session

from skillvoucher.core import Actor, utc_now
from skillvoucher.identity import PiiCipher, register_person
from skillvoucher.vouchers import Voucher, VoucherPolicy
from tests.factories.identity import make_record


def policy_row(session: Session, *, kind: str = "face_value", region_code: str = "350203") -> VoucherPolicy:
    policy = VoucherPolicy(
        name="测试培训券政策",
        kind=kind,
        region_code=region_code,
        funding_source="就业补助资金",
        eligibility={},
        usage={"occupations": []},
        value_rule={"fixed_fen": 150_000} if kind == "face_value" else {"catalogue": True},
        opens_on=date(2024, 1, 1),
        closes_on=date(2030, 12, 31),
        valid_until=date(2030, 12, 31),
        valid_days=None,
        state="open",
        created_by="staff:1",
        created_at=utc_now(),
    )
    session.add(policy)
    session.flush()
    return policy


def voucher_row(
    session: Session,
    cipher: PiiCipher,
    *,
    state: str = "issued",
    kind: str = "face_value",
    expires_on: date = date(2030, 12, 31),
    issued_at: datetime | None = None,
) -> Voucher:
    """A voucher of a new policy for a new person (named 张小三)."""
    policy = policy_row(session, kind=kind)
    record = make_record(name="张小三", region_code="350203")
    person = register_person(session, record=record, cipher=cipher, actor=Actor.system("test"))
    voucher = Voucher(
        code=secrets.token_hex(16),
        policy_id=policy.id,
        person_id=person.id,
        state=state,
        value_fen=150_000 if kind == "face_value" else None,
        expires_on=expires_on,
        issued_year=2024,
        issued_at=issued_at or utc_now(),
    )
    session.add(voucher)
    session.flush()
    return voucher
