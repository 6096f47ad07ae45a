"""What the enrolment pages read: a worker's lifelong training record, a class's evidence, a public certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from skillvoucher.catalog import OCCUPATION_EDITION, Occupation
from skillvoucher.enrolment.assessment import attended_sessions
from skillvoucher.enrolment.errors import CertificateNotFound
from skillvoucher.enrolment.models import AssessmentResult, Attendance, Certificate, Enrolment
from skillvoucher.enrolment.rules import valid_serial
from skillvoucher.identity import Person, PiiCipher, mask_id_number
from skillvoucher.training import ClassSession, Course, Institution, TrainingClass
from skillvoucher.vouchers import mask_holder_name


@dataclass(frozen=True)
class RecordLine:
    """One enrolment in a worker's lifelong training record."""

    enrolment_id: int
    state: str
    course_title: str
    institution_name: str
    occupation_code: str
    level: int
    class_start: date
    class_end: date
    value_fen: int | None
    strong_minutes: int
    weak_minutes: int
    passed: bool | None
    certificate_serial: str | None
    certificate_revoked: bool


def training_record(session: Session, *, person_id: int) -> list[RecordLine]:
    rows = session.execute(
        select(Enrolment, TrainingClass, Course, Institution.name, AssessmentResult.passed, Certificate)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Course, Course.id == TrainingClass.course_id)
        .join(Institution, Institution.id == Course.institution_id)
        .outerjoin(AssessmentResult, AssessmentResult.enrolment_id == Enrolment.id)
        .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
        .where(Enrolment.person_id == person_id, Enrolment.state != "pending")
        .order_by(TrainingClass.start_date.desc(), Enrolment.id.desc())
    )
    lines = []
    for enrolment, cls, course, institution_name, passed, certificate in rows:
        attended = attended_sessions(session, enrolment.id)
        lines.append(
            RecordLine(
                enrolment.id,
                enrolment.state,
                course.title,
                institution_name,
                course.occupation_code,
                course.level,
                cls.start_date,
                cls.end_date,
                enrolment.value_fen,
                sum(a.minutes for a in attended if a.strong),
                sum(a.minutes for a in attended if not a.strong),
                passed,
                certificate.serial if certificate else None,
                bool(certificate and certificate.revoked_at),
            )
        )
    return lines


@dataclass(frozen=True)
class PendingEnrolment:
    enrolment_id: int
    class_id: int
    course_title: str
    institution_name: str
    class_start: date
    verified_at: datetime


def pending_enrolments(session: Session, *, person_id: int) -> list[PendingEnrolment]:
    """Enrolments an institution verified that wait for the worker's own confirmation."""
    rows = session.execute(
        select(
            Enrolment.id,
            TrainingClass.id,
            Course.title,
            Institution.name,
            TrainingClass.start_date,
            Enrolment.verified_at,
        )
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Course, Course.id == TrainingClass.course_id)
        .join(Institution, Institution.id == Course.institution_id)
        .where(Enrolment.person_id == person_id, Enrolment.state == "pending")
        .order_by(Enrolment.id.desc())
    )
    return [PendingEnrolment(*row) for row in rows]


@dataclass(frozen=True)
class TraineeEvidence:
    enrolment_id: int
    name_masked: str
    state: str
    sessions_strong: int
    sessions_weak: int
    strong_minutes: int
    passed: bool | None
    certificate_serial: str | None


def class_evidence(session: Session, *, class_id: int) -> list[TraineeEvidence]:
    """Per trainee of a class: attendance by strength of evidence, result, certificate (for institution and bureau)."""
    rows = session.execute(
        select(Enrolment, Person.name, AssessmentResult.passed, Certificate.serial)
        .join(Person, Person.id == Enrolment.person_id)
        .outerjoin(AssessmentResult, AssessmentResult.enrolment_id == Enrolment.id)
        .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == class_id, Enrolment.state.in_(("enrolled", "completed", "not_completed")))
        .order_by(Enrolment.id)
    )
    evidence = []
    for enrolment, name, passed, serial in rows:
        attended = attended_sessions(session, enrolment.id)
        evidence.append(
            TraineeEvidence(
                enrolment.id,
                mask_holder_name(name),
                enrolment.state,
                sum(1 for a in attended if a.strong),
                sum(1 for a in attended if not a.strong),
                sum(a.minutes for a in attended if a.strong),
                passed,
                serial,
            )
        )
    return evidence


def session_check_ins(session: Session, *, session_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(func.distinct(Attendance.enrolment_id))).where(Attendance.session_id == session_id)
        )
        or 0
    )


def class_sessions(session: Session, *, class_id: int) -> list[ClassSession]:
    return list(
        session.scalars(select(ClassSession).where(ClassSession.class_id == class_id).order_by(ClassSession.starts_at))
    )


@dataclass(frozen=True)
class PublicCertificate:
    serial: str
    holder_name_masked: str
    id_number_masked: str
    occupation_code: str
    occupation_name: str
    level: int
    institution_name: str
    class_start: date
    class_end: date
    issued_on: date
    revoked: bool
    revoke_reason: str | None


def check_certificate(session: Session, cipher: PiiCipher, *, serial: str) -> PublicCertificate:
    """What anyone may see of a certificate by its serial number: masked identity, what and where, valid or not."""
    text = serial.strip().upper()
    certificate = session.scalar(select(Certificate).where(Certificate.serial == text)) if valid_serial(text) else None
    if certificate is None:
        raise CertificateNotFound()
    person = session.get(Person, certificate.person_id)
    institution = session.get(Institution, certificate.institution_id)
    assert person is not None
    assert institution is not None
    occupation = session.get(Occupation, (OCCUPATION_EDITION, certificate.occupation_code))
    return PublicCertificate(
        certificate.serial,
        mask_holder_name(person.name),
        mask_id_number(cipher.decrypt("id_number", person.id_number_encrypted)),
        certificate.occupation_code,
        occupation.name if occupation else "",
        certificate.level,
        institution.name,
        certificate.class_start,
        certificate.class_end,
        certificate.issued_on,
        certificate.revoked_at is not None,
        certificate.revoke_reason,
    )


@dataclass(frozen=True)
class ClassToAssess:
    class_id: int
    course_title: str
    institution_name: str
    region_code: str
    start_date: date
    end_date: date
    enrolled: int  # trainees awaiting a result
    assessed: int  # trainees with a result


def classes_to_assess(session: Session, *, region_prefix: str | None, limit: int = 200) -> list[ClassToAssess]:
    """Classes with trainees in a region (an assessor's list): those waiting for results first, then by start."""
    waiting = func.sum(case((Enrolment.state == "enrolled", 1), else_=0))
    assessed = func.sum(case((Enrolment.state.in_(("completed", "not_completed")), 1), else_=0))
    statement = (
        select(
            TrainingClass.id,
            Course.title,
            Institution.name,
            Course.region_code,
            TrainingClass.start_date,
            TrainingClass.end_date,
            waiting,
            assessed,
        )
        .join(Course, Course.id == TrainingClass.course_id)
        .join(Institution, Institution.id == Course.institution_id)
        .join(Enrolment, Enrolment.class_id == TrainingClass.id)
        .where(Enrolment.state.in_(("enrolled", "completed", "not_completed")))
        .group_by(TrainingClass.id, Course.title, Institution.name, Course.region_code)
        .order_by((waiting > 0).desc(), TrainingClass.start_date, TrainingClass.id)
        .limit(limit)
    )
    if region_prefix is not None:
        statement = statement.where(Course.region_code.startswith(region_prefix, autoescape=True))
    return [ClassToAssess(*row) for row in session.execute(statement)]
