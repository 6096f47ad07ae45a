"""The QR code a worker shows for a voucher: a short-lived Ed25519-signed JWT made when it is shown.

Nothing is signed per voucher at issuance. The bureau's signing keys live in `voucher_signing_keys`, the private half
encrypted with the personal-data cipher; their public halves are published (`published_jwks`) so an institution
checks a code offline with `vouchers.token_verifier`. Format, lifetime and rotation: docs/vouchers-qr.md.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jwt
from joserfc.jwk import OKPKey
from sqlalchemy import or_, select, text, update
from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.core import Actor, Conflict, Invalid, utc_now
from skillvoucher.identity import PiiCipher
from skillvoucher.vouchers.models import Voucher, VoucherSigningKey
from skillvoucher.vouchers.rules import VoucherState
from skillvoucher.vouchers.token_verifier import ALGORITHM, CLOCK_SKEW, ISSUER, TOKEN_LIFETIME, TOKEN_TYPE

SIGNING_KEY_FIELD: Final = "voucher_signing_key"  # the cipher's associated data: this blob is a signing key
# A retired key stays published this long after retirement: every code it signed has expired by then (lifetime plus
# the verifier's clock leeway), and the margin covers key sets cached by institutions' apps (max-age 5 minutes).
RETIRED_KEY_MARGIN: Final = timedelta(minutes=10)
PUBLISHED_AFTER_RETIREMENT: Final = TOKEN_LIFETIME + CLOCK_SKEW + RETIRED_KEY_MARGIN
SHOWABLE_STATES: Final = frozenset({VoucherState.ISSUED.value, VoucherState.CLAIMED.value})
CHINA: Final = timezone(timedelta(hours=8))  # a voucher's last day of use is a date in China
SYSTEM: Final = Actor.system("voucher-tokens")
OPERATOR: Final = Actor.operator("cli")


class VoucherNotShowable(Conflict):
    """Only an issued or claimed voucher, not past its last day, has a QR code."""


class HolderNameNotMasked(Invalid):
    """The name in a QR code must be masked (张*三): the code is shown to strangers and may be photographed."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: OKPKey


# --- keys ----------------------------------------------------------------------------------------------------------


def active_key(session: Session, cipher: PiiCipher, *, now: datetime | None = None) -> SigningKey:
    """The newest unretired key; the very first one is made here, once, even when several processes ask at once.

    Creating it writes a row, so call this (and `mint_voucher_token`) in a transaction that commits.
    """
    row = _newest_unretired(session)
    if row is None:
        _lock_keys(session)
        row = _newest_unretired(session)  # whoever held the lock before us may have made it
        if row is None:
            row = _new_key(session, cipher, now or utc_now())
            audit.record(
                session,
                actor=SYSTEM,
                action="voucher_signing_key.create",
                subject_type="voucher_signing_key",
                subject_id=row.kid,
            )
    return _unsealed(row, cipher)


def rotate_keys(session: Session, cipher: PiiCipher, now: datetime, *, actor: Actor = OPERATOR) -> str:
    """Make a new key and retire every other: new codes are signed with the new key from now on, and codes signed
    with a retired one still verify until they expire (the retired key stays published a while). Returns the new kid.
    """
    _lock_keys(session)
    row = _new_key(session, cipher, now)
    unretired = (VoucherSigningKey.retired_at.is_(None), VoucherSigningKey.kid != row.kid)
    retired = sorted(session.scalars(select(VoucherSigningKey.kid).where(*unretired)))  # held still by the lock
    session.execute(update(VoucherSigningKey).where(*unretired).values(retired_at=now))
    audit.record(
        session,
        actor=actor,
        action="voucher_signing_key.rotate",
        subject_type="voucher_signing_key",
        subject_id=row.kid,
        data={"retired": retired},
    )
    return row.kid


def published_jwks(session: Session, now: datetime) -> dict[str, Any]:
    """The public keys a verifier needs: the active key and those retired less than PUBLISHED_AFTER_RETIREMENT ago."""
    cutoff = now - PUBLISHED_AFTER_RETIREMENT
    rows = session.scalars(
        select(VoucherSigningKey)
        .where(or_(VoucherSigningKey.retired_at.is_(None), VoucherSigningKey.retired_at > cutoff))
        .order_by(VoucherSigningKey.created_at.desc(), VoucherSigningKey.kid)
    )
    return {"keys": [dict(row.public_jwk) for row in rows]}


def _newest_unretired(session: Session) -> VoucherSigningKey | None:
    newest = (
        select(VoucherSigningKey)
        .where(VoucherSigningKey.retired_at.is_(None))
        .order_by(VoucherSigningKey.created_at.desc(), VoucherSigningKey.kid.desc())
        .limit(1)
    )
    return session.scalars(newest).first()


def _lock_keys(session: Session) -> None:
    """Serialize the writers of the key table until the transaction ends; readers (minting) are not held up.

    SHARE ROW EXCLUSIVE conflicts with itself and with INSERT/UPDATE, so two first-key makers or two rotations
    take turns, and the second sees what the first committed. SQLite needs nothing: its write transactions begin
    IMMEDIATE, one at a time.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE voucher_signing_keys IN SHARE ROW EXCLUSIVE MODE"))


def _new_key(session: Session, cipher: PiiCipher, now: datetime) -> VoucherSigningKey:
    key = OKPKey.generate_key("Ed25519")
    kid = key.thumbprint()  # RFC 7638: derived from the public key, so unique and checkable
    private = key.as_dict(private=True)
    public = {"kty": "OKP", "crv": "Ed25519", "x": private["x"], "kid": kid, "use": "sig", "alg": ALGORITHM}
    row = VoucherSigningKey(
        kid=kid,
        private_key_encrypted=cipher.encrypt(SIGNING_KEY_FIELD, str(private["d"])),
        public_jwk=public,
        created_at=now,
        retired_at=None,
    )
    session.add(row)
    session.flush()
    return row


def _unsealed(row: VoucherSigningKey, cipher: PiiCipher) -> SigningKey:
    d = cipher.decrypt(SIGNING_KEY_FIELD, row.private_key_encrypted)
    seed = base64.urlsafe_b64decode(d + "=" * (-len(d) % 4))
    key = OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(seed))  # the public half derived, not read
    if key.thumbprint() != row.kid or key.as_dict(private=False)["x"] != row.public_jwk.get("x"):
        # a blob moved from another row, or a published public key edited: signing would make unverifiable codes
        raise ValueError(f"voucher signing key {row.kid} does not match its stored public key")
    return SigningKey(kid=row.kid, private_key=key)


# --- codes ---------------------------------------------------------------------------------------------------------


def mint_voucher_token(
    session: Session, cipher: PiiCipher, voucher: Voucher, holder_name_masked: str, now: datetime
) -> str:
    """The compact JWT for the QR code of `voucher`, valid TOKEN_LIFETIME from `now`.

    The caller has already checked that the voucher is the signed-in worker's own, and passes the holder's name
    masked (`mask_holder_name`). Call it in a committing transaction: the first call ever creates the signing key.
    """
    if voucher.state not in SHOWABLE_STATES:
        raise VoucherNotShowable(f"此培训券当前状态不能出示 / a voucher that is {voucher.state} has no QR code")
    if voucher.expires_on < now.astimezone(CHINA).date():
        raise VoucherNotShowable("此培训券已过期 / this voucher has expired")
    if "*" not in holder_name_masked or any(c.isdigit() for c in holder_name_masked):
        raise HolderNameNotMasked("二维码中的姓名须打码 / the name in a QR code must be masked, e.g. 张*三")
    key = active_key(session, cipher, now=now)
    issued = int(now.timestamp())
    claims = {
        "iss": ISSUER,
        "sub": voucher.code,
        "pol": voucher.policy_id,
        "val": voucher.value_fen,
        "exp_on": voucher.expires_on.isoformat(),
        "nm": holder_name_masked,
        "iat": issued,
        "exp": issued + int(TOKEN_LIFETIME.total_seconds()),
        "jti": secrets.token_urlsafe(12),
    }
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": TOKEN_TYPE}
    return jwt.encode(header, claims, key.private_key, algorithms=[ALGORITHM])


def mask_holder_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明: the first and (from three characters) the last are kept."""
    name = name.strip()
    if len(name) <= 2:
        return name[:1] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
