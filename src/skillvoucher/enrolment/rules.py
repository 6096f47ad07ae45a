"""Pure rules of training with a voucher: completion, the rotating attendance code, certificate serials."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CODE_WINDOW_SECONDS = 30  # a new attendance code every 30 seconds …
CODE_WINDOWS_ACCEPTED = 2  # … accepted in its own window and the next: at most a minute old
CHECK_IN_MARGIN = timedelta(minutes=30)  # check-in opens before a session starts and closes after it ends
ONLINE_PROMPTS = 3  # random check-in points in an online lesson
ONLINE_PROMPTS_NEEDED = 2
ONLINE_PROMPT_GRACE = timedelta(minutes=3)  # how long a prompt stays open


# --- completion ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendedSession:
    minutes: int
    strong: bool  # own-device evidence (a scan or online prompts); a provider's file is weak


@dataclass(frozen=True)
class Completion:
    completed: bool
    strong_minutes: int
    weak_minutes: int
    required_minutes: int
    reason: str  # why not, in both languages; empty when completed


def completion(
    attended: list[AttendedSession], *, course_hours: int, attendance_percent: int, passed: bool | None
) -> Completion:
    """Completed: strong evidence for at least `attendance_percent` of the course's hours, and an assessment passed.

    The course's hours, not the class's schedule, are the measure: a class scheduled short cannot complete.
    """
    strong = sum(s.minutes for s in attended if s.strong)
    weak = sum(s.minutes for s in attended if not s.strong)
    required = -(-course_hours * 60 * attendance_percent // 100)  # rounded up
    if strong < required:
        reason = f"本人签到学时不足 {required // 60} 小时 / own-device attendance below {required} minutes"
    elif passed is None:
        reason = "尚无考核结果 / no assessment result yet"
    elif not passed:
        reason = "考核未通过 / the assessment was not passed"
    else:
        reason = ""
    return Completion(not reason, strong, weak, required, reason)


# --- the rotating code an institution's screen shows -----------------------------------------------------------


def code_window(at: datetime) -> int:
    return int(at.timestamp()) // CODE_WINDOW_SECONDS


def _mac(key: bytes, message: str) -> str:
    digest = hmac.digest(key, message.encode(), hashlib.sha256)
    return base64.b32encode(digest[:10]).decode().rstrip("=")


def attendance_code(key: bytes, session_id: int, at: datetime) -> str:
    """The code for a class session at a moment: bound to the session, signed, and changing every window."""
    window = code_window(at)
    return f"{session_id}.{window}.{_mac(key, f'session:{session_id}:{window}')}"


@dataclass(frozen=True)
class ScannedCode:
    session_id: int
    window: int


class CodeProblem(Exception):
    """Why a scanned code is refused (the message is shown to the trainee)."""


def read_attendance_code(key: bytes, code: str, now: datetime) -> ScannedCode:
    parts = code.strip().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise CodeProblem("签到码无效 / this is not an attendance code")
    session_id, window = int(parts[0]), int(parts[1])
    expected = _mac(key, f"session:{session_id}:{window}")
    if not hmac.compare_digest(expected, parts[2]):
        raise CodeProblem("签到码无效 / this is not an attendance code")
    age = code_window(now) - window
    if not 0 <= age < CODE_WINDOWS_ACCEPTED:
        raise CodeProblem(
            "签到码已过期，请扫描屏幕上的最新二维码 / the code has expired: scan the one on the screen now"
        )
    return ScannedCode(session_id, window)


def session_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    return starts_at - CHECK_IN_MARGIN <= now <= ends_at + CHECK_IN_MARGIN


def online_prompt_times(key: bytes, session_id: int, starts_at: datetime, ends_at: datetime) -> list[datetime]:
    """Random-looking, reproducible check-in points inside an online lesson (the same for every process)."""
    length = max(1, int((ends_at - starts_at).total_seconds()))
    times = []
    for prompt in range(ONLINE_PROMPTS):
        digest = hmac.digest(key, f"prompt:{session_id}:{prompt}".encode(), hashlib.sha256)
        slot = length // ONLINE_PROMPTS  # one prompt in each third, so they spread over the lesson
        times.append(starts_at + timedelta(seconds=prompt * slot + int.from_bytes(digest[:4]) % max(1, slot)))
    return times


# --- certificate serials --------------------------------------------------------------------------------------


def certificate_serial(issued_on: date, region_code: str, enrolment_id: int) -> str:
    """Year, issuing region, the enrolment's number and an ISO 7064 MOD 11-2 check character (as ID numbers use)."""
    from stdnum.iso7064 import mod_11_2

    body = f"{issued_on.year}{region_code}{enrolment_id:010d}"
    return body + mod_11_2.calc_check_digit(body)


def valid_serial(serial: str) -> bool:
    from stdnum.iso7064 import mod_11_2

    text = serial.strip().upper()
    return len(text) == 21 and text[:-1].isdigit() and mod_11_2.is_valid(text)
