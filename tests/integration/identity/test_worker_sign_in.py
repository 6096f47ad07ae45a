from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories.access import verified_identity
from tests.factories.identity import make_id_number, make_record, wrong_check_character

from skillvoucher.core import Actor, Forbidden, utc_now
from skillvoucher.identity.account_models import WorkerAccount
from skillvoucher.identity.models import Person
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.ports import IdentityTokenRejected
from skillvoucher.identity.service import register_person
from skillvoucher.identity.worker_sign_in import confirm_real_name, sign_in_worker, sign_out_worker_everywhere


def test_first_sign_in_registers_the_person_and_links_an_account(session: Session, cipher: PiiCipher) -> None:
    number = make_id_number("350203")
    result = sign_in_worker(
        session, identity=verified_identity(number, name="王小明"), provider="emulator", cipher=cipher, now=utc_now()
    )
    assert result.registered
    assert result.person.name == "王小明"
    assert result.person.region_code == "350203"
    assert number.encode() not in result.person.id_number_encrypted
    assert session.get(WorkerAccount, result.person.id) is result.account


def test_known_person_is_linked_by_keyed_hash(session: Session, cipher: PiiCipher) -> None:
    number = make_id_number("350203")
    person = register_person(
        session, record=make_record(id_number=number, region_code="350203"), cipher=cipher, actor=Actor.system("test")
    )
    result = sign_in_worker(
        session, identity=verified_identity(number.lower()), provider="emulator", cipher=cipher, now=utc_now()
    )
    assert not result.registered
    assert result.person.id == person.id
    assert session.scalars(select(Person).where(Person.id == person.id)).one().name == "张三"  # registry kept


def test_a_token_is_spent_once(session: Session, cipher: PiiCipher) -> None:
    identity = verified_identity(make_id_number("350203"))
    sign_in_worker(session, identity=identity, provider="emulator", cipher=cipher, now=utc_now())
    with pytest.raises(IdentityTokenRejected, match="already used"):
        sign_in_worker(session, identity=identity, provider="emulator", cipher=cipher, now=utc_now())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"region_code": "999999"}, "issuing region"),
        ({"expires_at": utc_now() - timedelta(seconds=1)}, "expired"),
        ({"authenticated_at": utc_now() - timedelta(hours=1)}, "too old"),
    ],
)
def test_bad_tokens_are_refused_and_register_no_one(
    session: Session, cipher: PiiCipher, change: dict[str, object], message: str
) -> None:
    before = session.query(Person).count()
    identity = replace(verified_identity(make_id_number("350203")), **change)  # type: ignore[arg-type]
    with pytest.raises(IdentityTokenRejected, match=message):
        sign_in_worker(session, identity=identity, provider="emulator", cipher=cipher, now=utc_now())
    assert session.query(Person).count() == before


def test_invalid_id_number_in_a_token_is_refused(session: Session, cipher: PiiCipher) -> None:
    bad = wrong_check_character(make_id_number("350203"))
    with pytest.raises(IdentityTokenRejected, match="ID number"):
        sign_in_worker(session, identity=verified_identity(bad), provider="emulator", cipher=cipher, now=utc_now())


def test_step_up_must_come_from_the_signed_in_person(session: Session, cipher: PiiCipher) -> None:
    me = sign_in_worker(
        session, identity=verified_identity(make_id_number("350203")), provider="emulator", cipher=cipher, now=utc_now()
    )
    other_number = make_id_number("350203")
    sign_in_worker(session, identity=verified_identity(other_number), provider="emulator", cipher=cipher, now=utc_now())
    mine = verified_identity(_number_of(me.person, cipher))
    assert (
        confirm_real_name(
            session, identity=mine, provider="emulator", person_id=me.person.id, cipher=cipher, now=utc_now()
        )
        == mine.authenticated_at
    )
    with pytest.raises(Forbidden, match="different person"):
        confirm_real_name(
            session,
            identity=verified_identity(other_number),
            provider="emulator",
            person_id=me.person.id,
            cipher=cipher,
            now=utc_now(),
        )


def test_sign_out_everywhere_bumps_the_epoch(session: Session, cipher: PiiCipher) -> None:
    result = sign_in_worker(
        session, identity=verified_identity(make_id_number("350203")), provider="emulator", cipher=cipher, now=utc_now()
    )
    epoch = result.account.session_epoch
    sign_out_worker_everywhere(session, person_id=result.person.id)
    assert result.account.session_epoch == epoch + 1


def _number_of(person: Person, cipher: PiiCipher) -> str:
    return cipher.decrypt("id_number", person.id_number_encrypted)
