"""Identity and access over JSON: who am I, an institution's API keys, persons for officers and auditors.

Cookie sessions send `X-CSRF-Token` on POST; institution systems send `Authorization: Bearer svk_…` instead.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from skillvoucher.core import NotFound
from skillvoucher.identity import (
    ApiKey,
    Permission,
    PersonSummary,
    PopulationGroup,
    Principal,
    Role,
    create_api_key,
    get_staff,
    institution_api_keys,
    person_summary,
    region_names,
    revoke_api_key,
)
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.auth import require
from skillvoucher.web.deps import get_runtime
from skillvoucher.web.persons import MAX_QUERY, find_persons, readable_person
from skillvoucher.web.ui.common import NO_STORE
from skillvoucher.web.ui.institution_keys import own_institution

router = APIRouter(prefix="/api/v1", tags=["access"])

Anyone = Annotated[Principal, Depends(require(Permission.ACCOUNT_SELF))]
KeyManager = Annotated[Principal, Depends(require(Permission.API_KEY_MANAGE))]
PersonReader = Annotated[Principal, Depends(require(Permission.PERSON_READ))]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MeOut(Model):
    kind: str = Field(description="staff, worker or api_key")
    role: str
    account_id: int = Field(description="staff account id, person id (worker) or API key id")
    name: str | None
    username: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    institution_id: int | None = None
    assessment_body_id: int | None = None
    id_number_masked: str | None = Field(default=None, description="workers only")


class ApiKeyOut(Model):
    id: int
    name: str
    prefix: str
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyList(Model):
    institution_id: int
    items: list[ApiKeyOut]


class NewApiKeyIn(Model):
    name: str = Field(min_length=1, max_length=100, description="what the key is for")


class NewApiKeyOut(ApiKeyOut):
    key: str = Field(description="the bearer token; shown this once, never again")


class PersonOut(Model):
    id: int
    name: str
    id_number_masked: str
    phone_masked: str | None
    region_code: str
    region_name: str
    gender: str
    birth_date: date
    population_groups: list[str]
    employment_status: str
    registered_at: datetime
    has_signed_in: bool


class HistoryOut(Model):
    seq: int
    occurred_at: datetime
    actor: str
    action: str


class PersonDetailOut(PersonOut):
    history: list[HistoryOut]


class PersonSearchOut(Model):
    query_kind: str = Field(description="empty, name, id_number or partial_number (not searchable)")
    items: list[PersonOut]
    more: bool = Field(description="more persons match than are listed: narrow the search")


@router.get("/me", responses=problem_responses(401))
def me(request: Request, principal: Anyone) -> MeOut:
    """Who the caller is: a staff account, a worker, or an institution's API key."""
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        if principal.via_api_key:
            key = session.get(ApiKey, principal.account_id)
            name = key.name if key else None
            return MeOut(
                kind="api_key",
                role=principal.role,
                account_id=principal.account_id,
                name=name,
                institution_id=principal.institution_id,
            )
        if principal.role is Role.WORKER:
            person = person_summary(session, person_id=principal.account_id, cipher=runtime.cipher)
            if person is None:
                raise NotFound("找不到您的登记信息 / your registry entry was not found")
            return MeOut(
                kind="worker",
                role=principal.role,
                account_id=person.id,
                name=person.name,
                region_code=person.region_code,
                region_name=person.region_name,
                id_number_masked=person.id_number_masked,
            )
        account = get_staff(session, principal.account_id)
        names = region_names(session, [account.region_code] if account.region_code else [])
        return MeOut(
            kind="staff",
            role=account.role,
            account_id=account.id,
            name=account.display_name,
            username=account.username,
            region_code=account.region_code,
            region_name=names.get(account.region_code or ""),
            institution_id=account.institution_id,
            assessment_body_id=account.assessment_body_id,
        )


@router.get("/institution/api-keys", responses=problem_responses(401, 403))
def list_api_keys(request: Request, principal: KeyManager) -> ApiKeyList:
    """The caller's institution's API keys, newest first (prefix and last use; never the key)."""
    institution_id = own_institution(principal)
    with get_runtime(request).uow.read() as session:
        keys = institution_api_keys(session, institution_id)
        return ApiKeyList(institution_id=institution_id, items=[ApiKeyOut.model_validate(key) for key in keys])


@router.post("/institution/api-keys", status_code=201, responses=problem_responses(401, 403, 422))
def create_institution_api_key(
    request: Request, response: Response, principal: KeyManager, body: NewApiKeyIn
) -> NewApiKeyOut:
    """A new key for the caller's institution. The answer holds the key once; only its hash is kept."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        key, secret = create_api_key(
            session, institution_id=own_institution(principal), name=body.name, by=principal, now=runtime.clock.now()
        )
    response.headers.update(NO_STORE)
    return NewApiKeyOut.model_validate({**ApiKeyOut.model_validate(key).model_dump(), "key": secret})


@router.post("/institution/api-keys/{key_id}/revoke", responses=problem_responses(401, 403, 404))
def revoke_institution_api_key(
    request: Request, principal: KeyManager, key_id: Annotated[int, Path(ge=1)]
) -> ApiKeyOut:
    """Revoke a key of the caller's institution; calls with it fail from now on. Revoking twice is harmless."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        key = revoke_api_key(session, key_id=key_id, by=principal, now=runtime.clock.now())
    return ApiKeyOut.model_validate(key)


@router.get("/persons", responses=problem_responses(401, 403, 422))
def search_persons(
    request: Request, principal: PersonReader, q: Annotated[str, Query(max_length=MAX_QUERY)] = ""
) -> PersonSearchOut:
    """Persons in the caller's region by the start of their name or a full ID number; numbers masked."""
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        found = find_persons(session, cipher=runtime.cipher, principal=principal, query=q)
    return PersonSearchOut(query_kind=found.kind, items=[_person(p) for p in found.results], more=found.more)


@router.get("/persons/{person_id}", responses=problem_responses(401, 403, 404))
def get_person(request: Request, principal: PersonReader, person_id: Annotated[int, Path(ge=1)]) -> PersonDetailOut:
    """One person in the caller's region, masked, with their history (audit events, newest first)."""
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        person, history = readable_person(session, cipher=runtime.cipher, principal=principal, person_id=person_id)
    events = [HistoryOut.model_validate(entry) for entry in history]
    return PersonDetailOut.model_validate({**_person(person).model_dump(), "history": events})


def _person(person: PersonSummary) -> PersonOut:
    groups = [group.name.lower() for group in PopulationGroup if group.name and person.population_groups & group]
    return PersonOut.model_validate({**asdict(person), "population_groups": groups})
