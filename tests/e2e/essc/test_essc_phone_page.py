"""The emulator's phone page: what a card holder sees after scanning the site's QR code."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.e2e.essc.conftest import csrf_token_of
from tests.factories.identity import make_record

from skillvoucher.app import Runtime
from skillvoucher.core import Actor
from skillvoucher.identity import register_person


def start(client: TestClient) -> str:
    response = client.post("/essc-emulator/oauth/device_authorization", data={"client_id": "skillvoucher"})
    user_code: str = response.json()["user_code"]
    return user_code


def test_without_a_code_it_asks_for_one(client: TestClient) -> None:
    page = client.get("/essc-emulator/device?lang=en")
    assert page.status_code == 200
    assert 'id="user_code"' in page.text
    assert 'id="continue"' in page.text
    assert "not the real electronic social security card" in page.text
    assert "123456" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_it_is_in_chinese_by_default_and_marked_as_an_emulator(client: TestClient) -> None:
    page = client.get("/essc-emulator/device")
    assert "电子社保卡" in page.text
    assert "模拟器" in page.text
    assert 'lang="zh-CN"' in page.text


def test_it_shows_who_asks_and_the_stable_controls(client: TestClient, runtime: Runtime) -> None:
    record = make_record(name="孙丽")
    with runtime.uow.begin() as session:
        register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("tests"))
    code = start(client)
    page = client.get("/essc-emulator/device", params={"user_code": code.lower(), "lang": "en"})
    assert page.status_code == 200
    html = page.text
    assert "Vocational Training Vouchers asks to confirm who you are" in html
    assert code in html
    for element in ('select id="holder"', 'id="pin"', 'id="confirm-pin"', 'id="confirm-face"', 'id="deny"'):
        assert element in html
    assert "孙丽" in html
    assert record.id_number not in html
    assert record.id_number[:4] + "**" in html


def test_confirming_with_the_pin_of_a_registry_person(client: TestClient, runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        person = register_person(session, record=make_record(), cipher=runtime.cipher, actor=Actor.system("tests"))
    code = start(client)
    token = csrf_token_of(client.get("/essc-emulator/device", params={"user_code": code}).text)
    form = {"csrf_token": token, "user_code": code, "holder": str(person.id), "pin": "123456", "action": "pin"}
    wrong = client.post("/essc-emulator/device?lang=en", data={**form, "pin": "111111"})
    assert wrong.status_code == 422
    assert "Wrong PIN." in wrong.text
    assert 'id="pin"' in wrong.text
    done = client.post("/essc-emulator/device?lang=en", data=form)
    assert done.status_code == 200
    assert 'data-result="approved"' in done.text
    again = client.post("/essc-emulator/device?lang=en", data={**form, "action": "deny"})
    assert again.status_code == 409
    assert "already been answered" in again.text


def test_declining(client: TestClient) -> None:
    code = start(client)
    token = csrf_token_of(client.get("/essc-emulator/device", params={"user_code": code}).text)
    done = client.post("/essc-emulator/device", data={"csrf_token": token, "user_code": code, "action": "deny"})
    assert done.status_code == 200
    assert 'data-result="denied"' in done.text


def test_an_unknown_code_says_so(client: TestClient) -> None:
    page = client.get("/essc-emulator/device", params={"user_code": "BCDF-GHJK", "lang": "en"})
    assert page.status_code == 404
    assert "No sign-in request has this code" in page.text
    assert 'id="user_code"' in page.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    code = start(client)
    client.get("/essc-emulator/device", params={"user_code": code})
    refused = client.post("/essc-emulator/device", data={"user_code": code, "action": "deny"})
    assert refused.status_code == 403
    assert client.get("/essc-emulator/device", params={"user_code": code}).status_code == 200  # still open
