"""/api/v1/statistics on both databases: a reader's scope and nothing above or beside it, the breakdowns and their
totals, the filters, unknown regions; and figures that arise from a real issuance batch."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.factories.accounts import make_staff, sign_in
from tests.factories.stats import FUJIAN, HULI, SIMING, TIANHE, XIAMEN, Counted, counted_world
from tests.factories.vouchers import OFFICER, TODAY, person, terms

from skillvoucher.app import Runtime
from skillvoucher.identity import Role
from skillvoucher.jobs import run_job
from skillvoucher.vouchers import batch_step, define_policy, start_batch

PROBLEM = "application/problem+json"


@pytest.fixture
def world(runtime: Runtime) -> Counted:
    with runtime.uow.begin() as session:
        return counted_world(session)


def _signed_in(client: TestClient, runtime: Runtime, role: Role, region: str | None) -> TestClient:
    user = make_staff(runtime, f"{role.value}-{region}", role, region_code=region)
    assert sign_in(client, user).status_code == 303
    return client


def _get(client: TestClient, path: str, **params: str) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_city_officer_reads_the_city_and_its_counties_only(
    client: TestClient, runtime: Runtime, world: Counted
) -> None:
    _signed_in(client, runtime, Role.BUREAU_OFFICER, XIAMEN)
    city = _get(client, f"/api/v1/statistics/{XIAMEN}")
    assert city["scope"] == {"code": XIAMEN, "name": "厦门市", "level": "city", "parent_code": FUJIAN}
    expected = world.xiamen
    totals = city["totals"]
    measures = ("issued", "claimed", "used", "trainees", "completed", "certified", "classes", "held_fen")
    assert {m: totals[m] for m in measures} == {m: expected[m] for m in measures}
    assert city["institutions"] == 2  # both schools are accredited, in Siming
    assert totals["use_rate"] == pytest.approx(expected["used"] / expected["issued"])

    counties = _get(client, f"/api/v1/statistics/{XIAMEN}/regions")
    issued = {row["key"]: row["totals"]["issued"] for row in counties["rows"]}
    assert (issued[SIMING], issued[HULI]) == (expected["siming_issued"], expected["huli_issued"])
    assert sum(issued.values()) == counties["total"]["issued"] == expected["issued"]
    assert _get(client, f"/api/v1/statistics/{SIMING}")["totals"]["issued"] == expected["siming_issued"]
    assert _get(client, f"/api/v1/statistics/{SIMING}/regions")["rows"] == []  # a county has no sub-regions

    for outside in (FUJIAN, "000000", TIANHE, "350102"):
        refused = client.get(f"/api/v1/statistics/{outside}/months")
        assert refused.status_code == 403, outside
        assert refused.headers["content-type"] == PROBLEM
        assert refused.json()["code"] == "Forbidden"
    unknown = client.get("/api/v1/statistics/350299")  # inside Xiamen's codes, but no such county
    assert (unknown.status_code, unknown.json()["code"]) == (404, "UnknownScope")


def test_an_administrator_reads_the_nation(client: TestClient, runtime: Runtime, world: Counted) -> None:
    _signed_in(client, runtime, Role.ADMIN, None)
    nation = _get(client, "/api/v1/statistics/000000")
    assert nation["scope"]["name"] == "全国"
    assert nation["totals"]["issued"] == world.xiamen["issued"] + 50_000  # and Fuzhou
    provinces = _get(client, "/api/v1/statistics/000000/regions")
    assert len(provinces["rows"]) >= 31
    assert {row["key"]: row["totals"]["issued"] for row in provinces["rows"]}[FUJIAN] == nation["totals"]["issued"]
    assert client.get("/api/v1/statistics/999999").status_code == 404


def test_breakdowns_filters_and_labels(client: TestClient, runtime: Runtime, world: Counted) -> None:
    _signed_in(client, runtime, Role.AUDITOR, XIAMEN)
    base = f"/api/v1/statistics/{XIAMEN}"
    months = _get(client, f"{base}/months")
    assert [row["key"] for row in months["rows"]] == ["202601", "202602", "202603"]
    assert [row["label"] for row in months["rows"]] == ["2026年1月", "2026年2月", "2026年3月"]
    assert sum(row["totals"]["used"] for row in months["rows"]) == months["total"]["used"] == 8_500

    february = _get(client, base, **{"from": "2026-02", "to": "2026-02"})
    assert february["filters"] == {"month_from": "2026-02", "month_to": "2026-02", "kind": None, "policy_id": None}
    assert february["totals"]["issued"] == 4_000 + 8_000
    assert _get(client, base, kind="general")["totals"]["issued"] == 4_000 + 1_234
    assert _get(client, base, policy=str(world.face_policy))["totals"]["issued"] == world.xiamen["face_issued"]
    assert _get(client, base, policy=str(world.fuzhou_policy))["totals"]["issued"] == 0

    kinds = _get(client, f"{base}/kinds")
    assert {row["key"]: row["label"] for row in kinds["rows"]} == {
        "face_value": "面值券",
        "general": "通用券",
        "none": "开班（不属于任何培训券政策）",
    }
    assert sum(row["totals"]["classes"] for row in kinds["rows"]) == kinds["total"]["classes"] == 5
    groups = _get(client, f"{base}/groups")
    assert groups["total"] is None  # a person may be in several groups
    assert {row["label"]: row["totals"]["issued"] for row in groups["rows"]} == {
        "登记失业人员": 12_000 + 4_000 + 1_234,
        "农民工": 4_000 + 8_000,
    }
    occupations = _get(client, f"{base}/occupations")
    assert [(row["key"], row["label"], row["totals"]["used"]) for row in occupations["rows"]] == [
        ("4-10-01-05:4", "养老护理员（中级工）", 6_500),
        ("4-03-02-01:5", "中式烹调师（初级工）", 2_000),
    ]
    assert occupations["row_count"] == 2
    largest = _get(client, f"{base}/occupations", limit="1")  # a long table's largest rows, and how many in all
    assert (largest["rows"], largest["row_count"]) == (occupations["rows"][:1], 2)
    policies = _get(client, f"{base}/policies", limit="1")
    assert [(row["key"], row["totals"]["issued"]) for row in policies["rows"]] == [(str(world.face_policy), 20_000)]
    assert policies["row_count"] == 3  # two policies and the row of no policy (approved classes)
    assert policies["total"]["issued"] == 25_234  # the scope's totals, whatever the cut
    institutions = _get(client, f"{base}/institutions")
    assert institutions["rows"][0] == {
        "key": str(world.school),
        "label": "厦门鹭岛职业培训学校",
        "totals": institutions["rows"][0]["totals"] | {"used": 6_500, "certified": 2_500},
    }
    pilot = _get(client, f"{base}/pilot")
    assert [row["key"] for row in pilot["rows"]] == ["pilot", "rollout"]
    assert sum(row["totals"]["issued"] for row in pilot["rows"]) == pilot["total"]["issued"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/statistics/350200", {"from": "2026-13"}),
        ("/api/v1/statistics/350200", {"from": "2026-03", "to": "2026-01"}),
        ("/api/v1/statistics/350200", {"kind": "gold"}),
        ("/api/v1/statistics/350200/policies", {"limit": "0"}),
        ("/api/v1/statistics/350200/everything", {}),
        ("/api/v1/statistics/3502", {}),
    ],
)
def test_bad_requests_are_refused_with_a_problem(
    client: TestClient, runtime: Runtime, path: str, params: dict[str, str]
) -> None:
    _signed_in(client, runtime, Role.BUREAU_OFFICER, XIAMEN)
    refused = client.get(path, params=params)
    assert refused.status_code in (404, 422)
    assert refused.headers["content-type"] == PROBLEM


def test_the_figures_of_a_real_batch(client: TestClient, runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        for region in (SIMING, SIMING, HULI):
            person(session, runtime.cipher, region_code=region)
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
    run_job(runtime.uow, job.id, batch_step(chunk_persons=2))
    _signed_in(client, runtime, Role.BUREAU_OFFICER, XIAMEN)
    counties = _get(client, f"/api/v1/statistics/{XIAMEN}/regions")
    assert {row["key"]: row["totals"]["issued"] for row in counties["rows"] if row["totals"]["issued"]} == {
        SIMING: 2,
        HULI: 1,
    }
    assert _get(client, f"/api/v1/statistics/{XIAMEN}/kinds")["rows"][0]["totals"]["issued"] == 3
