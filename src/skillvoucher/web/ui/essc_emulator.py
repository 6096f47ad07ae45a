"""The e-SSC emulator over HTTP: the RFC 8628 endpoints a real OpenID Connect client talks to, and the phone page a
card holder confirms on. Mounted only when SKILLVOUCHER_ESSC_EMULATOR_ENABLED is on (development and demo mode by
default). Errors of the OAuth endpoints are RFC 6749 §5.2 JSON objects, not problem details: that is what OAuth
clients read.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Final, Literal
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from skillvoucher.core import DomainError
from skillvoucher.essc import DEVICE_GRANT, ID_NUMBER_CLAIM, NAME_CLAIM, REGION_CLAIM
from skillvoucher.essc import emulator as essc
from skillvoucher.web.auth import csrf_token, machine_public, public
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.i18n import N_

router = APIRouter(prefix=essc.PATH_PREFIX, tags=["e-SSC emulator"])
NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 §5.1
# What the phone page says for each refusal, by the error's code (translated when rendered).
PHONE_ERRORS: Final = {
    "UserCodeNotFound": N_("No sign-in request has this code. Check the code shown on the site."),
    "DeviceRequestExpired": N_("This QR code has expired. Start again on the site."),
    "DeviceRequestAnswered": N_("This request has already been answered."),
    "WrongPin": N_("Wrong PIN."),
    "HolderIdNumberInvalid": N_("The ID number is not valid."),
    "HolderNameInvalid": N_("Give the card holder's name."),
    "HolderRegionInvalid": N_("The issuing region is a six-digit code."),
    "HolderInvalid": N_("That person is not in the registry."),
}
GENERIC_ERROR: Final = N_("Something went wrong")
REGISTERED_CLAIMS: Final = ("iss", "aud", "sub", "iat", "exp", "auth_time", "amr", "jti", "nonce")
STATUS_OF_KIND: Final = {"not_found": 404, "conflict": 409, "invalid": 422, "forbidden": 403}


# --- the OAuth 2.0 / OpenID Connect endpoints ------------------------------------------------------------------------


def _origin(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status, headers=NO_STORE)


def _client_id(request: Request, form_client_id: str | None) -> str | None:
    """The client, from HTTP Basic (RFC 6749 §2.3.1; the emulator's clients are public, the secret is not checked)
    or the form's client_id. None when they disagree or neither is given."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return form_client_id or None
    try:
        basic_id = unquote(base64.b64decode(credentials.strip(), validate=True).decode().partition(":")[0])
    except (binascii.Error, UnicodeDecodeError):
        return None
    return basic_id if form_client_id in (None, "", basic_id) else None


# The two OAuth endpoints below are called by programs with no session cookie, so there is nothing to forge and no
# CSRF token to check: they cannot declare `public`, whose check refuses a form without the session's token.
@router.post(
    "/oauth/device_authorization",
    name="essc_emulator_device_authorization",
    dependencies=[Depends(machine_public)],
)
def device_authorization(
    request: Request,
    client_id: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
    nonce: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """RFC 8628 §3.1–3.2: start a sign-in; the answer holds the codes and the page to confirm on."""
    runtime = get_runtime(request)
    client = _client_id(request, client_id)
    if client is None:
        return _oauth_error("invalid_client", "give client_id in the form or with HTTP Basic authentication", 401)
    try:
        with runtime.uow.begin() as session:
            grant = essc.authorize_device(session, client_id=client, scope=scope, nonce=nonce, now=runtime.clock.now())
    except essc.DeviceAuthorizationRefused as refused:
        return _oauth_error(refused.error, refused.message, 401 if refused.error == "invalid_client" else 400)
    page = _origin(request) + essc.DEVICE_PAGE_PATH
    body = {
        "device_code": grant.device_code,
        "user_code": grant.user_code,
        "verification_uri": page,
        "verification_uri_complete": f"{page}?{urlencode({'user_code': grant.user_code})}",
        "expires_in": grant.expires_in,
        "interval": grant.interval,
    }
    return JSONResponse(body, headers=NO_STORE)


@router.post("/oauth/token", name="essc_emulator_token", dependencies=[Depends(machine_public)])
def token(
    request: Request,
    grant_type: Annotated[str | None, Form()] = None,
    device_code: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """RFC 8628 §3.4–3.5: poll for the ID token; `authorization_pending`, `slow_down`, `access_denied`,
    `expired_token` or `invalid_grant` until the holder has confirmed, then the token, once."""
    runtime = get_runtime(request)
    if grant_type != DEVICE_GRANT:
        return _oauth_error("unsupported_grant_type", f"only {DEVICE_GRANT} is supported")
    client = _client_id(request, client_id)
    if client is None:
        return _oauth_error("invalid_client", "give client_id in the form or with HTTP Basic authentication", 401)
    if not device_code:
        return _oauth_error("invalid_request", "device_code is required")
    with runtime.uow.begin() as session:
        outcome = essc.exchange_device_code(
            session,
            device_code=device_code,
            client_id=client,
            issuer=essc.issuer_for(_origin(request)),
            keys=essc.emulator_keys(runtime.settings.keys.session_secret),
            cipher=runtime.cipher,
            now=runtime.clock.now(),
        )
    if isinstance(outcome, essc.TokenRefusal):
        return _oauth_error(outcome.error, outcome.description)
    body = {
        "access_token": outcome.access_token,
        "token_type": "Bearer",
        "expires_in": outcome.expires_in,
        "id_token": outcome.id_token,
        "scope": "openid",
    }
    return JSONResponse(body, headers=NO_STORE)


@router.get("/.well-known/openid-configuration", name="essc_emulator_discovery", dependencies=[Depends(public)])
def discovery(request: Request) -> dict[str, Any]:
    """OpenID Connect Discovery: where the endpoints and keys are."""
    issuer = essc.issuer_for(_origin(request))
    return {
        "issuer": issuer,
        "device_authorization_endpoint": f"{issuer}/oauth/device_authorization",
        "token_endpoint": f"{issuer}/oauth/token",
        "jwks_uri": f"{issuer}/jwks.json",
        "grant_types_supported": [DEVICE_GRANT],
        "scopes_supported": ["openid"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": [essc.ALGORITHM],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "claims_supported": [*REGISTERED_CLAIMS, ID_NUMBER_CLAIM, NAME_CLAIM, REGION_CLAIM],
    }


@router.get("/jwks.json", name="essc_emulator_jwks", dependencies=[Depends(public)])
def jwks(request: Request) -> dict[str, Any]:
    """The public key the emulator's ID tokens are signed with (Ed25519, derived from the session secret)."""
    return essc.emulator_keys(get_runtime(request).settings.keys.session_secret).public_jwks()


# --- the phone page --------------------------------------------------------------------------------------------------


def _render_phone(
    request: Request, pages: PageRenderer, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    runtime = get_runtime(request)
    context = {"error": None, "typed": {}, **context}
    context["typed"] = {"holder": "", "name": "", "region": "", **context["typed"]}
    context.update(demo_pin=essc.DEMO_PIN, site_client_id=essc.DEFAULT_CLIENT_ID)
    if context.get("device_request") is not None:
        with runtime.uow.read() as session:
            context["holders"] = (
                essc.sample_holders(session, cipher=runtime.cipher) if runtime.settings.is_development else []
            )
        context["csrf_token"] = csrf_token(request)
    return pages.render(request, "essc_emulator/device.html", context, status_code=status_code, headers=NO_STORE)


@router.get(
    "/device",
    response_class=HTMLResponse,
    include_in_schema=False,
    name="essc_emulator_device",
    dependencies=[Depends(public)],
)
def device_page(
    request: Request, pages: PageRenderer, user_code: Annotated[str, Query(max_length=20)] = ""
) -> HTMLResponse:
    """The card app's confirmation screen, reached by scanning the site's QR code (or typing its code)."""
    if not user_code:
        return _render_phone(request, pages, {"device_request": None, "user_code": ""})
    runtime = get_runtime(request)
    try:
        with runtime.uow.read() as session:
            device_request = essc.pending_request(session, user_code=user_code, now=runtime.clock.now())
    except DomainError as error:
        return _refused(request, pages, error, user_code=user_code)
    return _render_phone(request, pages, {"device_request": device_request, "user_code": device_request.user_code})


@router.post(
    "/device",
    response_class=HTMLResponse,
    include_in_schema=False,
    name="essc_emulator_answer",
    dependencies=[Depends(public)],  # checks the form's CSRF token against the session's
)
def answer(
    request: Request,
    pages: PageRenderer,
    action: Annotated[Literal["pin", "face", "deny"], Form()],
    user_code: Annotated[str, Form(max_length=20)],
    holder: Annotated[str, Form(max_length=20)] = "other",
    id_number: Annotated[str, Form(max_length=40)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    region: Annotated[str, Form(max_length=12)] = "",
    pin: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """The holder confirms with the PIN or a simulated face check, or declines."""
    runtime = get_runtime(request)
    typed = {"name": name, "region": region, "holder": holder}
    normalized = essc.normalize_user_code(user_code) or user_code
    now = runtime.clock.now()
    try:
        with runtime.uow.begin() as session:
            if action == "deny":
                essc.deny(session, user_code=normalized, now=now)
            else:
                card_holder = (
                    essc.registry_holder(session, person_id=int(holder), cipher=runtime.cipher)
                    if holder.isdigit() and runtime.settings.is_development
                    else essc.typed_holder(id_number=id_number, name=name, region_code=region, today=now.date())
                )
                essc.approve(
                    session,
                    user_code=normalized,
                    holder=card_holder,
                    method=action,
                    pin=pin,
                    cipher=runtime.cipher,
                    now=now,
                )
    except DomainError as error:
        return _refused(request, pages, error, user_code=normalized, typed=typed)
    context = {"answered": "denied" if action == "deny" else "approved", "demo_pin": essc.DEMO_PIN}
    return pages.render(request, "essc_emulator/done.html", context, headers=NO_STORE)


def _refused(
    request: Request,
    pages: PageRenderer,
    error: DomainError,
    *,
    user_code: str,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page again with what went wrong. The form is shown again while the request is still open."""
    runtime = get_runtime(request)
    message = PHONE_ERRORS.get(error.code, GENERIC_ERROR)
    device_request = None
    if error.code not in ("UserCodeNotFound", "DeviceRequestExpired", "DeviceRequestAnswered"):
        try:
            with runtime.uow.read() as session:
                device_request = essc.pending_request(session, user_code=user_code, now=runtime.clock.now())
        except DomainError:
            device_request = None
    context = {"device_request": device_request, "user_code": user_code, "error": message, "typed": typed or {}}
    return _render_phone(request, pages, context, status_code=STATUS_OF_KIND.get(error.kind, 400))
