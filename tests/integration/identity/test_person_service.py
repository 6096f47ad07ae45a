"""Registering persons: one person once, personal data only encrypted at rest, audited without clear numbers."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests.factories.identity import make_id_number, make_phone, make_record

from skillvoucher.audit import AuditEvent
from skillvoucher.core import Actor
from skillvoucher.identity import (
    Person,
    PersonAlreadyRegistered,
    PiiCipher,
    find_person_by_id_number,
    register_person,
    seal_batch,
    store_batch,
    store_records,
)

ACTOR = Actor.operator("tests")


@pytest.fixture
def cipher() -> PiiCipher:
    return PiiCipher(encryption_key=os.urandom(32), lookup_key=os.urandom(32))


def test_register_and_find_by_id_number_as_typed(session: Session, cipher: PiiCipher) -> None:
    record = make_record(phone=make_phone())
    person = register_person(session, record=record, cipher=cipher, actor=ACTOR)
    assert person.id is not None
    assert (person.gender, person.birth_date, person.region_code) == (record.gender, record.birth_date, "110105")
    typed = " " + record.id_number.lower().replace("x", "x") + " "
    assert find_person_by_id_number(session, cipher, typed) == person
    assert find_person_by_id_number(session, cipher, make_id_number()) is None


def test_one_person_exists_once(session: Session, cipher: PiiCipher) -> None:
    record = make_record()
    first = register_person(session, record=record, cipher=cipher, actor=ACTOR)
    with pytest.raises(PersonAlreadyRegistered) as caught:
        register_person(
            session, record=make_record(name="另一个名字", id_number=record.id_number), cipher=cipher, actor=ACTOR
        )
    assert caught.value.person_id == first.id
    assert record.id_number not in caught.value.message
    assert record.id_number[:4] + "**********" + record.id_number[-4:] in caught.value.message
    assert session.scalar(select(Person.name).where(Person.id == first.id)) == record.name


def test_numbers_are_stored_only_encrypted(session: Session, cipher: PiiCipher) -> None:
    record = make_record(phone=make_phone())
    person = register_person(session, record=record, cipher=cipher, actor=ACTOR)
    raw = session.execute(text("SELECT * FROM persons WHERE id = :id"), {"id": person.id}).mappings().one()
    stored = b"".join(value if isinstance(value, bytes) else str(value).encode() for value in raw.values())
    assert record.id_number.encode() not in stored
    assert record.id_number[:17].encode() not in stored
    assert record.phone is not None
    assert record.phone.encode() not in stored
    assert cipher.decrypt("id_number", raw["id_number_encrypted"]) == record.id_number
    assert cipher.decrypt("phone", raw["phone_encrypted"]) == record.phone
    assert raw["id_number_hash"] == cipher.lookup_hash("id_number", record.id_number)


def test_registration_is_audited_without_clear_numbers(session: Session, cipher: PiiCipher) -> None:
    record = make_record(phone=make_phone())
    person = register_person(session, record=record, cipher=cipher, actor=ACTOR)
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "person.registered", AuditEvent.subject_id == str(person.id))
    ).one()
    assert event.actor == "operator:tests"
    assert record.id_number not in event.data
    assert record.phone is not None
    assert record.phone not in event.data


def test_store_records_adds_the_new_and_names_the_rest(session: Session, cipher: PiiCipher) -> None:
    known = make_record()
    register_person(session, record=known, cipher=cipher, actor=ACTOR)
    fresh = [make_record(phone=make_phone()) for _ in range(3)]
    records = [fresh[0], known, fresh[1], fresh[0], fresh[2]]
    result = store_records(session, records, cipher=cipher, import_id=None)
    assert (result.added, result.existing) == (3, 2)
    assert result.existing_positions == (1, 3)
    assert result.repeated_positions == (3,)  # position 1 was registered before: existing, not a repeat
    again = store_records(session, records, cipher=cipher, import_id=None)  # same transaction, stages again
    assert (again.added, again.existing, again.existing_positions) == (0, 5, (0, 1, 2, 3, 4))
    assert store_records(session, [], cipher=cipher, import_id=None).added == 0


def test_store_records_keeps_what_the_first_row_says(session: Session, cipher: PiiCipher) -> None:
    number = make_id_number()
    result = store_records(
        session,
        [make_record(name="先来", id_number=number), make_record(name="后到", id_number=number)],
        cipher=cipher,
        import_id=None,
    )
    assert result.repeated_positions == (1,)
    person = find_person_by_id_number(session, cipher, number)
    assert person is not None
    assert person.name == "先来"


def test_names_with_copy_special_characters_round_trip(session: Session, cipher: PiiCipher) -> None:
    records = [make_record(name="O\\Brien"), make_record(name="Tab\there"), make_record(name="N\\N")]
    assert store_records(session, records, cipher=cipher, import_id=None).added == 3
    for record in records:
        person = find_person_by_id_number(session, cipher, record.id_number)
        assert person is not None
        assert person.name == record.name


def test_a_batch_sealed_for_one_database_is_refused_by_the_other(session: Session, cipher: PiiCipher) -> None:
    postgres = session.get_bind().dialect.name == "postgresql"
    batch = seal_batch([make_record()], cipher, postgres=not postgres)
    with pytest.raises(ValueError, match="sealed for"):
        store_batch(session, batch, import_id=None)
