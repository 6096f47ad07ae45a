"""The worker registry's reads. Listings decrypt only to mask: clear-text numbers never leave this module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from skillvoucher.catalog import Region
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
        query = query.where(
            or_(
                Person.region_code == region_code,
                Region.parent_code == region_code,
                Region.province_code == region_code,
            )
        )
    return [_listing(person, region_name, cipher) for person, region_name in session.execute(query)]


def _listing(person: Person, region_name: str, cipher: PiiCipher) -> PersonListing:
    phone = None if person.phone_encrypted is None else mask_phone(cipher.decrypt("phone", person.phone_encrypted))
    return PersonListing(
        id=person.id,
        name=person.name,
        id_number_masked=mask_id_number(cipher.decrypt("id_number", person.id_number_encrypted)),
        phone_masked=phone,
        region_code=person.region_code,
        region_name=region_name,
        gender=person.gender,
        birth_date=person.birth_date,
        groups=tuple(group_labels(person.population_groups)),
        employment_status=person.employment_status,
    )
