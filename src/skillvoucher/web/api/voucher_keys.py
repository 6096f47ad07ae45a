"""GET /.well-known/skillvoucher/voucher-keys.json: the public keys that voucher QR codes are signed with.

Institutions' apps fetch it to check codes offline (docs/vouchers-qr.md). It may be cached a few minutes; a code
signed by a key not yet seen means: fetch again.
"""

from __future__ import annotations

from typing import Final, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from skillvoucher import vouchers
from skillvoucher.web.auth import machine_public
from skillvoucher.web.deps import ReadSession, get_runtime

VOUCHER_KEYS_PATH: Final = "/.well-known/skillvoucher/voucher-keys.json"
CACHE_CONTROL: Final = "public, max-age=300"  # well inside the time a retired key stays published

# For other systems: nothing here reads the session cookie, so there is nothing to forge.
router = APIRouter(tags=["vouchers"], dependencies=[Depends(machine_public)])


class PublicKey(BaseModel):
    kty: Literal["OKP"]
    crv: Literal["Ed25519"]
    x: str
    kid: str
    use: Literal["sig"]
    alg: Literal["Ed25519"]


class KeySet(BaseModel):
    keys: list[PublicKey]


@router.get(VOUCHER_KEYS_PATH, name="voucher_keys")
def voucher_keys(request: Request, response: Response, session: ReadSession) -> KeySet:
    """The active signing key and the keys retired too recently for their codes to have expired (a JWK set)."""
    jwks = vouchers.published_jwks(session, get_runtime(request).clock.now())
    response.headers["Cache-Control"] = CACHE_CONTROL
    return KeySet.model_validate(jwks)
