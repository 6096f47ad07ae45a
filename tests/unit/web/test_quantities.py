"""Statistics formatted as readers expect: 万 and 亿 in Chinese, thousands and millions in English, through Babel."""

from __future__ import annotations

from typing import get_args

import pytest

from skillvoucher import reporting
from skillvoucher.web.quantities import (
    compact_count,
    compact_yuan,
    exact_count,
    exact_yuan,
    percent,
    short_count,
    short_yuan,
)
from skillvoucher.web.stats_access import TableName


@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        (19_267_200, "1926.72万", "19.27 million"),  # issued nationwide by the end of 2021
        (5_007_200, "500.72万", "5.01 million"),  # used
        (8_500, "8500", "8.5 thousand"),
        (10_000, "1万", "10 thousand"),
        (123_456_789, "1.23亿", "123.46 million"),
        (0, "0", "0"),
    ],
)
def test_counts_in_wan_and_yi_or_in_thousands_and_millions(value: int, chinese: str, english: str) -> None:
    assert compact_count(value, "zh_CN") == chinese
    assert compact_count(value, "en") == english


def test_tables_use_the_short_english_forms() -> None:
    assert (short_count(19_267_200, "zh_CN"), short_count(19_267_200, "en")) == ("1926.72万", "19.27M")
    assert (short_yuan(925_075_000, "zh_CN"), short_yuan(925_075_000, "en")) == ("925.08万元", "9.25M yuan")


def test_the_exact_count_is_grouped_in_thousands() -> None:
    assert exact_count(19_267_200, "zh_CN") == "19,267,200"
    assert exact_count(19_267_200, "en") == "19,267,200"


@pytest.mark.parametrize(
    ("fen", "chinese", "english"),
    [
        (35_200_000_000, "3.52亿元", "352 million yuan"),
        (92_507_500_000, "9.25亿元", "925.08 million yuan"),
        (925_075_000, "925.08万元", "9.25 million yuan"),
        (85_050, "850.5元", "850.5 yuan"),
        (0, "0元", "0 yuan"),
    ],
)
def test_amounts_in_wan_yuan_and_yi_yuan(fen: int, chinese: str, english: str) -> None:
    assert compact_yuan(fen, "zh_CN") == chinese
    assert compact_yuan(fen, "en") == english


def test_the_exact_amount_is_to_the_fen() -> None:
    assert exact_yuan(925_075_001, "zh_CN") == "9,250,750.01元"
    assert exact_yuan(925_075_001, "en") == "9,250,750.01 yuan"


def test_rates_are_percentages_and_absent_before_anything_is_issued() -> None:
    assert percent(5_007_200 / 19_267_200, "zh_CN") == "25.99%"
    assert percent(0.5, "en") == "50.00%"
    assert percent(None, "zh_CN") == "–"


def test_the_routes_table_names_are_reportings() -> None:
    assert get_args(TableName) == reporting.TABLES
