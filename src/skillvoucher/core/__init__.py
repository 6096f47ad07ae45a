"""The kernel every domain shares: errors, the acting party, the clock, money."""

from skillvoucher.core.actor import Actor
from skillvoucher.core.clock import Clock, SystemClock, replaying, utc_now
from skillvoucher.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from skillvoucher.core.money import Fen

__all__ = [
    "Actor",
    "Clock",
    "Conflict",
    "DomainError",
    "Fen",
    "Forbidden",
    "Invalid",
    "NotFound",
    "RateLimited",
    "SystemClock",
    "Unauthenticated",
    "replaying",
    "utc_now",
]
