from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from stdnum.cn import uscc as stdnum_uscc

from skillvoucher.training.lifecycle import LISTED, TRANSITIONS, A, may_change
from skillvoucher.training.rules import (
    SessionPlan,
    class_problem,
    periods_overlap,
    region_distance,
    subsidy_fen,
    within_scope,
)
from skillvoucher.training.searchtext import normalize_keyword, search_text
from skillvoucher.training.uscc import normalize, uscc_problem

KNOWN = {"350203", "350200", "350000"}


def code(body: str) -> str:
    return body + stdnum_uscc.calc_check_digit(body)


def test_valid_codes_of_common_authorities_pass() -> None:
    for body in ("52350203MJ1000001", "12350200MB1000002", "91350203MA1000003", "Y1350000MA1000003"):
        assert uscc_problem(code(body), KNOWN) is None, body


@pytest.mark.parametrize(
    ("candidate", "needle"),
    [
        (code("B2350203MJ1000001"), "authority"),  # no authority B
        (code("94350203MA1000003"), "entity type"),  # 工商 has types 1-3 only
        (code("52999999MJ1000001"), "region"),
        (code("52350203MJ1000001")[:-1] + "X", "check character"),
        ("52350203MJ100", "18 characters"),
    ],
)
def test_bad_codes_say_why(candidate: str, needle: str) -> None:
    problem = uscc_problem(candidate, KNOWN)
    assert problem is not None
    assert needle in problem


def test_codes_are_normalized_upper_case() -> None:
    assert normalize(" 52350203mj1000001 0") == "52350203MJ10000010"


def test_accreditation_transitions() -> None:

    assert may_change(A.APPLIED, A.ACCREDITED)
    assert may_change(A.ACCREDITED, A.UNDER_REVIEW)
    assert may_change(A.UNDER_REVIEW, A.PAYMENTS_SUSPENDED)
    assert may_change(A.PAYMENTS_SUSPENDED, A.DELISTED)
    assert may_change(A.DELISTED, A.ACCREDITED)  # reinstated
    assert not may_change(A.APPLIED, A.PAYMENTS_SUSPENDED)
    assert not may_change(A.DELISTED, A.UNDER_REVIEW)
    assert all(state not in TRANSITIONS[state] for state in A)
    assert {A.PAYMENTS_SUSPENDED, A.DELISTED, A.APPLIED}.isdisjoint(LISTED)


def test_subsidy_is_integer_fen_rounded_down() -> None:
    assert subsidy_fen(150_000, 0) == 150_000
    assert subsidy_fen(150_000, 20) == 180_000
    assert subsidy_fen(100_001, 30) == 130_001  # 130001.3 → 130001
    with pytest.raises(ValueError, match="negative"):
        subsidy_fen(-1, 0)


def test_scope_and_periods() -> None:
    scope = [("2022", "4-10-01-05", 4)]
    assert within_scope(scope, "2022", "4-10-01-05", 4)
    assert not within_scope(scope, "2022", "4-10-01-05", 3)
    d = date
    assert periods_overlap(d(2026, 1, 1), d(2026, 12, 31), d(2026, 12, 31), None)
    assert not periods_overlap(d(2026, 1, 1), d(2026, 6, 30), d(2026, 7, 1), None)
    assert periods_overlap(d(2026, 1, 1), None, d(2030, 1, 1), d(2030, 2, 1))


def at(day: int, hour: int) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=UTC)


def test_class_sanity() -> None:
    good = [SessionPlan(at(1, 1), at(1, 3), "理论", "教室"), SessionPlan(at(2, 1), at(2, 3), "实操", "实训室")]
    args = {"start": date(2027, 3, 1), "end": date(2027, 3, 5), "today": date(2027, 2, 1), "course_capacity": 40}
    assert class_problem(capacity=30, sessions=good, **args) is None  # type: ignore[arg-type]
    assert "capacity" in (class_problem(capacity=41, sessions=good, **args) or "")  # type: ignore[arg-type]
    assert "session" in (class_problem(capacity=30, sessions=[], **args) or "")  # type: ignore[arg-type]
    overlapping = [*good, SessionPlan(at(2, 2), at(2, 4), "x", "y")]
    assert "overlap" in (class_problem(capacity=30, sessions=overlapping, **args) or "")  # type: ignore[arg-type]
    outside = [SessionPlan(at(9, 1), at(9, 2), "x", "y")]
    assert "within" in (class_problem(capacity=30, sessions=outside, **args) or "")  # type: ignore[arg-type]


def test_region_distance_from_codes() -> None:
    assert [region_distance("350203", c) for c in ("350203", "350205", "350102", "110105")] == [0, 1, 2, 3]


def test_search_text_has_chinese_full_pinyin_and_initials() -> None:
    text = search_text("养老护理员（初级）", "厦门 学校")
    for needle in ("养老护理员", "yanglaohuliyuan", "ylhly", "xiamenxuexiao", "xmxx"):
        assert normalize_keyword(needle) in text
    assert normalize_keyword(" YLHLY ") == "ylhly"
