"""The emulator's device flow on a real database: RFC 8628 from the QR code to the ID token, in-process."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories.essc import fixed_keys, holder
from tests.factories.identity import make_id_number, make_record

from skillvoucher.app import Runtime
from skillvoucher.core import Actor
from skillvoucher.core.clock import FixedClock
from skillvoucher.essc import EmulatorProvider, build_identity_provider
from skillvoucher.essc import emulator as essc
from skillvoucher.identity import PiiCipher, register_person
from skillvoucher.identity.ports import DeviceCodeRejected

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
CIPHER = PiiCipher(encryption_key=os.urandom(32), lookup_key=os.urandom(32))
KEYS = fixed_keys()


@pytest.fixture
def clock(runtime: Runtime) -> FixedClock:
    runtime.clock = FixedClock(START)
    return runtime.clock


def confirm(runtime: Runtime, user_code: str, *, card: essc.CardHolder, method: essc.service.Method = "pin") -> None:
    with runtime.uow.begin() as session:
        essc.approve(
            session,
            user_code=user_code,
            holder=card,
            method=method,
            pin=essc.DEMO_PIN,
            cipher=runtime.cipher,
            now=runtime.clock.now(),
        )


def test_the_whole_flow_from_qr_code_to_verified_identity(runtime: Runtime, clock: FixedClock) -> None:
    provider = build_identity_provider(runtime)
    assert isinstance(provider, EmulatorProvider)
    started = provider.start_sign_in(verification_base_url="http://127.0.0.1:8000/")
    assert started.verification_uri == "http://127.0.0.1:8000/essc-emulator/device"
    assert started.verification_uri_complete == f"{started.verification_uri}?user_code={started.user_code}"
    assert (started.expires_in, started.interval) == (600, 5)

    assert provider.poll(started.device_code).status == "pending"
    number = make_id_number("440305")
    clock.at += timedelta(seconds=20)
    confirm(runtime, started.user_code.lower(), card=holder(id_number=number, name="陈静", region_code="440300"))
    clock.at += timedelta(seconds=5)
    result = provider.poll(started.device_code)
    assert result.status == "complete"
    assert result.id_token

    identity = provider.verify_id_token(result.id_token)
    assert (identity.id_number, identity.name, identity.region_code, identity.method) == (
        number,
        "陈静",
        "440300",
        "pin",
    )
    assert identity.authenticated_at == START + timedelta(seconds=20)
    assert identity.expires_at == START + timedelta(seconds=25, minutes=5)

    with pytest.raises(DeviceCodeRejected):  # a device code yields its token once
        provider.poll(started.device_code)


def test_a_registry_person_can_confirm_with_a_face_check(runtime: Runtime, clock: FixedClock) -> None:
    record = make_record(name="赵敏", region_code="350203")
    with runtime.uow.begin() as session:
        person = register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("tests"))
    provider = EmulatorProvider(runtime)
    started = provider.start_sign_in(verification_base_url="http://testserver")
    with runtime.uow.read() as session:
        listed = essc.sample_holders(session, cipher=runtime.cipher)
        card = essc.registry_holder(session, person_id=person.id, cipher=runtime.cipher)
    assert [entry.name for entry in listed] == ["赵敏"]
    assert record.id_number not in listed[0].id_number_masked
    confirm(runtime, started.user_code, card=card, method="face")
    result = provider.poll(started.device_code)
    assert result.id_token is not None
    identity = provider.verify_id_token(result.id_token)
    assert (identity.id_number, identity.region_code, identity.method) == (record.id_number, "350203", "face")


def test_the_device_code_is_stored_hashed_and_the_id_number_encrypted(session: Session) -> None:
    grant = essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce=None, now=START)
    card = holder()
    essc.approve(session, user_code=grant.user_code, holder=card, method="pin", pin="123456", cipher=CIPHER, now=START)
    row = session.scalars(select(essc.DeviceRequest)).one()
    assert row.device_code_hash != grant.device_code.encode()
    assert len(row.device_code_hash) == 32
    assert row.holder_id_number_encrypted is not None
    assert card.id_number.encode() not in row.holder_id_number_encrypted
    assert CIPHER.decrypt("id_number", row.holder_id_number_encrypted) == card.id_number


def poll(session: Session, device_code: str, *, now: datetime, client_id: str = "skillvoucher") -> str:
    outcome = essc.exchange_device_code(
        session, device_code=device_code, client_id=client_id, issuer="iss", keys=KEYS, cipher=CIPHER, now=now
    )
    return outcome.error if isinstance(outcome, essc.TokenRefusal) else "token"


def test_each_answer_of_the_token_endpoint(session: Session) -> None:
    grant = essc.authorize_device(session, client_id="skillvoucher", scope="openid", nonce=None, now=START)
    at = START + timedelta(seconds=1)
    assert poll(session, grant.device_code, now=at) == "authorization_pending"
    assert poll(session, grant.device_code, now=at + timedelta(seconds=1)) == "slow_down"
    row = session.scalars(select(essc.DeviceRequest)).one()
    assert row.interval == 10  # RFC 8628 §3.5: five seconds more from now on
    assert poll(session, grant.device_code, now=at + timedelta(seconds=7)) == "slow_down"  # 6 s < 10 s
    assert poll(session, grant.device_code, now=at + timedelta(seconds=30)) == "authorization_pending"
    assert poll(session, "no-such-code", now=at) == "invalid_grant"
    assert poll(session, grant.device_code, now=at + timedelta(seconds=60), client_id="other") == "invalid_grant"

    essc.deny(session, user_code=grant.user_code, now=at + timedelta(seconds=61))
    assert poll(session, grant.device_code, now=at + timedelta(seconds=90)) == "access_denied"
    assert poll(session, grant.device_code, now=START + timedelta(minutes=11)) == "expired_token"


def test_an_approved_code_that_expired_gives_no_token(session: Session) -> None:
    grant = essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce=None, now=START)
    essc.approve(session, user_code=grant.user_code, holder=holder(), method="face", pin=None, cipher=CIPHER, now=START)
    assert poll(session, grant.device_code, now=START + timedelta(minutes=10)) == "expired_token"


def test_a_token_is_handed_over_once(session: Session) -> None:
    grant = essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce="n-0S6_WzA2Mj", now=START)
    essc.approve(
        session, user_code=grant.user_code, holder=holder(), method="pin", pin="123456", cipher=CIPHER, now=START
    )
    outcome = essc.exchange_device_code(
        session,
        device_code=grant.device_code,
        client_id="skillvoucher",
        issuer="iss",
        keys=KEYS,
        cipher=CIPHER,
        now=START,
    )
    assert isinstance(outcome, essc.IssuedToken)
    assert poll(session, grant.device_code, now=START + timedelta(seconds=10)) == "invalid_grant"


def test_the_phone_refuses_a_wrong_pin_and_a_second_answer(session: Session) -> None:
    grant = essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce=None, now=START)
    with pytest.raises(essc.WrongPin):
        essc.approve(
            session, user_code=grant.user_code, holder=holder(), method="pin", pin="000000", cipher=CIPHER, now=START
        )
    assert essc.open_request(session, user_code=grant.user_code, now=START).status == "pending"
    essc.deny(session, user_code=grant.user_code, now=START)
    with pytest.raises(essc.DeviceRequestClosed) as closed:
        essc.approve(
            session, user_code=grant.user_code, holder=holder(), method="face", pin=None, cipher=CIPHER, now=START
        )
    assert closed.value.code == "DeviceRequestAnswered"


def test_the_phone_refuses_unknown_and_expired_codes(session: Session) -> None:
    grant = essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce=None, now=START)
    with pytest.raises(essc.UserCodeNotFound):
        essc.open_request(session, user_code="BCDF-GHJK" if grant.user_code != "BCDF-GHJK" else "BCDF-GHJL", now=START)
    with pytest.raises(essc.UserCodeNotFound):
        essc.open_request(session, user_code="not a code", now=START)
    with pytest.raises(essc.DeviceRequestClosed) as closed:
        essc.deny(session, user_code=grant.user_code, now=START + timedelta(minutes=10))
    assert closed.value.code == "DeviceRequestExpired"


@pytest.mark.parametrize(
    ("client_id", "scope", "error"),
    [("", None, "invalid_client"), ("a b", None, "invalid_client"), ("skillvoucher", "profile", "invalid_scope")],
)
def test_unusable_device_authorization_requests(
    session: Session, client_id: str, scope: str | None, error: str
) -> None:
    with pytest.raises(essc.DeviceAuthorizationRefused) as refused:
        essc.authorize_device(session, client_id=client_id, scope=scope, nonce=None, now=START)
    assert refused.value.error == error


def test_requests_long_expired_are_cleaned_up(session: Session) -> None:
    essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce=None, now=START)
    essc.authorize_device(session, client_id="skillvoucher", scope=None, nonce=None, now=START + timedelta(days=2))
    assert len(session.scalars(select(essc.DeviceRequest)).all()) == 1


def test_typed_holders_are_checked() -> None:
    today = START.date()
    number = make_id_number("110105")
    assert essc.typed_holder(id_number=number.lower(), name=" 李雷 ", region_code="", today=today) == essc.CardHolder(
        id_number=number, name="李雷", region_code="110105"
    )
    for id_number, name, region, code in [
        (number[:17] + ("0" if number[17] != "0" else "1"), "李雷", "", "HolderIdNumberInvalid"),
        (number, "  ", "", "HolderNameInvalid"),
        (number, "李雷", "11010", "HolderRegionInvalid"),
    ]:
        with pytest.raises(essc.HolderInvalid) as refused:
            essc.typed_holder(id_number=id_number, name=name, region_code=region, today=today)
        assert refused.value.code == code
        assert number not in refused.value.message


def test_two_sites_polling_at_once_get_one_token(runtime: Runtime, clock: FixedClock) -> None:
    """Real concurrent connections: the row lock lets exactly one poll take the token."""
    provider = EmulatorProvider(runtime)
    started = provider.start_sign_in(verification_base_url="http://testserver")
    confirm(runtime, started.user_code, card=holder())
    barrier = threading.Barrier(4)
    results: list[str] = []

    def poll_once() -> None:
        barrier.wait()
        try:
            results.append(provider.poll(started.device_code).status)
        except DeviceCodeRejected:
            results.append("rejected")

    threads = [threading.Thread(target=poll_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["complete", "rejected", "rejected", "rejected"]
