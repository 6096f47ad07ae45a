"""Pure rules of the catalogues: subsidy amounts, scope, demand periods, class dates and sessions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise


def subsidy_fen(standard_fen: int, uplift_percent: int) -> int:
    """The subsidy of a demand entry: the standard raised by the uplift, rounded down to whole fen."""
    if standard_fen < 0 or uplift_percent < 0:
        raise ValueError("standard and uplift must not be negative")
    return standard_fen * (100 + uplift_percent) // 100


ScopeKey = tuple[str, str, int]  # occupation edition, occupation code, level


def within_scope(scope: Iterable[ScopeKey], edition: str, code: str, level: int) -> bool:
    return (edition, code, level) in set(scope)


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Inclusive periods; an empty end is open."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def period_problem(valid_from: date, valid_to: date | None) -> str | None:
    if valid_to is not None and valid_to < valid_from:
        return "结束日期早于开始日期 / the period ends before it starts"
    return None


@dataclass(frozen=True)
class SessionPlan:
    starts_at: datetime
    ends_at: datetime
    topic: str
    place: str


def class_problem(
    *, start: date, end: date, today: date, capacity: int, sessions: Sequence[SessionPlan], course_capacity: int
) -> str | None:
    """Why a class application is not sane, or None."""
    if end < start:
        return "结束日期早于开始日期 / the class ends before it starts"
    if start < today:
        return "开班日期已过 / the class would start in the past"
    if not 0 < capacity <= course_capacity:
        return f"班级人数须在1到{course_capacity}之间 / capacity must be between 1 and {course_capacity}"
    if not sessions:
        return "请至少安排一次课 / schedule at least one session"
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for session in ordered:
        if session.ends_at <= session.starts_at:
            return "课次结束时间须晚于开始时间 / a session must end after it starts"
        if not start <= session.starts_at.date() <= end or not start <= session.ends_at.date() <= end:
            return "课次须在开班日期之内 / every session must fall within the class dates"
    for earlier, later in pairwise(ordered):
        if later.starts_at < earlier.ends_at:
            return "课次时间重叠 / two sessions overlap"
    return None


def region_distance(worker_region: str, course_region: str) -> int:
    """0 same county, 1 same city, 2 same province, 3 elsewhere (from GB/T 2260 codes alone)."""
    if worker_region == course_region:
        return 0
    if worker_region[:4] == course_region[:4]:
        return 1
    if worker_region[:2] == course_region[:2]:
        return 2
    return 3


def mask_name(name: str) -> str:
    """A name as a roster screen shows it: 张* for two characters, 张*三 / 欧**娜 for more."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
