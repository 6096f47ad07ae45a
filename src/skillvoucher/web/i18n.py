"""Languages: Simplified Chinese by default, English switchable. Message catalogues are the committed `.po` files,
compiled in memory at startup, so there is no build step. Numbers are formatted by Babel, never by hand."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from io import BytesIO
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import Translations

LANGUAGES: Final = ("zh_CN", "en")
LANGUAGE_COOKIE: Final = "lang"
LANGUAGE_PARAM: Final = "lang"
DOMAIN: Final = "messages"


@dataclass(frozen=True)
class Language:
    code: str  # the Babel locale and catalogue name: zh_CN, en
    html_lang: str  # the BCP 47 tag for <html lang>: zh-CN, en
    label: str  # the language's own name, for the switcher


LANGUAGE_INFO: Final = {
    "zh_CN": Language("zh_CN", "zh-CN", "中文"),
    "en": Language("en", "en", "English"),
}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction, translate later"
    return message


def negotiate_language(*, requested: str | None, cookie: str | None, default: str) -> str:
    """`?lang=` first, then the cookie, then the configured default. Unknown values are ignored."""
    for candidate in (requested, cookie):
        if candidate in LANGUAGES:
            return candidate
    return default if default in LANGUAGES else LANGUAGES[0]


def locales_dir() -> Traversable:
    return resources.files("skillvoucher.web").joinpath("locales")


def catalogue_path(language: str) -> Traversable:
    return locales_dir().joinpath(language, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def translations(language: str) -> Translations:
    """The language's catalogue, read from its `.po` file and compiled in memory (fuzzy entries left out)."""
    with catalogue_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def gettext(language: str, message: str) -> str:
    return translations(language).gettext(message)


def compact_number(value: int, language: str) -> str:
    """19267200 → 1926.72万 (zh_CN) or 19.27 million (en)."""
    return format_compact_decimal(value, format_type="long", locale=language, fraction_digits=2)


def number(value: int, language: str) -> str:
    return format_decimal(value, locale=language)
