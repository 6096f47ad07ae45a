"""The emulated platform's actions: device authorization (RFC 8628 §3.1–3.2), the holder's answer on the phone,
and the token endpoint (§3.4–3.5) that hands over a signed ID token once.

Callers own the transaction. The emulator stands in for an external platform, so it writes no events into the
product's audit chain; the site's own sign-in action records what the site did with the identity.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skillvoucher.essc.emulator import rules
from skillvoucher.essc.emulator.errors import (
    DeviceAuthorizationRefused,
    DeviceRequestClosed,
    UserCodeNotFound,
    WrongPin,
)
from skillvoucher.essc.emulator.holders import DEMO_PIN
from skillvoucher.essc.emulator.models import DeviceRequest
from skillvoucher.essc.emulator.signing import ID_TOKEN_LIFETIME, CardHolder, EmulatorKeys, id_token_claims
from skillvoucher.identity import PiiCipher

_CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
KEEP_FINISHED: Final = timedelta(days=1)  # expired requests are deleted this long after they expire
Method = Literal["pin", "face"]


@dataclass(frozen=True)
class DeviceGrant:
    device_code: str  # secret; only its hash is stored
    user_code: str
    expires_in: int
    interval: int


@dataclass(frozen=True)
class IssuedToken:
    id_token: str
    access_token: str  # opaque and unused (there is no userinfo endpoint), but OAuth 2.0 requires one
    expires_in: int


@dataclass(frozen=True)
class TokenRefusal:
    error: str  # RFC 8628 §3.5 / RFC 6749 §5.2 code
    description: str


def hash_device_code(device_code: str) -> bytes:
    return hashlib.sha256(device_code.encode()).digest()


def authorize_device(
    session: Session, *, client_id: str, scope: str | None, nonce: str | None, now: datetime
) -> DeviceGrant:
    if not _CLIENT_ID.fullmatch(client_id):
        raise DeviceAuthorizationRefused("client_id is missing or not well formed", error="invalid_client")
    scope = " ".join((scope or "openid").split())
    if "openid" not in scope.split() or len(scope) > 200:
        raise DeviceAuthorizationRefused("scope must include openid", error="invalid_scope")
    if nonce is not None and not 0 < len(nonce) <= 200:
        raise DeviceAuthorizationRefused("nonce is too long")
    session.execute(delete(DeviceRequest).where(DeviceRequest.expires_at < now - KEEP_FINISHED))
    device_code = secrets.token_urlsafe(32)
    request = DeviceRequest(
        device_code_hash=hash_device_code(device_code),
        client_id=client_id,
        scope=scope,
        nonce=nonce,
        status="pending",
        created_at=now,
        expires_at=now + timedelta(seconds=rules.EXPIRES_IN),
        interval=rules.INTERVAL,
    )
    for _attempt in range(5):  # 20^8 user codes: a clash is rare; the unique constraint decides
        request.user_code = rules.new_user_code()
        try:
            with session.begin_nested():
                session.add(request)
        except IntegrityError:
            if request in session:
                session.expunge(request)
            continue
        return DeviceGrant(device_code, request.user_code, rules.EXPIRES_IN, rules.INTERVAL)
    raise RuntimeError("no free user code after 5 attempts")


def open_request(session: Session, *, user_code: str, now: datetime, lock: bool = False) -> DeviceRequest:
    """The pending request a holder is looking at on the phone; refused if unknown, answered or expired."""
    normalized = rules.normalize_user_code(user_code)
    if normalized is None:
        raise UserCodeNotFound()
    query = select(DeviceRequest).where(DeviceRequest.user_code == normalized)
    request = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if request is None:
        raise UserCodeNotFound()
    if request.status != "pending":
        raise DeviceRequestClosed(expired=False)
    if rules.is_expired(request.expires_at, now):
        raise DeviceRequestClosed(expired=True)
    return request


@dataclass(frozen=True)
class PendingRequest:
    """What the phone page shows of an open request."""

    user_code: str
    client_id: str
    expires_at: datetime


def pending_request(session: Session, *, user_code: str, now: datetime) -> PendingRequest:
    request = open_request(session, user_code=user_code, now=now)
    return PendingRequest(user_code=request.user_code, client_id=request.client_id, expires_at=request.expires_at)


def approve(
    session: Session,
    *,
    user_code: str,
    holder: CardHolder,
    method: Method,
    pin: str | None,
    cipher: PiiCipher,
    now: datetime,
) -> DeviceRequest:
    """The holder confirmed on the phone, with the PIN or a (simulated) face check."""
    request = open_request(session, user_code=user_code, now=now, lock=True)
    if method == "pin" and not hmac.compare_digest((pin or "").encode(), DEMO_PIN.encode()):
        raise WrongPin()
    request.status = "approved"
    request.holder_id_number_encrypted = cipher.encrypt("id_number", holder.id_number)
    request.holder_name = holder.name
    request.holder_region_code = holder.region_code
    request.method = method
    request.approved_at = now
    session.flush()
    return request


def deny(session: Session, *, user_code: str, now: datetime) -> DeviceRequest:
    request = open_request(session, user_code=user_code, now=now, lock=True)
    request.status = "denied"
    request.denied_at = now
    session.flush()
    return request


def exchange_device_code(
    session: Session,
    *,
    device_code: str,
    client_id: str,
    issuer: str,
    keys: EmulatorKeys,
    cipher: PiiCipher,
    now: datetime,
) -> IssuedToken | TokenRefusal:
    """One poll of the token endpoint. Returns, never raises, a refusal: the poll's bookkeeping (last poll time, a
    slowed-down interval) must be committed with it."""
    query = select(DeviceRequest).where(DeviceRequest.device_code_hash == hash_device_code(device_code))
    request = session.scalars(query.with_for_update()).one_or_none()
    if request is None or not hmac.compare_digest(request.client_id, client_id):
        return TokenRefusal("invalid_grant", "the device code is unknown or was issued to another client")
    outcome = rules.poll_outcome(
        status=request.status,  # type: ignore[arg-type]  # the column's check constraint holds the four values
        expires_at=request.expires_at,
        last_polled_at=request.last_polled_at,
        interval=request.interval,
        now=now,
    )
    request.last_polled_at = now
    if outcome == "slow_down":
        request.interval = rules.slowed_interval(request.interval)
    if outcome != "issue":
        session.flush()
        return TokenRefusal(outcome, _DESCRIPTIONS[outcome])
    request.status, request.consumed_at = "consumed", now
    session.flush()
    return _token_for(request, issuer=issuer, keys=keys, cipher=cipher, now=now)


def _token_for(
    request: DeviceRequest, *, issuer: str, keys: EmulatorKeys, cipher: PiiCipher, now: datetime
) -> IssuedToken:
    assert request.holder_id_number_encrypted is not None  # the approved_has_holder check constraint
    assert request.approved_at is not None
    holder = CardHolder(
        id_number=cipher.decrypt("id_number", request.holder_id_number_encrypted),
        name=request.holder_name or "",
        region_code=request.holder_region_code or "",
    )
    claims = id_token_claims(
        keys=keys,
        issuer=issuer,
        client_id=request.client_id,
        holder=holder,
        method=request.method or "pin",
        auth_time=request.approved_at,
        now=now,
        nonce=request.nonce,
    )
    lifetime = int(ID_TOKEN_LIFETIME.total_seconds())
    return IssuedToken(id_token=keys.sign(claims), access_token=secrets.token_urlsafe(32), expires_in=lifetime)


_DESCRIPTIONS: Final = {
    "authorization_pending": "the card holder has not confirmed yet",
    "slow_down": "polling too fast; wait the interval plus 5 seconds",
    "access_denied": "the card holder declined",
    "expired_token": "the device code has expired; start again",
    "invalid_grant": "the device code was already used",
}
