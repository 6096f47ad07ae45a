"""A class roster over JSON, by the institution's API key: set, read masked, refused whole, frozen; cancelling."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.factories.identity import make_id_number, make_record
from tests.factories.training import applied_class

from skillvoucher.app import Runtime
from skillvoucher.core import Actor, utc_now
from skillvoucher.identity import Principal, Role, create_api_key, register_person


def test_an_institution_sets_reads_and_is_refused_a_roster_then_cancels(runtime: Runtime, client: TestClient) -> None:
    numbers = [make_id_number("350203") for _ in range(2)]
    with runtime.uow.begin() as session:
        school, class_id = applied_class(session, today=utc_now().date(), capacity=5)
        _, other_class = applied_class(session, today=utc_now().date())
        for number in numbers:
            record = make_record(name="李小龙", id_number=number)
            register_person(session, record=record, cipher=runtime.cipher, actor=Actor.system("test"))
        staff = Principal(Role.INSTITUTION_STAFF, 1, institution_id=school)
        _, key = create_api_key(session, institution_id=school, name="教务系统", by=staff, now=utc_now())
    bearer = {"Authorization": f"Bearer {key}"}
    roster_path = f"/api/v1/classes/{class_id}/roster"

    assert client.put(roster_path, json={"id_numbers": numbers}).status_code == 401
    refused = client.put(roster_path, json={"id_numbers": [*numbers, numbers[0], "1234"]}, headers=bearer)
    assert refused.status_code == 422
    assert refused.json()["code"] == "RosterRefused"
    assert "line 3: 与第1行重复 / repeats line 1" in refused.json()["detail"]
    assert "line 4: 身份证号码无效" in refused.json()["detail"]
    assert all(number not in refused.text for number in numbers)
    assert client.get(roster_path, headers=bearer).json()["trainees"] == []  # nothing was stored

    saved = client.put(roster_path, json={"id_numbers": numbers}, headers=bearer)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["state"], body["capacity"], body["frozen"]) == ("applied", 5, False)
    assert sorted(t["id_number_masked"] for t in body["trainees"]) == sorted(f"3502{'*' * 10}{n[-4:]}" for n in numbers)
    assert {t["name_masked"] for t in body["trainees"]} == {"李*龙"}
    assert all(number not in saved.text for number in numbers)
    assert client.get(roster_path, headers=bearer).json() == body

    elsewhere = f"/api/v1/classes/{other_class}/roster"  # another institution's class
    assert client.get(elsewhere, headers=bearer).status_code == 403
    assert client.put(elsewhere, json={"id_numbers": numbers}, headers=bearer).status_code == 403

    cancel_path = f"/api/v1/classes/{class_id}/cancellation"
    assert client.post(cancel_path, json={"reason": ""}, headers=bearer).status_code == 422
    cancelled = client.post(cancel_path, json={"reason": "招生不足"}, headers=bearer)
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["state"], cancelled.json()["reason"]) == ("cancelled", "招生不足")
    frozen = client.put(roster_path, json={"id_numbers": numbers[:1]}, headers=bearer)
    assert (frozen.status_code, frozen.json()["code"]) == (409, "RosterFrozen")
    assert client.get(roster_path, headers=bearer).json()["frozen"] is True
