"""Test data for the e-SSC adapters: ID token claims, signed with the emulator's key or any other."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from joserfc import jwt
from joserfc.jwk import OKPKey

from skillvoucher.essc.emulator import ALGORITHM, IN_PROCESS_ISSUER, CardHolder, EmulatorKeys, emulator_keys
from skillvoucher.essc.emulator.signing import id_token_claims
from tests.factories.identity import make_id_number

CLIENT_ID = "skillvoucher"


def fixed_keys() -> EmulatorKeys:
    """The emulator's keys for a fixed secret."""
    return emulator_keys(b"k" * 32)


def holder(**overrides: str) -> CardHolder:
    values = {"id_number": make_id_number(), "name": "王芳", "region_code": "110105", **overrides}
    return CardHolder(**values)


def claims(
    keys: EmulatorKeys,
    *,
    now: datetime,
    issuer: str = IN_PROCESS_ISSUER,
    client_id: str = CLIENT_ID,
    card_holder: CardHolder | None = None,
    method: str = "pin",
    **overrides: Any,
) -> dict[str, Any]:
    """Claims as the emulator would sign them, with any claim replaced (or removed, with the value None)."""
    values = id_token_claims(
        keys=keys,
        issuer=issuer,
        client_id=client_id,
        holder=card_holder or holder(),
        method=method,
        auth_time=now - timedelta(seconds=5),
        now=now,
    )
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def signed_by_stranger(values: dict[str, Any], *, kid: str) -> str:
    """Signed with a key that is not the emulator's, under the emulator's key id."""
    stranger = OKPKey.generate_key("Ed25519")
    return jwt.encode({"alg": ALGORITHM, "kid": kid}, values, stranger, algorithms=[ALGORITHM])


def random_jti() -> str:
    return secrets.token_urlsafe(24)
