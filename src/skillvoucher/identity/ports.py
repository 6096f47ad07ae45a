"""The identity-provider port: how the system learns, with the national e-SSC platform's assurance, who a worker is.

The flow is an OAuth 2.0 device authorization grant (RFC 8628) ending in a signed OpenID Connect ID token: the site
shows a QR code of the verification URI, the worker confirms on their phone with a PIN or a face check, the site
polls until the token arrives, then verifies it. Adapters: the built-in emulator and a generic OIDC provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from skillvoucher.core.errors import DomainError, Invalid


@dataclass(frozen=True)
class DeviceAuthorization:
    device_code: str  # secret: only the site holds it, to poll with
    user_code: str  # short code the worker may type instead of scanning, e.g. "WDJB-MJHT"
    verification_uri: str
    verification_uri_complete: str  # what the QR code encodes
    expires_in: int  # seconds
    interval: int  # seconds between polls


@dataclass(frozen=True)
class PollResult:
    status: Literal["pending", "slow_down", "denied", "expired", "complete"]
    id_token: str | None = None  # set when status == "complete"


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a verified ID token asserts. `id_number` is clear text: keep it in memory only."""

    id_number: str
    name: str
    region_code: str  # the issuing region of the card
    authenticated_at: datetime  # when the person confirmed (auth_time)
    method: str  # "pin" or "face"
    token_id: str  # jti: accepted once only
    expires_at: datetime


class IdentityTokenRejected(Invalid):
    """An ID token failed verification: bad signature, wrong issuer or audience, expired, replayed, bad claims."""


class DeviceCodeRejected(Invalid):
    """The provider does not know the device code, already gave its token, or gave it to another client (RFC 6749
    `invalid_grant`): the sign-in must start again with a new QR code."""


class IdentityProviderUnavailable(DomainError):
    """The provider could not be reached or answered something unusable. Safe to retry later."""

    kind = "unavailable"


class IdentityProvider(Protocol):
    name: str

    def start_sign_in(self, *, verification_base_url: str) -> DeviceAuthorization: ...

    def poll(self, device_code: str) -> PollResult: ...

    def verify_id_token(self, id_token: str) -> VerifiedIdentity:
        """Check signature, issuer, audience and expiry; raise IdentityTokenRejected. Replay is checked by the caller,
        which records the token id under a unique constraint in its own transaction."""
        ...
