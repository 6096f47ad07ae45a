"""Server-rendered pages: one Jinja2 environment per language, each with its catalogue installed once.

(Installing translations per request on a shared environment would race: sync endpoints run in a thread pool.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from babel.dates import format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from skillvoucher.web.i18n import (
    LANGUAGE_INFO,
    LANGUAGE_PARAM,
    LANGUAGES,
    Language,
    compact_number,
    number,
    translations,
)
from skillvoucher.web.quantities import compact_yuan, exact_yuan, percent, short_count, short_yuan

STATIC_DIR = Path(__file__).parent / "static"
# Times are stored in UTC and shown in China Standard Time: one zone for the whole country, no daylight saving (so
# a fixed offset, and no dependency on the system's time-zone database).
DISPLAY_ZONE: Final = timezone(timedelta(hours=8), "CST")
ContextHook = Callable[[Request], Mapping[str, Any]]


def language_of(request: Request, default: str = LANGUAGES[0]) -> str:
    language = getattr(request.state, "language", None)
    return language if language in LANGUAGES else default


def wants_fragment(request: Request) -> bool:
    """An htmx request that swaps part of a page. (Boosted links and history restores want the whole page.)"""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


FRAGMENT_VARY: Final = {"Vary": "HX-Request, HX-Boosted, HX-History-Restore-Request"}


def switch_language_url(request: Request, language: str) -> str:
    """The current page (path and query) in another language."""
    params = [(key, value) for key, value in request.query_params.multi_items() if key != LANGUAGE_PARAM]
    params.append((LANGUAGE_PARAM, language))
    path = "/" + request.url.path.lstrip("/")  # never "//host/…", which a browser would read as another site
    return f"{path}?{urlencode(params)}"


@pass_context
def _path_for(context: Context, name: str, /, **params: Any) -> str:
    request: Request = context["request"]
    return str(request.app.url_path_for(name, **params))


def _with_query(path: str, **params: Any) -> str:
    """A path with query parameters, leaving out empty ones: {{ '/occupations' | with_query(q=q, page=2) }}."""
    kept = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def local_time(value: datetime | None, language: str) -> str:
    """A UTC instant in China Standard Time, to the minute: 2026-11-28 10:52 (read the same way in both languages)."""
    if value is None:
        return ""
    return format_datetime(value.astimezone(DISPLAY_ZONE), "yyyy-MM-dd HH:mm", locale=language)


class Pages:
    """Renders templates. `context_hook` adds what every page needs about the request (who is signed in, the
    navigation they may use); it must not fail, since error pages are rendered through it too."""

    def __init__(self, context_hook: ContextHook | None = None) -> None:
        loader = PackageLoader("skillvoucher.web", "templates")
        self._environments = {language: _environment(loader, LANGUAGE_INFO[language]) for language in LANGUAGES}
        self._context_hook = context_hook

    def environment(self, language: str) -> Environment:
        return self._environments[language]

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        language = language_of(request)
        template = self._environments[language].get_template(name)
        html = template.render(
            {
                "request": request,
                "language": LANGUAGE_INFO[language],
                "languages": [
                    (LANGUAGE_INFO[code], switch_language_url(request, code)) for code in LANGUAGES if code != language
                ],
                "request_id": getattr(request.state, "request_id", ""),
                "is_fragment": wants_fragment(request),
                **(self._context_hook(request) if self._context_hook else {}),
                **(context or {}),
            }
        )
        return HTMLResponse(html, status_code=status_code, headers=headers)


def _environment(loader: PackageLoader, language: Language) -> Environment:
    environment = Environment(
        loader=loader,
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.policies["ext.i18n.trimmed"] = True
    environment.install_gettext_translations(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        translations(language.code), newstyle=True
    )
    environment.globals["path_for"] = _path_for
    environment.filters["compact"] = partial(compact_number, language=language.code)
    environment.filters["number"] = partial(number, language=language.code)
    environment.filters["compact_yuan"] = partial(compact_yuan, language=language.code)
    environment.filters["exact_yuan"] = partial(exact_yuan, language=language.code)
    environment.filters["percent"] = partial(percent, language=language.code)
    environment.filters["short_count"] = partial(short_count, language=language.code)
    environment.filters["short_yuan"] = partial(short_yuan, language=language.code)
    environment.filters["with_query"] = _with_query
    environment.filters["local_time"] = partial(local_time, language=language.code)
    return environment
