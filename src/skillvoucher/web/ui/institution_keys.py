"""An institution's API keys, managed by its staff: create (the key is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher.core import DomainError, Forbidden
from skillvoucher.identity import Permission, Principal, create_api_key, institution_api_keys, revoke_api_key
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import NO_STORE, form_error, reading, see_other

router = APIRouter(include_in_schema=False)

Manager = Annotated[Principal, Depends(require(Permission.API_KEY_MANAGE))]


def own_institution(principal: Principal) -> int:
    if principal.institution_id is None:
        raise Forbidden("该账号不属于任何培训机构 / this account belongs to no institution")
    return principal.institution_id


@router.get("/institution/api-keys", response_class=HTMLResponse, name="api_keys")
def keys_page(request: Request, pages: PageRenderer, principal: Manager) -> HTMLResponse:
    return _page(request, pages, principal)


@router.post("/institution/api-keys", name="api_key_create")
def create(
    request: Request, pages: PageRenderer, principal: Manager, name: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            key, secret = create_api_key(
                session, institution_id=own_institution(principal), name=name, by=principal, now=runtime.clock.now()
            )
    except DomainError as error:
        return _page(request, pages, principal, error=error, status=DOMAIN_STATUS.get(error.kind, 400))
    return _page(request, pages, principal, new_key=(key.name, secret), status=201)


@router.post("/institution/api-keys/{key_id}/revoke", name="api_key_revoke")
def revoke(request: Request, principal: Manager, key_id: Annotated[int, Path(ge=1)]) -> Response:
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        revoke_api_key(session, key_id=key_id, by=principal, now=runtime.clock.now())
    return see_other("/institution/api-keys")


def _page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    *,
    new_key: tuple[str, str] | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HTMLResponse:
    with reading(request) as session:
        keys = institution_api_keys(session, own_institution(principal))
    context = {
        "keys": keys,
        "new_key": new_key,
        **form_error(error),
        "institution_id": principal.institution_id,
        "active": "api_keys",
    }
    return pages.render(request, "institution/api_keys.html", context, status_code=status, headers=NO_STORE)
