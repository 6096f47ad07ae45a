"""Every message the pages use has a Chinese translation, and the catalogues hold nothing stale."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from skillvoucher.web.i18n import LANGUAGES, catalogue_path

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "src" / "skillvoucher" / "web"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _source_messages() -> set[str]:
    """What `pybabel extract -F babel.cfg -k N_` finds (see docs/i18n.md)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as file:
        return read_po(file, locale=language)


def test_the_templates_and_error_table_are_extracted() -> None:
    messages = _source_messages()
    assert "Vocational Training Vouchers" in messages  # base.html
    assert "Page not found" in messages  # web/errors.py, marked with N_
    assert len(messages) > 50


def test_every_message_has_a_chinese_translation() -> None:
    catalogue = _catalogue("zh_CN")
    untranslated = sorted(
        message
        for message in _source_messages()
        if message not in catalogue or not catalogue[message].string or catalogue[message].fuzzy
    )
    assert untranslated == [], "run pybabel extract/update (docs/i18n.md) and translate these"


def test_catalogues_hold_no_stale_messages_and_placeholders_match() -> None:
    used = _source_messages()
    for language in LANGUAGES:
        catalogue = _catalogue(language)
        stale = sorted(message.id for message in catalogue if message.id and message.id not in used)
        assert stale == [], f"{language}: messages no page uses any more"
        problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue.check()]
        assert problems == [], language
