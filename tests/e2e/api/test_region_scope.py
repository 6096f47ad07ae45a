"""Region scope, spelled out: GB/T 2260 codes nest, so a province officer sees all its cities and counties, a city
officer only their city, and lists are filtered in SQL (nothing outside the scope is even read)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.factories.accounts import csrf, make_staff, sign_in
from tests.factories.identity import make_id_number, make_record

from skillvoucher.app import Runtime
from skillvoucher.core import Actor
from skillvoucher.identity import Role, register_person
from skillvoucher.web.app import create_app


def test_a_city_officer_cannot_read_or_change_anything_of_another_city(runtime: Runtime) -> None:
    app = create_app(runtime)
    with runtime.uow.begin() as session:
        fuzhou = register_person(
            session,
            record=make_record(name="林福州", region_code="350102"),
            cipher=runtime.cipher,
            actor=Actor.system("test"),
        )
        siming = register_person(
            session,
            record=make_record(name="林思明", region_code="350203"),
            cipher=runtime.cipher,
            actor=Actor.system("test"),
        )
        fuzhou_id, siming_id = fuzhou.id, siming.id
    colleague = make_staff(runtime, "fz.officer", Role.BUREAU_OFFICER, region_code="350100")
    officer = make_staff(runtime, "xm.officer", Role.BUREAU_OFFICER, region_code="350200")
    with TestClient(app) as client:
        assert sign_in(client, officer).status_code == 303
        token = {"X-CSRF-Token": csrf(client)}
        assert client.get(f"/persons/{siming_id}").status_code == 200
        assert client.get(f"/api/v1/persons/{siming_id}").status_code == 200
        assert client.get(f"/persons/{fuzhou_id}").status_code == 403
        assert client.get(f"/api/v1/persons/{fuzhou_id}").status_code == 403
        assert client.get(f"/staff/{colleague.id}").status_code == 403
        assert client.post(f"/api/v1/staff/{colleague.id}/disable", headers=token).status_code == 403
        assert client.post(f"/api/v1/staff/{colleague.id}/reset-password", headers=token).status_code == 403
        made = client.post(
            "/api/v1/staff",
            headers=token,
            json={"username": "fz-new", "display_name": "x", "role": "auditor", "region_code": "350102"},
        )
        assert made.status_code == 403
        # searches are limited in SQL: the other city's people are not even read
        names = [p["name"] for p in client.get("/api/v1/persons", params={"q": "林"}).json()["items"]]
        assert names == ["林思明"]
        assert "fz.officer" not in [s["username"] for s in client.get("/api/v1/staff").json()["items"]]
        page = client.post("/persons", data={"q": "林", "csrf_token": token["X-CSRF-Token"]}).text
        assert "林思明" in page
        assert "林福州" not in page


def test_a_province_officer_sees_all_its_cities_and_counties(runtime: Runtime) -> None:
    app = create_app(runtime)
    with runtime.uow.begin() as session:
        for name, region in (("黄福州", "350102"), ("黄思明", "350203"), ("黄广州", "440106")):
            register_person(
                session,
                record=make_record(name=name, region_code=region),
                cipher=runtime.cipher,
                actor=Actor.system("test"),
            )
    officer = make_staff(runtime, "fj.officer", Role.BUREAU_OFFICER, region_code="350000")
    with TestClient(app) as client:
        assert sign_in(client, officer).status_code == 303
        names = sorted(p["name"] for p in client.get("/api/v1/persons", params={"q": "黄"}).json()["items"])
    assert names == ["黄思明", "黄福州"]


def test_a_full_id_number_finds_the_person_in_scope_only(runtime: Runtime) -> None:
    app = create_app(runtime)
    inside, outside = make_id_number("350203"), make_id_number("440106")
    with runtime.uow.begin() as session:
        for number, region in ((inside, "350203"), (outside, "440106")):
            register_person(
                session,
                record=make_record(id_number=number, region_code=region),
                cipher=runtime.cipher,
                actor=Actor.system("test"),
            )
    officer = make_staff(runtime, "xm.reader", Role.AUDITOR, region_code="350200")
    with TestClient(app) as client:
        assert sign_in(client, officer).status_code == 303
        found = client.get("/api/v1/persons", params={"q": inside.lower()}).json()
        assert found["query_kind"] == "id_number"
        assert [p["id_number_masked"] for p in found["items"]] == [inside[:4] + "*" * 10 + inside[-4:]]
        assert client.get("/api/v1/persons", params={"q": outside}).json()["items"] == []
        partial = client.get("/api/v1/persons", params={"q": inside[:10]}).json()
        assert partial["query_kind"] == "partial_number"
        assert partial["items"] == []
        assert inside not in client.get("/api/v1/persons", params={"q": inside}).text
