"""Completion, the rotating attendance code and certificate serials: pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from skillvoucher.enrolment.rules import (
    AttendedSession,
    CodeProblem,
    attendance_code,
    certificate_serial,
    completion,
    online_prompt_times,
    read_attendance_code,
    valid_serial,
)

KEY = b"k" * 32
NOW = datetime(2026, 12, 10, 1, 0, 10, tzinfo=UTC)


def test_completion_needs_strong_hours_of_the_course_and_a_pass() -> None:
    three_hours = AttendedSession(180, strong=True)
    done = completion([three_hours, three_hours], course_hours=6, attendance_percent=80, passed=True)
    assert done.completed
    assert done.required_minutes == 288
    short = completion([three_hours], course_hours=6, attendance_percent=80, passed=True)
    assert not short.completed
    assert "attendance" in short.reason
    weak = completion([AttendedSession(180, False)] * 2, course_hours=6, attendance_percent=80, passed=True)
    assert (weak.completed, weak.weak_minutes) == (False, 360)
    assert not completion([three_hours] * 2, course_hours=6, attendance_percent=80, passed=False).completed
    assert "no assessment" in completion([three_hours] * 2, course_hours=6, attendance_percent=80, passed=None).reason


def test_a_code_lives_two_windows_and_is_bound_to_its_session() -> None:
    code = attendance_code(KEY, 42, NOW)
    assert read_attendance_code(KEY, code, NOW + timedelta(seconds=30)).session_id == 42
    with pytest.raises(CodeProblem):
        read_attendance_code(KEY, code, NOW + timedelta(seconds=61))
    forged = code.replace("42.", "43.", 1)
    with pytest.raises(CodeProblem):
        read_attendance_code(KEY, forged, NOW)
    with pytest.raises(CodeProblem):
        read_attendance_code(b"x" * 32, code, NOW)
    with pytest.raises(CodeProblem):
        read_attendance_code(KEY, "not a code", NOW)


def test_online_prompts_fall_one_in_each_third_of_the_lesson() -> None:
    start, end = NOW, NOW + timedelta(hours=3)
    times = online_prompt_times(KEY, 7, start, end)
    assert times == online_prompt_times(KEY, 7, start, end)  # every process agrees
    for i, at in enumerate(times):
        assert start + timedelta(hours=i) <= at < start + timedelta(hours=i + 1)


def test_certificate_serials_carry_a_check_character() -> None:
    serial = certificate_serial(date(2026, 12, 11), "350203", 14)
    assert len(serial) == 21
    assert valid_serial(serial)
    assert not valid_serial(serial[:-1] + ("0" if serial[-1] != "0" else "1"))
