"""The counting keys: China months, group bits, every level up to the nation."""

from __future__ import annotations

from datetime import UTC, date, datetime

from skillvoucher.stats import NATIONAL, Subject, group_bits, keys_of, month_of, month_of_day


def test_months_are_china_months() -> None:
    assert month_of(datetime(2021, 1, 31, 16, 30, tzinfo=UTC)) == 202102  # 00:30 on 1 February in Beijing
    assert month_of(datetime(2021, 1, 31, 15, 59, tzinfo=UTC)) == 202101
    assert month_of_day(date(2020, 12, 31)) == 202012


def test_group_bits() -> None:
    assert group_bits(0) == []
    assert group_bits(0b1010) == [2, 8]


def test_an_event_counts_once_per_level_and_member() -> None:
    subject = Subject("350203", 0b11, 7, 202103, occupation="4-10-01-01:5", institution_id=12)
    keys = keys_of(subject, ["350203", "350200", "350000"])
    regions = {key[0] for key in keys}
    assert regions == {"350203", "350200", "350000", NATIONAL}
    per_region = [key[3:] for key in keys if key[0] == NATIONAL]
    assert per_region == [
        ("all", ""),
        ("group", "1"),
        ("group", "2"),
        ("occupation", "4-10-01-01:5"),
        ("institution", "12"),
    ]
    assert len(keys) == len(set(keys)) == 20
