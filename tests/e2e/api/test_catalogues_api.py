from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from tests.factories.training import CARE, demand, listed_school

from skillvoucher.app import Runtime
from skillvoucher.core import utc_now
from skillvoucher.identity.api_keys import create_api_key
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.training import decide_class

OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code="350200")


def test_an_institution_publishes_and_applies_by_api_key_and_the_public_finds_it(
    runtime: Runtime, client: TestClient
) -> None:
    with runtime.uow.begin() as session:
        school = listed_school(session)
        demand(session, valid_from=date(2020, 1, 1))
        staff = Principal(Role.INSTITUTION_STAFF, 1, institution_id=school)
        _, key = create_api_key(session, institution_id=school, name="教务系统", by=staff, now=utc_now())
    bearer = {"Authorization": f"Bearer {key}"}
    course = {
        "occupation_code": CARE, "level": 4, "title": "养老护理员（四级）周末班", "hours": 120, "price_fen": 180000,
        "mode": "in_person", "address": "湖滨南路100号", "region_code": "350203", "capacity": 40,
    }  # fmt: skip
    assert client.post("/api/v1/courses", json=course).status_code == 401
    refused = client.post("/api/v1/courses", json={**course, "level": 2}, headers=bearer)
    assert refused.status_code == 403
    assert refused.json()["code"] == "OutsideRegisteredScope"
    published = client.post("/api/v1/courses", json=course, headers=bearer)
    assert published.status_code == 201, published.text
    start = utc_now().date() + timedelta(days=30)
    applied = client.post(
        "/api/v1/classes",
        headers=bearer,
        json={
            "course_id": published.json()["id"], "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=10)).isoformat(), "capacity": 30, "assessment_plan": "第三方评价",
            "sessions": [{"starts_at": f"{start}T01:00:00Z", "ends_at": f"{start}T04:00:00Z", "topic": "理论",
                          "place": "301"}],
            "teachers": [{"name": "王老师", "qualification": "高级技师"}],
        },
    )  # fmt: skip
    assert applied.status_code == 201, applied.text
    assert client.post(f"/api/v1/classes/{applied.json()['id']}/decision", json={"approve": True}).status_code == 401
    assert client.get("/api/v1/class-applications", params={"region": "350200"}).status_code == 401
    assert client.get("/api/v1/class-applications", headers=bearer).status_code == 403  # institutions do not read it
    assert client.get("/api/v1/courses", params={"q": "ylhly"}).json()["items"] == []
    with runtime.uow.begin() as session:
        decide_class(session, class_id=applied.json()["id"], approve=True, by=OFFICER)
    found = client.get("/api/v1/courses", params={"q": "ylhly", "region": "350000", "near": "350205"}).json()
    assert [(item["title"], item["distance"]) for item in found["items"]] == [("养老护理员（四级）周末班", 1)]
    detail = client.get(f"/api/v1/institutions/{school}").json()
    assert detail["accreditation"] == "accredited"
    assert detail["scope"] == [{"occupation_code": CARE, "level": 4}]
    assert "bank_account_number" not in detail
    catalogue = client.get("/api/v1/demand-catalogue", params={"region": "350200"}).json()
    assert [(line["occupation_code"], line["level"], line["subsidy_fen"]) for line in catalogue] == [(CARE, 4, 150000)]
