"""The device flow's rules, as pure functions: user codes, and what a poll of the token endpoint gets.

RFC 8628 §3.5: while the holder has not answered, the token endpoint says `authorization_pending`; a client that
polls faster than the interval gets `slow_down` (and must wait 5 seconds longer from then on); a denied request
gives `access_denied`, an expired one `expired_token`. An approved request yields its token once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Final, Literal

# RFC 8628 §6.1: upper-case consonants only — no vowels (no words), no 0/O or 1/I to confuse.
USER_CODE_ALPHABET: Final = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH: Final = 8
EXPIRES_IN: Final = 600  # seconds a QR code stays usable
INTERVAL: Final = 5  # seconds between polls (RFC 8628 default)
SLOW_DOWN_STEP: Final = 5  # RFC 8628 §3.5
MAX_INTERVAL: Final = 60
# A site that polls on a timer is a little early now and then; only polls clearly too fast are slowed down.
POLL_TOLERANCE: Final = timedelta(seconds=1)

Status = Literal["pending", "approved", "denied", "consumed"]
PollOutcome = Literal["issue", "authorization_pending", "slow_down", "access_denied", "expired_token", "invalid_grant"]


def new_user_code() -> str:
    letters = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(USER_CODE_LENGTH))
    return f"{letters[:4]}-{letters[4:]}"


def normalize_user_code(raw: str) -> str | None:
    """What the holder typed, as stored: case, spaces and dashes ignored. None if it cannot be a user code."""
    letters = "".join(character for character in raw.upper() if character not in " -\t")
    if len(letters) != USER_CODE_LENGTH or not set(letters) <= set(USER_CODE_ALPHABET):
        return None
    return f"{letters[:4]}-{letters[4:]}"


def is_expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at


def poll_outcome(
    *, status: Status, expires_at: datetime, last_polled_at: datetime | None, interval: int, now: datetime
) -> PollOutcome:
    if status == "consumed":
        return "invalid_grant"  # a device code yields a token once
    if is_expired(expires_at, now):
        return "expired_token"
    if status == "denied":
        return "access_denied"
    if status == "approved":
        return "issue"
    if last_polled_at is not None and now - last_polled_at < timedelta(seconds=interval) - POLL_TOLERANCE:
        return "slow_down"
    return "authorization_pending"


def slowed_interval(interval: int) -> int:
    return min(interval + SLOW_DOWN_STEP, MAX_INTERVAL)
