"""The generic OpenID Connect adapter: a real e-SSC platform (national or provincial) that offers the device
authorization grant (RFC 8628) and signs ID tokens.

Configured by SKILLVOUCHER_OIDC_ISSUER, SKILLVOUCHER_OIDC_CLIENT_ID and SKILLVOUCHER_OIDC_CLIENT_SECRET. The
provider's endpoints come from discovery (`{issuer}/.well-known/openid-configuration`), its keys from its JWKS.
The OAuth calls go through Authlib's client (on httpx2); tokens are verified with joserfc.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeVar
from urllib.parse import urlsplit

import httpx2
from authlib.integrations.httpx_client import OAuth2Client, OAuthError
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from skillvoucher.core import Clock, SystemClock
from skillvoucher.essc.verification import CLOCK_SKEW_SECONDS, UnknownSigningKey, verify_identity_token
from skillvoucher.identity import (
    DeviceAuthorization,
    DeviceCodeRejected,
    IdentityProviderUnavailable,
    PollResult,
    VerifiedIdentity,
)
from skillvoucher.logging import get_logger

log = get_logger(__name__)

DEVICE_GRANT: Final = "urn:ietf:params:oauth:grant-type:device_code"
# Signature algorithms we accept from a provider (what its discovery document offers, intersected with these).
ACCEPTED_ALGORITHMS: Final = ("Ed25519", "ES256", "ES384", "RS256", "PS256")
METADATA_TTL: Final = 3600.0  # seconds before discovery and keys are fetched again
KEY_REFRESH_MIN_INTERVAL: Final = 60.0  # an unknown key id triggers at most one JWKS fetch a minute
_POLL_STATUS: Final[dict[str, Literal["pending", "slow_down", "denied", "expired"]]] = {
    "authorization_pending": "pending",
    "slow_down": "slow_down",
    "access_denied": "denied",
    "expired_token": "expired",
}
T = TypeVar("T")


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    device_authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


class OidcProvider:
    name = "oidc"

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        client_secret: str | None = None,
        clock: Clock | None = None,
        transport: httpx2.BaseTransport | None = None,
        timeout: float = 10.0,
        leeway: int = CLOCK_SKEW_SECONDS,
        allow_insecure_http: bool = False,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.clock = clock or SystemClock()
        self._transport = transport
        self._timeout = timeout
        self._leeway = leeway
        self._allow_http = allow_insecure_http
        if not self._allowed_url(self.issuer):
            raise ValueError("the e-SSC provider's issuer must be an https URL")
        self._lock = threading.Lock()
        self._metadata: tuple[float, ProviderMetadata] | None = None
        self._keys: tuple[float, KeySet] | None = None

    # --- the port ----------------------------------------------------------------------------------------------------

    def start_sign_in(self, *, verification_base_url: str) -> DeviceAuthorization:
        """The provider shows its own verification page; `verification_base_url` (our site) is not used."""
        endpoint = self.metadata().device_authorization_endpoint
        with self._oauth_client() as client:
            auth = client.client_auth(client.token_endpoint_auth_method)
            response = self._call(
                lambda: client.request("POST", endpoint, data={"scope": "openid"}, auth=auth, withhold_token=True)
            )
        body = self._json_object(response, "device authorization")
        if response.status_code != 200:
            log.warning("essc.oidc.device_authorization_refused", status=response.status_code, error=body.get("error"))
            raise IdentityProviderUnavailable(
                "电子社保卡平台拒绝了登录请求 / the e-SSC platform refused to start a sign-in"
            )
        try:
            uri = str(body["verification_uri"])
            return DeviceAuthorization(
                device_code=str(body["device_code"]),
                user_code=str(body["user_code"]),
                verification_uri=uri,
                verification_uri_complete=str(body.get("verification_uri_complete") or uri),
                expires_in=int(body["expires_in"]),
                interval=int(body.get("interval", 5)),
            )
        except (KeyError, TypeError, ValueError):
            raise self._unusable("device authorization response lacks required fields") from None

    def poll(self, device_code: str) -> PollResult:
        endpoint = self.metadata().token_endpoint
        try:
            with self._oauth_client() as client:
                token = self._call(
                    lambda: client.fetch_token(endpoint, grant_type=DEVICE_GRANT, device_code=device_code)
                )
        except OAuthError as error:
            status = _POLL_STATUS.get(str(error.error))
            if status is not None:
                return PollResult(status=status)
            log.info("essc.oidc.poll_refused", error=str(error.error))
            raise DeviceCodeRejected(
                "登录请求无效或已完成，请重新扫码 / this sign-in request is no longer valid; scan again"
            ) from None
        except ValueError:
            raise self._unusable("token response is not JSON") from None
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise self._unusable("token response has no id_token")
        return PollResult(status="complete", id_token=id_token)

    def verify_id_token(self, id_token: str) -> VerifiedIdentity:
        metadata = self.metadata()
        try:
            return self._verify(id_token, metadata, self._key_set())
        except UnknownSigningKey:
            refreshed = self._key_set(refresh=True)  # the provider may have rotated its keys
            return self._verify(id_token, metadata, refreshed)

    # --- discovery and keys ------------------------------------------------------------------------------------------

    def metadata(self) -> ProviderMetadata:
        cached = self._metadata
        if cached is not None and time.monotonic() - cached[0] < METADATA_TTL:
            return cached[1]
        with self._lock:
            metadata = self._discover()
            self._metadata = (time.monotonic(), metadata)
        return metadata

    def _discover(self) -> ProviderMetadata:
        url = f"{self.issuer}/.well-known/openid-configuration"
        with self._http_client() as client:
            response = self._call(lambda: client.get(url))
        document = self._json_object(response, "discovery")
        if response.status_code != 200:
            raise self._unusable(f"discovery answered {response.status_code}")
        if document.get("issuer") != self.issuer:  # OpenID Connect Discovery §4.3
            raise self._unusable("discovery names another issuer")
        names = ("device_authorization_endpoint", "token_endpoint", "jwks_uri")
        endpoints = {name: str(document.get(name, "")) for name in names}
        for name, url in endpoints.items():
            if not self._allowed_url(url):
                raise self._unusable(f"discovery gives no usable {name}")
        offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = tuple(alg for alg in ACCEPTED_ALGORITHMS if alg in offered)
        if not algorithms:
            raise self._unusable("the provider signs with no algorithm we accept")
        return ProviderMetadata(issuer=self.issuer, algorithms=algorithms, **endpoints)

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        cached = self._keys
        if cached is not None:
            age = time.monotonic() - cached[0]
            if age < (KEY_REFRESH_MIN_INTERVAL if refresh else METADATA_TTL):
                return cached[1]
        url = self.metadata().jwks_uri
        with self._lock:
            with self._http_client() as client:
                response = self._call(lambda: client.get(url))
            document = self._json_object(response, "JWKS")
            try:
                keys = KeySet.import_key_set(document)  # type: ignore[arg-type]  # joserfc's TypedDict is narrow
            except (JoseError, ValueError, KeyError, TypeError):
                raise self._unusable("the provider's JWKS is not a key set") from None
            self._keys = (time.monotonic(), keys)
        return keys

    def _verify(self, id_token: str, metadata: ProviderMetadata, keys: KeySet) -> VerifiedIdentity:
        return verify_identity_token(
            id_token,
            keys=keys,
            algorithms=metadata.algorithms,
            issuer=metadata.issuer,
            audience=self.client_id,
            now=self.clock.now(),
            leeway=self._leeway,
        )

    # --- HTTP --------------------------------------------------------------------------------------------------------

    def _http_client(self) -> httpx2.Client:
        return httpx2.Client(transport=self._transport, timeout=self._timeout, follow_redirects=False)

    def _oauth_client(self) -> Any:
        """A client per call: Authlib's client keeps the last token on itself, so it cannot be shared by threads."""
        return OAuth2Client(
            client_id=self.client_id,
            client_secret=self._client_secret,
            scope="openid",
            transport=self._transport,
            timeout=self._timeout,
        )

    def _call(self, request: Callable[[], T]) -> T:
        try:
            return request()
        except httpx2.HTTPError as error:
            log.warning("essc.oidc.unreachable", error=type(error).__name__)
            raise IdentityProviderUnavailable(
                "暂时无法连接电子社保卡平台 / the e-SSC platform cannot be reached; try again shortly"
            ) from None

    def _json_object(self, response: httpx2.Response, what: str) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise self._unusable(f"{what} answered {response.status_code} without a JSON object")
        return body

    def _allowed_url(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(parts.netloc) and (parts.scheme == "https" or (self._allow_http and parts.scheme == "http"))

    def _unusable(self, reason: str) -> IdentityProviderUnavailable:
        log.warning("essc.oidc.unusable_answer", reason=reason)
        return IdentityProviderUnavailable(
            "电子社保卡平台的应答无法使用 / the e-SSC platform gave an answer we cannot use; try again shortly"
        )
