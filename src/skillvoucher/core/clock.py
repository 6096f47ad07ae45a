"""Time is UTC everywhere and injectable, so rules about dates can be tested (and the demo can replay the past)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Protocol

_replayed_now: ContextVar[datetime | None] = ContextVar("replayed_now", default=None)


def utc_now() -> datetime:
    replayed = _replayed_now.get()
    return replayed if replayed is not None else datetime.now(UTC)


@contextmanager
def replaying(at: datetime) -> Iterator[None]:
    """Within the block, `utc_now()` is `at`: the national demo replays 2020–2021 through the product's services."""
    if at.tzinfo is None:
        raise ValueError("naive datetime given")
    token = _replayed_now.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _replayed_now.reset(token)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return utc_now()


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at
