"""The counting keys: China months, group bits, every level up to the nation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from skillvoucher.stats import (
    NATIONAL,
    NO_POLICY,
    POLICY_KINDS,
    Subject,
    group_bits,
    keys_of,
    kind_key,
    kind_of_key,
    month_of,
    month_of_day,
)
from skillvoucher.vouchers import PolicyKind


def test_months_are_china_months() -> None:
    assert month_of(datetime(2021, 1, 31, 16, 30, tzinfo=UTC)) == 202102  # 00:30 on 1 February in Beijing
    assert month_of(datetime(2021, 1, 31, 15, 59, tzinfo=UTC)) == 202101
    assert month_of_day(date(2020, 12, 31)) == 202012


def test_group_bits() -> None:
    assert group_bits(0) == []
    assert group_bits(0b1010) == [2, 8]


def test_an_event_counts_once_per_level_policy_key_and_member() -> None:
    subject = Subject("350203", 0b11, 7, 202103, occupation="4-10-01-01:5", institution_id=12, kind="general")
    keys = keys_of(subject, ["350203", "350200", "350000"])
    regions = {key[0] for key in keys}
    assert regions == {"350203", "350200", "350000", NATIONAL}
    members = [("all", ""), ("group", "1"), ("group", "2"), ("occupation", "4-10-01-01:5"), ("institution", "12")]
    national = [key[2:] for key in keys if key[0] == NATIONAL]
    assert national == [(7, *member) for member in members] + [(kind_key("general"), *member) for member in members]
    assert len(keys) == len(set(keys)) == 40


def test_the_kind_keys_are_below_zero_one_per_policy_kind() -> None:
    assert list(POLICY_KINDS) == [kind.value for kind in PolicyKind]  # the stats layer's copy of the kinds
    keys = [kind_key(kind) for kind in POLICY_KINDS]
    assert keys == [-1, -2, -3, -4]
    assert [kind_of_key(key) for key in keys] == list(POLICY_KINDS)


def test_what_no_policy_owns_counts_once_and_a_policy_needs_its_kind() -> None:
    classes = keys_of(Subject("350203", 0, NO_POLICY, 202103), ["350203"])
    assert [key[2] for key in classes] == [NO_POLICY, NO_POLICY]  # the county and the nation
    with pytest.raises(ValueError, match="without its kind"):
        keys_of(Subject("350203", 0, 7, 202103), ["350203"])
