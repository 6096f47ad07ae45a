"""The read-only reference API: regions, occupations, skill levels."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_provinces_are_the_top_of_the_region_tree(client: TestClient) -> None:
    body = client.get("/api/v1/regions").json()
    assert body["parent"] is None
    assert len(body["items"]) == 34
    beijing = body["items"][0]
    assert beijing == {
        "code": "110000",
        "name": "北京市",
        "level": "province",
        "kind": "直辖市",
        "parent_code": None,
        "province_code": "110000",
        "child_count": 16,
    }


def test_children_of_a_region(client: TestClient) -> None:
    body = client.get("/api/v1/regions", params={"parent": "350200"}).json()
    assert body["parent"]["name"] == "厦门市"
    names = [item["name"] for item in body["items"]]
    assert "思明区" in names
    assert {item["level"] for item in body["items"]} == {"county"}
    assert all(item["child_count"] == 0 for item in body["items"])


def test_one_region_with_its_path(client: TestClient) -> None:
    body = client.get("/api/v1/regions/350203").json()
    assert body["name"] == "思明区"
    assert [step["name"] for step in body["path"]] == ["福建省", "厦门市", "思明区"]


def test_unknown_region_is_a_404_problem(client: TestClient) -> None:
    for url in ("/api/v1/regions/999999", "/api/v1/regions?parent=999999"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "RegionNotFound"


def test_occupations_are_searched_by_name_and_code_a_page_at_a_time(client: TestClient) -> None:
    body = client.get("/api/v1/occupations", params={"q": "养老护理"}).json()
    assert [item["code"] for item in body["items"]] == ["4-10-01-05"]
    assert body["total"] == 1

    by_code = client.get("/api/v1/occupations", params={"q": "4-10-01", "per_page": 2}).json()
    assert by_code["total"] > 2
    assert len(by_code["items"]) == 2
    assert all(item["code"].startswith("4-10-01") for item in by_code["items"])

    everything = client.get("/api/v1/occupations", params={"page": 2, "per_page": 100}).json()
    assert everything["total"] > 1000
    assert everything["items"][0]["edition"] == "2022"


def test_search_text_is_not_a_pattern(client: TestClient) -> None:
    assert client.get("/api/v1/occupations", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/v1/occupations", params={"q": "_"}).json()["total"] == 0


def test_paging_limits_are_422_problems(client: TestClient) -> None:
    for params in ({"page": 0}, {"per_page": 101}, {"q": "x" * 51}):
        response = client.get("/api/v1/occupations", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "validation_failed"


def test_skill_levels_from_entry_to_highest(client: TestClient) -> None:
    items = client.get("/api/v1/skill-levels").json()["items"]
    assert [item["level"] for item in items] == [5, 4, 3, 2, 1]
    assert items[0]["name_zh"] == "初级工"
