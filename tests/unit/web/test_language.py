"""Choosing the language: ?lang= first, then the cookie, then the configured default (Simplified Chinese)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from skillvoucher.web.i18n import LANGUAGES, compact_number, gettext, negotiate_language
from skillvoucher.web.middleware import RequestContextMiddleware, request_id_from
from skillvoucher.web.templating import switch_language_url


@pytest.mark.parametrize(
    ("requested", "cookie", "expected"),
    [
        (None, None, "zh_CN"),
        ("en", None, "en"),
        (None, "en", "en"),
        ("zh_CN", "en", "zh_CN"),
        ("fr", "en", "en"),
        ("fr", "xx", "zh_CN"),
        ("", None, "zh_CN"),
    ],
)
def test_query_beats_cookie_beats_default(requested: str | None, cookie: str | None, expected: str) -> None:
    assert negotiate_language(requested=requested, cookie=cookie, default="zh_CN") == expected


def test_the_default_can_be_english() -> None:
    assert negotiate_language(requested=None, cookie=None, default="en") == "en"


def test_national_figures_are_formatted_by_babel() -> None:
    assert compact_number(19_267_200, "zh_CN") == "1926.72万"
    assert compact_number(5_007_200, "zh_CN") == "500.72万"
    assert compact_number(19_267_200, "en") == "19.27 million"


def test_catalogues_translate() -> None:
    assert LANGUAGES == ("zh_CN", "en")
    assert gettext("zh_CN", "Vocational Training Vouchers") == "职业培训券"
    assert gettext("en", "Vocational Training Vouchers") == "Vocational Training Vouchers"


def _echo_language(request: Request) -> Response:
    return PlainTextResponse(f"{request.state.language} {switch_language_url(request, 'en')}")


def _client() -> TestClient:
    app = Starlette(routes=[Route("/", _echo_language)])
    app.add_middleware(
        RequestContextMiddleware, default_language="zh_CN", on_error=lambda _: PlainTextResponse("error", 500)
    )
    return TestClient(app)


def test_choosing_a_language_sets_a_cookie_that_later_requests_follow() -> None:
    with _client() as client:
        assert client.get("/").text.startswith("zh_CN ")
        response = client.get("/?lang=en&q=x")
        assert response.text == "en /?q=x&lang=en"
        assert "lang=en; Path=/; Max-Age=31536000; SameSite=Lax" in response.headers["set-cookie"]
        assert client.get("/").text.startswith("en ")
        assert "set-cookie" not in client.get("/?lang=en").headers  # already chosen: no new cookie
        assert client.get("/?lang=zh_CN").text.startswith("zh_CN ")
        assert client.get("/").text.startswith("zh_CN ")


def test_an_unknown_language_is_ignored() -> None:
    with _client() as client:
        response = client.get("/?lang=de")
        assert response.text.startswith("zh_CN ")
        assert "set-cookie" not in response.headers


def test_request_ids_are_echoed_when_well_formed_and_made_otherwise() -> None:
    assert request_id_from("proxy-id-12345678") == "proxy-id-12345678"
    for bad in (None, "", "short", "x" * 65, "has space in it!", "<script>alert(1)</script>"):
        made = request_id_from(bad)
        assert len(made) == 32
        assert made != bad
    with _client() as client:
        response = client.get("/", headers={"X-Request-ID": "abcdef123456"})
        assert response.headers["x-request-id"] == "abcdef123456"
        assert len(client.get("/").headers["x-request-id"]) == 32
