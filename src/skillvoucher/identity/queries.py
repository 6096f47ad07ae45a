"""The worker registry's reads. Listings decrypt only to mask: clear-text numbers never leave this module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from skillvoucher.audit import AuditEvent
from skillvoucher.catalog import Region
from skillvoucher.db import among
from skillvoucher.identity import authz
from skillvoucher.identity.account_models import ApiKey, StaffAccount, WorkerAccount
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.identity.models import Person, PersonImport
from skillvoucher.identity.phone import mask_phone
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.resident_id import mask_id_number
from skillvoucher.identity.rules import group_labels

_IN_BATCH = 5000  # bound parameters per statement (SQLite and PostgreSQL both cap them)


@dataclass(frozen=True)
class PersonListing:
    id: int
    name: str
    id_number_masked: str
    phone_masked: str | None
    region_code: str
    region_name: str
    gender: str
    birth_date: date
    groups: tuple[str, ...]
    employment_status: str


def known_region_codes(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(Region.code)))


def person_by_id_number_hash(session: Session, id_number_hash: bytes) -> Person | None:
    return session.scalars(select(Person).where(Person.id_number_hash == id_number_hash)).one_or_none()


def person_ids_by_id_number_hash(session: Session, hashes: Sequence[bytes]) -> dict[bytes, int]:
    """The registered persons among many ID number hashes, a few thousand per query."""
    found: dict[bytes, int] = {}
    for start in range(0, len(hashes), _IN_BATCH):
        batch = hashes[start : start + _IN_BATCH]
        query = select(Person.id_number_hash, Person.id).where(among(session, Person.id_number_hash, batch))
        found.update((id_number_hash, person_id) for id_number_hash, person_id in session.execute(query))
    return found


def import_ids_by_hash(session: Session, hashes: Sequence[bytes]) -> dict[bytes, int | None]:
    """For persons already registered: which import (if any) added each one."""
    found: dict[bytes, int | None] = {}
    for start in range(0, len(hashes), _IN_BATCH):
        batch = hashes[start : start + _IN_BATCH]
        query = select(Person.id_number_hash, Person.import_id).where(Person.id_number_hash.in_(batch))
        for id_number_hash, import_id in session.execute(query):
            found[id_number_hash] = import_id
    return found


def hashes_added_after(session: Session, person_id: int) -> set[bytes]:
    return set(session.scalars(select(Person.id_number_hash).where(Person.id > person_id)))


def count_persons(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def get_import(session: Session, import_id: int) -> PersonImport | None:
    return session.get(PersonImport, import_id)


def list_persons(
    session: Session, *, cipher: PiiCipher, region_code: str | None = None, limit: int = 50
) -> list[PersonListing]:
    """Persons in registration order, masked. `region_code` may be a province, city or county."""
    query = select(Person, Region.name).join(Region, Region.code == Person.region_code).order_by(Person.id).limit(limit)
    if region_code:
        query = query.where(Person.region_code.startswith(authz.region_prefix(region_code), autoescape=True))
    return [_listing(person, region_name, cipher) for person, region_name in session.execute(query)]


def _masked_numbers(person: Person, cipher: PiiCipher) -> tuple[str, str | None]:
    """The ID and phone numbers as screens show them; the clear numbers live only inside this function."""
    phone = None if person.phone_encrypted is None else mask_phone(cipher.decrypt("phone", person.phone_encrypted))
    return mask_id_number(cipher.decrypt("id_number", person.id_number_encrypted)), phone


def _listing(person: Person, region_name: str, cipher: PiiCipher) -> PersonListing:
    id_number_masked, phone_masked = _masked_numbers(person, cipher)
    return PersonListing(
        id=person.id,
        name=person.name,
        id_number_masked=id_number_masked,
        phone_masked=phone_masked,
        region_code=person.region_code,
        region_name=region_name,
        gender=person.gender,
        birth_date=person.birth_date,
        groups=tuple(group_labels(person.population_groups)),
        employment_status=person.employment_status,
    )


# --- person pages and the page header (web) ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonSummary:
    """A person as officers see them: masked numbers, groups as their bit set (pages name them in their language)."""

    id: int
    name: str
    id_number_masked: str
    phone_masked: str | None
    region_code: str
    region_name: str
    gender: str
    birth_date: date
    population_groups: int
    employment_status: str
    registered_at: datetime
    has_signed_in: bool


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    occurred_at: datetime
    actor: str
    action: str


def search_persons(
    session: Session,
    *,
    cipher: PiiCipher,
    region_prefix: str | None,
    name: str | None = None,
    id_number_hash: bytes | None = None,
    limit: int = 50,
) -> list[PersonSummary]:
    """Persons by name (its start) or by the keyed hash of a full ID number, only inside the region prefix
    (None: everywhere). The scope is part of the SQL, so nothing outside it is ever read."""
    query = _summary_query().order_by(Person.id).limit(limit)
    if region_prefix is not None:
        query = query.where(Person.region_code.startswith(region_prefix, autoescape=True))
    if id_number_hash is not None:
        query = query.where(Person.id_number_hash == id_number_hash)
    elif name:
        query = query.where(Person.name.startswith(name, autoescape=True))
    else:
        return []
    return [_summary(row, cipher) for row in session.execute(query)]


def person_summary(session: Session, *, person_id: int, cipher: PiiCipher) -> PersonSummary | None:
    row = session.execute(_summary_query().where(Person.id == person_id)).one_or_none()
    return None if row is None else _summary(row, cipher)


def person_history(session: Session, *, person_id: int, limit: int = 200) -> list[HistoryEntry]:
    """The audit events about a person, newest first."""
    query = (
        select(AuditEvent.seq, AuditEvent.occurred_at, AuditEvent.actor, AuditEvent.action)
        .where(AuditEvent.subject_type == "person", AuditEvent.subject_id == str(person_id))
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    )
    return [HistoryEntry(*row) for row in session.execute(query)]


def _summary_query() -> Select[Person, str, int]:
    return (
        select(Person, Region.name, WorkerAccount.person_id)
        .join(Region, Region.code == Person.region_code)
        .outerjoin(WorkerAccount, WorkerAccount.person_id == Person.id)
    )


def _summary(row: Row[Person, str, int], cipher: PiiCipher) -> PersonSummary:
    person, region_name, worker_id = row
    id_number_masked, phone_masked = _masked_numbers(person, cipher)
    return PersonSummary(
        id=person.id,
        name=person.name,
        id_number_masked=id_number_masked,
        phone_masked=phone_masked,
        region_code=person.region_code,
        region_name=region_name,
        gender=person.gender,
        birth_date=person.birth_date,
        population_groups=person.population_groups,
        employment_status=person.employment_status,
        registered_at=person.created_at,
        has_signed_in=worker_id is not None,
    )


def region_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    unique = sorted(set(codes))
    if not unique:
        return {}
    rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(unique)))
    return {row.code: row.name for row in rows}


def viewer_name(session: Session, principal: Principal) -> str | None:
    """What the page header calls the signed-in principal: a staff member's or worker's name, an API key's name."""
    if principal.via_api_key:
        return session.scalar(select(ApiKey.name).where(ApiKey.id == principal.account_id))
    if principal.role is Role.WORKER:
        return session.scalar(select(Person.name).where(Person.id == principal.account_id))
    return session.scalar(select(StaffAccount.display_name).where(StaffAccount.id == principal.account_id))
