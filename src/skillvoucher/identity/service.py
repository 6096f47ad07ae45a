"""Write actions on the worker registry. Callers own the transaction; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.core import Actor, utc_now
from skillvoucher.identity import queries
from skillvoucher.identity.bulk import PERSONS, StoreResult, seal, seal_batch, store_batch
from skillvoucher.identity.errors import PersonAlreadyRegistered
from skillvoucher.identity.models import Person
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import mask_id_number, normalize


def register_person(session: Session, *, record: PersonRecord, cipher: PiiCipher, actor: Actor) -> Person:
    """Add one person; raise PersonAlreadyRegistered if the ID number is already in the registry."""
    (sealed,) = seal([record], cipher)
    now = utc_now()
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(PERSONS)
        .values(**sealed._asdict(), import_id=None, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["id_number_hash"])
        .returning(PERSONS.c.id)
    )
    person_id = session.scalar(statement)  # the unique constraint, not a prior look-up, decides
    if person_id is None:
        existing = queries.person_by_id_number_hash(session, sealed.id_number_hash)
        raise PersonAlreadyRegistered(mask_id_number(record.id_number), existing.id if existing else None)
    person = session.get_one(Person, person_id)
    audit.record(
        session,
        actor=actor,
        action="person.registered",
        subject_type="person",
        subject_id=person.id,
        data={
            "region_code": record.region_code,
            "population_groups": record.population_groups,
            "employment_status": record.employment_status,
        },
    )
    return person


def find_person_by_id_number(session: Session, cipher: PiiCipher, id_number: str) -> Person | None:
    """Look a person up by resident ID number, as typed (formatting is normalized first)."""
    return queries.person_by_id_number_hash(session, cipher.lookup_hash("id_number", normalize(id_number)))


def find_person_ids_by_id_numbers(session: Session, cipher: PiiCipher, id_numbers: Sequence[str]) -> dict[str, int]:
    """Many look-ups at once (a class roster): each registered number, normalized, with its person's id."""
    by_hash = {cipher.lookup_hash("id_number", normalize(number)): normalize(number) for number in id_numbers}
    return {
        by_hash[h]: person_id for h, person_id in queries.person_ids_by_id_number_hash(session, list(by_hash)).items()
    }


def store_records(
    session: Session, records: Sequence[PersonRecord], *, cipher: PiiCipher, import_id: int | None
) -> StoreResult:
    """Add many validated persons at once (imports, demo data); those already registered are left as they are.

    Writes no audit event: the caller records one per chunk, with counts only.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    return store_batch(session, seal_batch(records, cipher, postgres=postgres), import_id=import_id)
