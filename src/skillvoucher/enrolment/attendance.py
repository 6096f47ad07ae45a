"""Attendance evidence: trainees check in on their own phones (strong); an institution's file is weak evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.core import utc_now
from skillvoucher.enrolment import rules
from skillvoucher.enrolment.access import actor_of, authorize, record
from skillvoucher.enrolment.errors import AlreadyCheckedIn, CheckInRefused
from skillvoucher.enrolment.models import Attendance, Enrolment
from skillvoucher.identity import (
    Permission,
    PiiCipher,
    Principal,
    ResidentIdError,
    Resource,
    find_person_by_id_number,
    parse_resident_id,
)
from skillvoucher.training import ClassSession, Course, TrainingClass

# A file row takes a slot of its own in uq_attendance_once, so that it never blocks the trainee's own check-in
# (prompt 0) at the same session.
FILE_PROMPT = -1


def attendance_key(session_secret: bytes) -> bytes:
    """The key that signs attendance codes, derived from the deployment's session secret (every process agrees)."""
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=b"skillvoucher attendance codes v1").derive(
        session_secret
    )


def _institution_of(course: Course) -> Resource:
    return Resource(region_code=course.region_code, institution_id=course.institution_id)


def _class_of_session(session: Session, session_id: int) -> tuple[ClassSession, TrainingClass, Course]:
    class_session = session.get(ClassSession, session_id)
    if class_session is None:
        raise CheckInRefused("没有这节课 / no such class session")
    training_class = session.get(TrainingClass, class_session.class_id)
    assert training_class is not None
    course = session.get(Course, training_class.course_id)
    assert course is not None
    return class_session, training_class, course


def screen_code(session: Session, key: bytes, *, session_id: int, now: datetime, by: Principal | None) -> str:
    """The code the institution's screen shows for a session right now (it changes every 30 seconds)."""
    _, _, course = _class_of_session(session, session_id)
    authorize(
        by, Permission.ENROLMENT_MANAGE, Resource(region_code=course.region_code, institution_id=course.institution_id)
    )
    return rules.attendance_code(key, session_id, now)


@dataclass(frozen=True)
class CheckIn:
    session_id: int
    class_id: int
    topic: str
    checked_at: datetime


def check_in(
    session: Session,
    key: bytes,
    *,
    code: str,
    person_id: int,
    now: datetime,
    device_fingerprint: str | None,
    network_address: str | None,
    by: Principal | None,
) -> CheckIn:
    """A trainee scans the screen's code with their own phone while signed in."""
    authorize(by, Permission.WORKER_SELF, Resource(person_id=person_id))
    try:
        scanned = rules.read_attendance_code(key, code, now)
    except rules.CodeProblem as problem:
        raise CheckInRefused(str(problem)) from None
    return _record_own_check_in(
        session, scanned.session_id, 0, person_id, now, device_fingerprint, network_address, by, "self_scan"
    )


def online_check_in(
    session: Session,
    key: bytes,
    *,
    session_id: int,
    prompt: int,
    person_id: int,
    now: datetime,
    device_fingerprint: str | None,
    network_address: str | None,
    by: Principal | None,
) -> CheckIn:
    """An online trainee answers one of the lesson's random check-in prompts while it is open."""
    authorize(by, Permission.WORKER_SELF, Resource(person_id=person_id))
    class_session, _, _ = _class_of_session(session, session_id)
    times = rules.online_prompt_times(key, session_id, class_session.starts_at, class_session.ends_at)
    if not 0 <= prompt < len(times) or not times[prompt] <= now <= times[prompt] + rules.ONLINE_PROMPT_GRACE:
        raise CheckInRefused("此签到点未开放或已结束 / this check-in point is not open")
    return _record_own_check_in(
        session, session_id, prompt + 1, person_id, now, device_fingerprint, network_address, by, "online_prompt"
    )


def _record_own_check_in(
    session: Session,
    session_id: int,
    prompt: int,
    person_id: int,
    now: datetime,
    device_fingerprint: str | None,
    network_address: str | None,
    by: Principal | None,
    evidence: str,
) -> CheckIn:
    class_session, training_class, _ = _class_of_session(session, session_id)
    enrolment = session.scalar(
        select(Enrolment).where(
            Enrolment.class_id == training_class.id,
            Enrolment.person_id == person_id,
            Enrolment.state == "enrolled",
        )
    )
    if enrolment is None:
        raise CheckInRefused("您没有报名这个班级 / you are not enrolled in this class")
    if not rules.session_open(class_session.starts_at, class_session.ends_at, now):
        raise CheckInRefused("不在这节课的签到时间内 / check-in for this session is not open now")
    done = session.scalar(
        select(Attendance.id).where(
            Attendance.enrolment_id == enrolment.id, Attendance.session_id == session_id, Attendance.prompt == prompt
        )
    )
    if done is not None:
        raise AlreadyCheckedIn()
    session.add(
        Attendance(
            enrolment_id=enrolment.id,
            session_id=session_id,
            prompt=prompt,
            evidence=evidence,
            checked_at=now,
            device_fingerprint=(device_fingerprint or "")[:64] or None,
            network_address=(network_address or "")[:45] or None,
            recorded_by=actor_of(by).label,
        )
    )
    session.flush()
    return CheckIn(session_id, training_class.id, class_session.topic, now)


@dataclass(frozen=True)
class FileRowProblem:
    row: int
    message: str


@dataclass
class AttendanceFileResult:
    recorded: int = 0
    problems: list[FileRowProblem] = field(default_factory=list)


def record_attendance_file(
    session: Session,
    cipher: PiiCipher,
    *,
    class_id: int,
    rows: Iterable[tuple[int, int, str]],
    by: Principal | None,
) -> AttendanceFileResult:
    """Attendance an institution reports for trainees without smartphones: (row, session id, ID number) each.

    Marked as the weakest evidence and counted apart; a row already recorded is reported, not added again.
    """
    training_class = session.get(TrainingClass, class_id)
    if training_class is None:
        raise CheckInRefused("班级不存在 / no such class")
    course = session.get(Course, training_class.course_id)
    assert course is not None
    authorize(
        by, Permission.ENROLMENT_MANAGE, Resource(region_code=course.region_code, institution_id=course.institution_id)
    )
    sessions = set(session.scalars(select(ClassSession.id).where(ClassSession.class_id == class_id)))
    result = AttendanceFileResult()
    for row, session_id, id_number in rows:
        problem = _file_row_problem(session, cipher, class_id, sessions, session_id, id_number, by)
        if problem:
            result.problems.append(FileRowProblem(row, problem))
        else:
            result.recorded += 1
    data = {"recorded": result.recorded, "refused": len(result.problems)}
    record(session, by, "attendance.file_recorded", "class", class_id, data)
    return result


def _file_row_problem(
    session: Session,
    cipher: PiiCipher,
    class_id: int,
    sessions: set[int],
    session_id: int,
    id_number: str,
    by: Principal | None,
) -> str | None:
    if session_id not in sessions:
        return "不是本班的课次 / not a session of this class"
    try:
        parse_resident_id(id_number, today=utc_now().date())
    except ResidentIdError as error:
        return f"身份证号码有误 / invalid resident ID number: {error}"
    person = find_person_by_id_number(session, cipher, id_number)
    enrolment = None
    if person is not None:
        enrolment = session.scalar(
            select(Enrolment).where(
                Enrolment.class_id == class_id, Enrolment.person_id == person.id, Enrolment.state == "enrolled"
            )
        )
    if enrolment is None:
        return "此人未报名本班 / this person is not enrolled in the class"
    exists = session.scalar(  # any evidence for the session, the trainee's own check-in included
        select(Attendance.id).where(Attendance.enrolment_id == enrolment.id, Attendance.session_id == session_id)
    )
    if exists is not None:
        return "该课次已有签到记录 / attendance for this session is already recorded"
    session.add(
        Attendance(
            enrolment_id=enrolment.id,
            session_id=session_id,
            prompt=FILE_PROMPT,
            evidence="institution_file",
            checked_at=utc_now(),
            recorded_by=actor_of(by).label,
        )
    )
    session.flush()
    return None
