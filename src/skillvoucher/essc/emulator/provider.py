"""The emulator as an `IdentityProvider`, in-process: the site calls the emulated platform's service directly,
each call in its own transaction, instead of over HTTP (the HTTP endpoints exist for real OIDC clients)."""

from __future__ import annotations

from typing import Final, Literal
from urllib.parse import urlencode

from skillvoucher.app import Runtime
from skillvoucher.essc.emulator import service
from skillvoucher.essc.emulator.signing import ALGORITHM, emulator_keys
from skillvoucher.essc.verification import verify_identity_token
from skillvoucher.identity import DeviceAuthorization, DeviceCodeRejected, PollResult, VerifiedIdentity

PATH_PREFIX: Final = "/essc-emulator"
DEVICE_PAGE_PATH: Final = f"{PATH_PREFIX}/device"
DEFAULT_CLIENT_ID: Final = "skillvoucher"
# The issuer of tokens handed over in-process. Tokens from the HTTP endpoints carry the URL they were asked at
# (`{origin}/essc-emulator`), as OpenID Connect discovery requires; in-process there is no URL to name.
IN_PROCESS_ISSUER: Final = "urn:skillvoucher:essc-emulator"
_POLL_STATUS: Final[dict[str, Literal["pending", "slow_down", "denied", "expired"]]] = {
    "authorization_pending": "pending",
    "slow_down": "slow_down",
    "access_denied": "denied",
    "expired_token": "expired",
}


def issuer_for(origin: str) -> str:
    """The issuer the HTTP endpoints use when reached at `origin` (scheme, host and port)."""
    return origin.rstrip("/") + PATH_PREFIX


class EmulatorProvider:
    name = "essc-emulator"

    def __init__(self, runtime: Runtime, *, client_id: str = DEFAULT_CLIENT_ID, issuer: str = IN_PROCESS_ISSUER):
        self.runtime = runtime
        self.client_id = client_id
        self.issuer = issuer

    def start_sign_in(self, *, verification_base_url: str) -> DeviceAuthorization:
        with self.runtime.uow.begin() as session:
            grant = service.authorize_device(
                session, client_id=self.client_id, scope="openid", nonce=None, now=self.runtime.clock.now()
            )
        page = verification_base_url.rstrip("/") + DEVICE_PAGE_PATH
        return DeviceAuthorization(
            device_code=grant.device_code,
            user_code=grant.user_code,
            verification_uri=page,
            verification_uri_complete=f"{page}?{urlencode({'user_code': grant.user_code})}",
            expires_in=grant.expires_in,
            interval=grant.interval,
        )

    def poll(self, device_code: str) -> PollResult:
        with self.runtime.uow.begin() as session:
            outcome = service.exchange_device_code(
                session,
                device_code=device_code,
                client_id=self.client_id,
                issuer=self.issuer,
                keys=emulator_keys(self.runtime.settings.keys.session_secret),
                cipher=self.runtime.cipher,
                now=self.runtime.clock.now(),
            )
        if isinstance(outcome, service.IssuedToken):
            return PollResult(status="complete", id_token=outcome.id_token)
        status = _POLL_STATUS.get(outcome.error)
        if status is None:
            raise DeviceCodeRejected(
                "登录请求无效或已完成，请重新扫码 / this sign-in request is no longer valid; scan again"
            )
        return PollResult(status=status)

    def verify_id_token(self, id_token: str) -> VerifiedIdentity:
        return verify_identity_token(
            id_token,
            keys=emulator_keys(self.runtime.settings.keys.session_secret).public_key_set(),
            algorithms=[ALGORITHM],
            issuer=self.issuer,
            audience=self.client_id,
            now=self.runtime.clock.now(),
        )
