"""The device flow's pure rules: user codes, and what a poll gets (RFC 8628 §3.5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from skillvoucher.essc.emulator import rules

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)


def test_user_codes_use_the_unambiguous_alphabet() -> None:
    for _ in range(200):
        code = rules.new_user_code()
        assert len(code) == 9
        assert code[4] == "-"
        assert set(code.replace("-", "")) <= set(rules.USER_CODE_ALPHABET)
    assert not set("AEIOU01") & set(rules.USER_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("WDJB-MJHT", "WDJB-MJHT"), ("wdjbmjht", "WDJB-MJHT"), (" wdjb mjht ", "WDJB-MJHT"), ("WDJB-MJH", None)],
)
def test_typed_user_codes_are_normalized(typed: str, expected: str | None) -> None:
    assert rules.normalize_user_code(typed) == expected


def test_a_code_with_letters_outside_the_alphabet_is_no_code() -> None:
    assert rules.normalize_user_code("ABCD-EFGH") is None


def outcome(status: rules.Status, *, last: datetime | None = None, interval: int = 5, now: datetime = NOW) -> str:
    return rules.poll_outcome(status=status, expires_at=LATER, last_polled_at=last, interval=interval, now=now)


def test_pending_until_answered_then_issued() -> None:
    assert outcome("pending") == "authorization_pending"
    assert outcome("approved") == "issue"


def test_polling_faster_than_the_interval_is_slowed_down() -> None:
    assert outcome("pending", last=NOW - timedelta(seconds=2)) == "slow_down"
    assert outcome("pending", last=NOW - timedelta(seconds=4.5)) == "authorization_pending"  # within tolerance
    assert outcome("pending", last=NOW - timedelta(seconds=7), interval=10) == "slow_down"
    assert rules.slowed_interval(5) == 10
    assert rules.slowed_interval(rules.MAX_INTERVAL) == rules.MAX_INTERVAL


def test_denied_expired_and_consumed() -> None:
    assert outcome("denied") == "access_denied"
    assert outcome("pending", now=LATER) == "expired_token"
    assert outcome("approved", now=LATER) == "expired_token"
    assert outcome("consumed") == "invalid_grant"
    assert outcome("consumed", now=LATER) == "invalid_grant"
