"""The pages over HTTP: language, the reference browsers, htmx fragments, error pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from skillvoucher.app import Runtime
from skillvoucher.web.app import create_app

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime), raise_server_exceptions=False) as test_client:
        yield test_client


def test_home_is_in_chinese_by_default_with_the_national_figures(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="zh-CN">' in html
    assert "职业培训券" in html
    assert '<span class="figure-number">1926.72万</span>张' in html
    assert '<span class="figure-number">500.72万</span>张' in html
    assert "2020年在11个省份的38个城市试点" in html
    assert 'href="/?lang=en"' in html
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_home_in_english_and_the_choice_is_remembered(client: TestClient) -> None:
    html = client.get("/", params={"lang": "en"}).text
    assert '<html lang="en">' in html
    assert '<span class="figure-number">19.27 million</span> vouchers' in html
    assert '<span class="figure-number">5.01 million</span> vouchers' in html
    assert "A skill top-up card for every worker" in html
    assert '<html lang="en">' in client.get("/occupations").text  # the cookie


def test_static_files_are_served_locally(client: TestClient) -> None:
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")


def test_region_pages_drill_down(client: TestClient) -> None:
    provinces = client.get("/regions").text
    assert "福建省" in provinces
    assert 'href="/regions/350000"' in provinces

    county = client.get("/regions/350203").text
    assert "思明区" in county
    assert "厦门市下辖" in county
    assert county.count('class="region-column"') == 3


def test_htmx_gets_only_the_fragment_and_an_updated_language_switch(client: TestClient) -> None:
    fragment = client.get("/regions/350200", headers=HTMX)
    assert "HX-Request" in fragment.headers["vary"]
    assert fragment.text.lstrip().startswith('<div id="region-browser"')
    assert "<html" not in fragment.text
    assert 'hx-swap-oob="true"' in fragment.text
    assert 'href="/regions/350200?lang=en"' in fragment.text


def test_history_restores_and_boosted_links_get_the_whole_page(client: TestClient) -> None:
    for extra in ({"HX-History-Restore-Request": "true"}, {"HX-Boosted": "true"}):
        assert "<html" in client.get("/regions/350200", headers=HTMX | extra).text


def test_the_language_switch_never_links_to_another_site(client: TestClient) -> None:
    html = client.get("http://testserver//evil.example/x").text
    assert 'href="/evil.example/x?lang=en"' in html
    assert "//evil.example" not in html


def test_occupation_search_page(client: TestClient) -> None:
    html = client.get("/occupations", params={"q": "养老"}).text
    assert "养老护理员" in html
    assert "4-10-01-05" in html
    fragment = client.get("/occupations", params={"q": "zzz-nothing"}, headers=HTMX).text
    assert fragment.lstrip().startswith('<section id="occupation-results"')
    assert "没有符合条件的职业" in fragment


def test_unknown_pages_and_regions_render_a_friendly_404(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "页面不存在" in response.text
    assert "返回首页" in response.text
    assert "Page not found" in client.get("/no-such-page", params={"lang": "en"}).text

    region = client.get("/regions/999999")
    assert region.status_code == 404
    assert "999999" in region.text


def test_a_bad_page_parameter_is_a_422_page(client: TestClient) -> None:
    response = client.get("/occupations", params={"page": "0"})
    assert response.status_code == 422
    assert "填写的信息有误" in response.text
