"""Checking a voucher QR code offline, from the bureau's published keys only (docs/vouchers-qr.md).

This module is what an institution's app runs: it needs nothing but the Python standard library and `joserfc`, no
database and no network, so it may be copied as it is. Fetch the key set from
`/.well-known/skillvoucher/voucher-keys.json` now and then (it may be cached; on an unknown key id, fetch it again
once), then call `verify_voucher_token(token, jwks, now)`.

Every refusal is a `VoucherCodeRejected` whose `code` names the reason and whose `message` may be shown.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import OKPKey

ISSUER: Final = "skillvoucher"
ALGORITHM: Final = "Ed25519"  # RFC 9864's fully-specified name; "EdDSA" is refused
# Explicit typing (RFC 8725 §3.11): no other JWT of ours passes as a voucher code.
TOKEN_TYPE: Final = "voucher+jwt"  # noqa: S105 -- a media type, not a secret
TOKEN_LIFETIME: Final = timedelta(minutes=2)
CLOCK_SKEW: Final = timedelta(seconds=30)  # how far the showing phone's and the checking device's clocks may differ
MAX_TOKEN_LENGTH: Final = 2048  # a QR code's worth; longer input is refused before any parsing


class VoucherCodeRejected(Exception):
    """The QR code is not a valid, current voucher code of the bureau. `message` is safe to show."""

    kind = "invalid"
    code = "VoucherCodeRejected"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedVoucherCode(VoucherCodeRejected):
    code = "MalformedVoucherCode"


class WrongVoucherCodeAlgorithm(VoucherCodeRejected):
    code = "WrongVoucherCodeAlgorithm"


class UnknownVoucherSigningKey(VoucherCodeRejected):
    """Signed by a key not in the set: fetch the key set again once; if still unknown, refuse the code."""

    code = "UnknownVoucherSigningKey"


class BadVoucherCodeSignature(VoucherCodeRejected):
    code = "BadVoucherCodeSignature"


class WrongVoucherCodeIssuer(VoucherCodeRejected):
    code = "WrongVoucherCodeIssuer"


class VoucherCodeExpired(VoucherCodeRejected):
    code = "VoucherCodeExpired"


@dataclass(frozen=True)
class VerifiedVoucherCode:
    """What a valid QR code says: which voucher, under which policy, worth what, and whose (masked name)."""

    voucher_code: str
    policy_id: int
    value_fen: int | None  # None: a general voucher, worth the chosen course's subsidy standard
    voucher_expires_on: date  # the voucher's last day of use
    holder_name_masked: str  # e.g. 张*三: compare with the person in front of you
    issued_at: datetime
    expires_at: datetime  # of this QR code, not of the voucher
    token_id: str
    key_id: str


def verify_voucher_token(
    token: str, jwks: Mapping[str, Any], now: datetime, *, leeway: timedelta = CLOCK_SKEW
) -> VerifiedVoucherCode:
    """Check the signature against the published key set, then the issuer, the type and the time (`now`, aware)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise MalformedVoucherCode("不是培训券二维码 / this is not a voucher QR code")
    header = _header(token)
    if header.get("alg") != ALGORITHM:
        raise WrongVoucherCodeAlgorithm("二维码签名算法不对 / the code is not signed with Ed25519")
    if header.get("typ") != TOKEN_TYPE:
        raise MalformedVoucherCode("不是培训券二维码 / this is not a voucher QR code")
    kid = header.get("kid")
    key = _key_for(jwks, kid) if isinstance(kid, str) else None
    if key is None:
        raise UnknownVoucherSigningKey("签名密钥未知，请更新公钥 / unknown signing key: fetch the bureau's keys again")
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM]).claims
    except BadSignatureError as error:
        raise BadVoucherCodeSignature("二维码签名无效 / the code's signature is not valid") from error
    except JoseError as error:
        raise MalformedVoucherCode("不是培训券二维码 / this is not a voucher QR code") from error
    if claims.get("iss") != ISSUER:
        raise WrongVoucherCodeIssuer("二维码不是本系统签发的 / the code was not issued by the bureau")
    verified = _typed(claims, str(kid))
    if now >= verified.expires_at + leeway:
        raise VoucherCodeExpired("二维码已过期，请刷新 / the code has expired: ask the worker to refresh it")
    if verified.issued_at > now + leeway:
        raise MalformedVoucherCode("二维码时间不对，请检查设备时钟 / the code is from the future: check the clock")
    return verified


def _header(token: str) -> dict[str, Any]:
    first, dot, _ = token.partition(".")
    if not dot:
        raise MalformedVoucherCode("不是培训券二维码 / this is not a voucher QR code")
    try:
        header = json.loads(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    except ValueError as error:  # bad base64, bad UTF-8 and bad JSON are all ValueErrors
        raise MalformedVoucherCode("不是培训券二维码 / this is not a voucher QR code") from error
    if not isinstance(header, dict):
        raise MalformedVoucherCode("不是培训券二维码 / this is not a voucher QR code")
    return header


def _key_for(jwks: Mapping[str, Any], kid: str) -> OKPKey | None:
    """The Ed25519 public key with this id, ignoring any other kind of key the set may hold."""
    for entry in jwks.get("keys", ()):
        if not isinstance(entry, Mapping) or entry.get("kid") != kid:
            continue
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519" or entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        public = {name: entry[name] for name in ("kty", "crv", "x") if name in entry}
        try:
            return OKPKey.import_key(public)
        except (JoseError, ValueError):
            return None
    return None


def _typed(claims: Mapping[str, Any], kid: str) -> VerifiedVoucherCode:
    try:
        sub, pol, val, exp_on, nm = (claims[name] for name in ("sub", "pol", "val", "exp_on", "nm"))
        iat, exp, jti = claims["iat"], claims["exp"], claims["jti"]
        if not (isinstance(sub, str) and isinstance(nm, str) and isinstance(jti, str) and isinstance(exp_on, str)):
            raise TypeError
        if not all(_is_int(n) for n in (pol, iat, exp)) or not (val is None or _is_int(val)):
            raise TypeError
        return VerifiedVoucherCode(
            voucher_code=sub,
            policy_id=pol,
            value_fen=val,
            voucher_expires_on=date.fromisoformat(exp_on),
            holder_name_masked=nm,
            issued_at=datetime.fromtimestamp(iat, UTC),
            expires_at=datetime.fromtimestamp(exp, UTC),
            token_id=jti,
            key_id=kid,
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:
        raise MalformedVoucherCode("二维码内容不完整 / the code's contents are incomplete") from error


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
