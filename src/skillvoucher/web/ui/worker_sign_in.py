"""Workers sign in, and confirm their real name again (step-up), with the electronic social security card.

The identity-provider port's device flow (RFC 8628): the page shows a QR code of the verification URI and the user
code, htmx polls (`every N s`, N from the provider; `slow_down` adds five seconds), and when the ID token arrives it
is verified, spent once, and the worker is signed in (or their confirmation recorded) and sent on with HX-Redirect.
Without JavaScript, a button polls once and the page redirects.

The device code is a bearer secret for the token: it travels in the session cookie only AES-GCM encrypted.
"""

from __future__ import annotations

import base64
import time
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from skillvoucher.core import DomainError
from skillvoucher.essc import build_identity_provider
from skillvoucher.identity import (
    IdentityProvider,
    IdentityProviderUnavailable,
    Permission,
    Principal,
    VerifiedIdentity,
    confirm_real_name,
    sign_in_worker,
)
from skillvoucher.settings import SettingsError
from skillvoucher.web.auth import public, record_real_name_confirmation, require, start_worker_session
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.i18n import N_
from skillvoucher.web.templating import wants_fragment
from skillvoucher.web.ui.common import NO_STORE, NextQuery, local_next, see_other
from skillvoucher.web.ui.qr import qr_svg

router = APIRouter(include_in_schema=False)

Purpose = Literal["sign_in", "confirm"]
STATE: Final = "essc_device"
DEVICE_FIELD: Final = "essc_device_code"
SLOW_DOWN_SECONDS: Final = 5  # RFC 8628 §3.5
PAGES: Final[dict[Purpose, tuple[str, str]]] = {
    "sign_in": ("/sign-in/worker", "/sign-in/worker/poll"),
    "confirm": ("/sign-in/confirm", "/sign-in/confirm/poll"),
}
ENDED: Final = {
    "denied": N_("The request was declined on the phone."),
    "expired": N_("The QR code has expired."),
    "missing": N_("This sign-in request has ended."),
    "rejected": N_("The identity from the e-SSC could not be accepted."),
}
Worker = Annotated[Principal, Depends(require(Permission.WORKER_SELF))]


class ProviderNotConfigured(IdentityProviderUnavailable):
    def __init__(self) -> None:
        super().__init__("电子社保卡登录尚未配置 / sign-in with the e-SSC is not configured on this server")


@router.get("/sign-in/worker", response_class=HTMLResponse, name="worker_sign_in", dependencies=[Depends(public)])
def worker_sign_in(request: Request, pages: PageRenderer, next_path: NextQuery = "", new: bool = False) -> Response:
    return _device_page(request, pages, "sign_in", local_next(next_path), fresh=new)


@router.post("/sign-in/worker/poll", name="worker_sign_in_poll", dependencies=[Depends(public)])
def worker_sign_in_poll(request: Request, pages: PageRenderer) -> Response:
    return _poll(request, pages, "sign_in", None)


@router.get("/sign-in/confirm", response_class=HTMLResponse, name="step_up")
def step_up(
    request: Request, pages: PageRenderer, principal: Worker, next_path: NextQuery = "", new: bool = False
) -> Response:
    """Step-up: the signed-in worker confirms with the e-SSC again, then goes back to `next`."""
    return _device_page(request, pages, "confirm", local_next(next_path), fresh=new)


@router.post("/sign-in/confirm/poll", name="step_up_poll")
def step_up_poll(request: Request, pages: PageRenderer, principal: Worker) -> Response:
    return _poll(request, pages, "confirm", principal)


# --- the flow ---------------------------------------------------------------------------------------------------------


def identity_provider(request: Request) -> IdentityProvider:
    """The configured adapter, built once per application."""
    state = request.app.state
    if getattr(state, "identity_provider", None) is None:
        try:
            state.identity_provider = build_identity_provider(get_runtime(request))
        except SettingsError:
            raise ProviderNotConfigured() from None
    provider: IdentityProvider = state.identity_provider
    return provider


def _device_page(request: Request, pages: PageRenderer, purpose: Purpose, next_path: str, *, fresh: bool) -> Response:
    state = None if fresh else _state(request, purpose)
    if state is None:
        state = _start(request, purpose, next_path)
    elif next_path:
        state["next"] = next_path
        request.session[STATE] = state
    return _render(request, pages, purpose, state)


def _start(request: Request, purpose: Purpose, next_path: str) -> dict[str, Any]:
    grant = identity_provider(request).start_sign_in(verification_base_url=str(request.base_url))
    sealed = get_runtime(request).cipher.encrypt(DEVICE_FIELD, grant.device_code)
    state = {
        "purpose": purpose,
        "device": base64.b64encode(sealed).decode(),
        "user_code": grant.user_code,
        "uri": grant.verification_uri,
        "uri_complete": grant.verification_uri_complete,
        "expires": int(time.time()) + grant.expires_in,
        "interval": max(1, grant.interval),
        "polled": 0,
        "next": next_path,
    }
    request.session[STATE] = state
    return state


def _state(request: Request, purpose: Purpose) -> dict[str, Any] | None:
    state = request.session.get(STATE)
    if not isinstance(state, dict) or state.get("purpose") != purpose or int(state.get("expires", 0)) <= time.time():
        return None
    return state


def _poll(request: Request, pages: PageRenderer, purpose: Purpose, principal: Principal | None) -> Response:
    state = _state(request, purpose)
    if state is None:
        return _ended(request, pages, purpose, "expired" if request.session.pop(STATE, None) else "missing")
    if time.time() - int(state["polled"]) < int(state["interval"]) - 1:  # the browser is early: do not hammer
        return _waiting(request, pages, purpose, state)
    provider = identity_provider(request)
    runtime = get_runtime(request)
    try:
        device_code = runtime.cipher.decrypt(DEVICE_FIELD, base64.b64decode(state["device"]))
        result = provider.poll(device_code)
        if result.status in ("pending", "slow_down"):
            state["polled"] = int(time.time())
            state["interval"] = int(state["interval"]) + (SLOW_DOWN_SECONDS if result.status == "slow_down" else 0)
            request.session[STATE] = state
            return _waiting(request, pages, purpose, state)
        request.session.pop(STATE, None)
        if result.status != "complete" or result.id_token is None:
            return _ended(request, pages, purpose, result.status)
        identity = provider.verify_id_token(result.id_token)
        _finish(request, provider.name, identity, principal)
    except IdentityProviderUnavailable as error:  # keep the request: the next poll may succeed
        return _waiting(request, pages, purpose, state, problem=error)
    except (DomainError, ValueError) as error:
        request.session.pop(STATE, None)
        return _ended(request, pages, purpose, "rejected", problem=error)
    target = local_next(str(state.get("next", ""))) or "/me"
    if wants_fragment(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _finish(request: Request, provider: str, identity: VerifiedIdentity, principal: Principal | None) -> None:
    runtime = get_runtime(request)
    now = runtime.clock.now()
    with runtime.uow.begin() as session:
        if principal is None:
            signed_in = sign_in_worker(session, identity=identity, provider=provider, cipher=runtime.cipher, now=now)
        else:
            at = confirm_real_name(
                session,
                identity=identity,
                provider=provider,
                person_id=principal.account_id,
                cipher=runtime.cipher,
                now=now,
            )
    if principal is None:
        start_worker_session(request, signed_in.account, real_name_at=identity.authenticated_at)
    else:
        record_real_name_confirmation(request, at)


def _waiting(
    request: Request,
    pages: PageRenderer,
    purpose: Purpose,
    state: dict[str, Any],
    *,
    problem: DomainError | None = None,
) -> Response:
    if not wants_fragment(request):
        return see_other(PAGES[purpose][0])
    context = {"state": state, "poll_url": PAGES[purpose][1], "ended": None, "problem": problem}
    return pages.render(request, "sign_in/_device_status.html", {**context, "purpose": purpose}, headers=NO_STORE)


def _ended(
    request: Request, pages: PageRenderer, purpose: Purpose, reason: str, *, problem: Exception | None = None
) -> Response:
    context = {
        "purpose": purpose,
        "state": None,
        "ended": ENDED.get(reason),
        "problem": problem if isinstance(problem, DomainError) else None,
        "page_url": PAGES[purpose][0],
        "poll_url": PAGES[purpose][1],
    }
    if wants_fragment(request):  # htmx swaps only successful answers
        return pages.render(request, "sign_in/_device_status.html", context, headers=NO_STORE)
    status = 401 if reason == "rejected" else 400
    return pages.render(request, "sign_in/worker.html", {**context, "qr": None}, status_code=status, headers=NO_STORE)


def _render(request: Request, pages: PageRenderer, purpose: Purpose, state: dict[str, Any]) -> HTMLResponse:
    context = {
        "purpose": purpose,
        "state": state,
        "qr": qr_svg(state["uri_complete"], title=state["user_code"]),
        "ended": None,
        "problem": None,
        "page_url": PAGES[purpose][0],
        "poll_url": PAGES[purpose][1],
        "active": "sign_in" if purpose == "sign_in" else "worker_home",
    }
    return pages.render(request, "sign_in/worker.html", context, headers=NO_STORE)
