"""The emulator's signing key and the ID tokens it signs.

The key is derived from SKILLVOUCHER_SESSION_SECRET with HKDF, so every process of a deployment (and the site that
verifies in-process) agrees on it without a key file. Tokens are JWTs signed with Ed25519 ("alg": "Ed25519", the
fully-specified name of RFC 9864; the older "EdDSA" is deprecated).
"""

from __future__ import annotations

import base64
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwt
from joserfc.jwk import KeySet, OKPKey

from skillvoucher.essc.claims import ID_NUMBER_CLAIM, NAME_CLAIM, REGION_CLAIM

ALGORITHM: Final = "Ed25519"
ID_TOKEN_LIFETIME: Final = timedelta(minutes=5)
SIGNING_KEY_INFO: Final = b"skillvoucher essc emulator signing key v1"
SUBJECT_KEY_INFO: Final = b"skillvoucher essc emulator pairwise subject v1"


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=info).derive(secret)


@dataclass(frozen=True)
class EmulatorKeys:
    signing_key: OKPKey
    subject_key: bytes

    @property
    def key_id(self) -> str:
        return self.signing_key.thumbprint()

    def public_jwks(self) -> dict[str, Any]:
        public = self.signing_key.as_dict(private=False)
        return {"keys": [{**public, "kid": self.key_id, "use": "sig", "alg": ALGORITHM}]}

    def public_key_set(self) -> KeySet:
        return KeySet.import_key_set(self.public_jwks())  # type: ignore[arg-type]  # joserfc's TypedDict is narrow

    def pairwise_subject(self, client_id: str, id_number: str) -> str:
        """OIDC `sub`: stable for one person at one site, different at each site, and not the ID number."""
        digest = hmac.digest(self.subject_key, f"{client_id}\x00{id_number}".encode(), "sha256")
        return base64.urlsafe_b64encode(digest[:24]).decode()

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": ALGORITHM, "kid": self.key_id, "typ": "JWT"}
        return jwt.encode(header, claims, self.signing_key, algorithms=[ALGORITHM])


@cache
def emulator_keys(session_secret: bytes) -> EmulatorKeys:
    seed = _derive(session_secret, SIGNING_KEY_INFO)
    signing_key = OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(seed))
    return EmulatorKeys(signing_key=signing_key, subject_key=_derive(session_secret, SUBJECT_KEY_INFO))


@dataclass(frozen=True)
class CardHolder:
    """Who confirmed on the phone. `id_number` is clear text: in memory only."""

    id_number: str
    name: str
    region_code: str  # the card's issuing region


def id_token_claims(
    *,
    keys: EmulatorKeys,
    issuer: str,
    client_id: str,
    holder: CardHolder,
    method: str,
    auth_time: datetime,
    now: datetime,
    nonce: str | None = None,
) -> dict[str, Any]:
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": client_id,
        "sub": keys.pairwise_subject(client_id, holder.id_number),
        ID_NUMBER_CLAIM: holder.id_number,
        NAME_CLAIM: holder.name,
        REGION_CLAIM: holder.region_code,
        "iat": issued,
        "exp": issued + int(ID_TOKEN_LIFETIME.total_seconds()),
        "auth_time": int(auth_time.timestamp()),
        "amr": [method],
        "jti": secrets.token_urlsafe(24),
    }
    if nonce:
        claims["nonce"] = nonce
    return claims
