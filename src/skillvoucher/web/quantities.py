"""Statistics as their readers expect them, formatted by Babel: counts in 万 and 亿 in Chinese (1926.72万) and in
thousands and millions in English (19.27 million, or 19.27M in a table); amounts in 万元 and 亿元 (3.52亿元) or yuan
(352 million yuan); rates as percentages. Each rounded form has an exact twin, shown on hover.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from babel.numbers import format_compact_decimal, format_decimal, format_percent

from skillvoucher.web.i18n import N_, compact_number, gettext, number

YUAN: Final = N_("%(amount)s yuan")  # 元 after the number in Chinese
NO_RATE: Final = "–"  # nothing issued yet: no rate to show


def compact_count(value: int, language: str) -> str:
    """1926.72万 (zh_CN), 19.27 million (en); below 10,000 in Chinese, the number itself."""
    return compact_number(value, language)


def short_count(value: int, language: str) -> str:
    """For tables: 1926.72万 (zh_CN, as the long form), 19.27M (en)."""
    return format_compact_decimal(value, format_type="short", locale=language, fraction_digits=2)


def exact_count(value: int, language: str) -> str:
    """19,267,200."""
    return number(value, language)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def compact_yuan(fen: int, language: str) -> str:
    """3.52亿元, 1926.72万元, 850元 (zh_CN); 352 million yuan (en). Amounts are integer fen."""
    amount = format_compact_decimal(_yuan(fen), format_type="long", locale=language, fraction_digits=2)
    return gettext(language, YUAN) % {"amount": amount}


def short_yuan(fen: int, language: str) -> str:
    """For tables: 925.08万元 (zh_CN, as the long form), 9.25M yuan (en)."""
    amount = format_compact_decimal(_yuan(fen), format_type="short", locale=language, fraction_digits=2)
    return gettext(language, YUAN) % {"amount": amount}


def exact_yuan(fen: int, language: str) -> str:
    """352,000,000.00元 (zh_CN), 352,000,000.00 yuan (en)."""
    amount = format_decimal(_yuan(fen), format="#,##0.00", locale=language)
    return gettext(language, YUAN) % {"amount": amount}


def percent(ratio: float | None, language: str) -> str:
    """25.99% (two decimals); a dash when there is no rate (nothing issued)."""
    if ratio is None:
        return NO_RATE
    return format_percent(ratio, format="#,##0.00%", locale=language)
