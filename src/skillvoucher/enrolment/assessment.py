"""Assessment by a body independent of the institution, completion, and certificates with unified serial numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.core import Invalid, utc_now
from skillvoucher.enrolment import rules
from skillvoucher.enrolment.access import actor_of, authorize, record
from skillvoucher.enrolment.errors import AssessmentRefused, CertificateNotFound, EnrolmentNotFound
from skillvoucher.enrolment.models import AssessmentResult, Attendance, Certificate, Enrolment
from skillvoucher.enrolment.tally import count_enrolment
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.stats import month_of, month_of_day
from skillvoucher.training import AssessmentBody, ClassSession, Course, Institution, TrainingClass
from skillvoucher.vouchers import Voucher, VoucherPolicy


@dataclass(frozen=True)
class ResultEntry:
    enrolment_id: int
    passed: bool
    score: int | None = None


@dataclass(frozen=True)
class Outcome:
    enrolment_id: int
    completion: rules.Completion
    certificate_serial: str | None


def attended_sessions(session: Session, enrolment_id: int) -> list[rules.AttendedSession]:
    """Each session attended once: strong with a scan of the screen's code or enough online prompts answered."""
    rows = session.execute(
        select(Attendance.session_id, Attendance.evidence, ClassSession.starts_at, ClassSession.ends_at)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(Attendance.enrolment_id == enrolment_id)
    )
    minutes: dict[int, int] = {}
    evidence: dict[int, list[str]] = {}
    for session_id, kind, starts_at, ends_at in rows:
        minutes[session_id] = int((ends_at - starts_at).total_seconds() // 60)
        evidence.setdefault(session_id, []).append(kind)
    return [rules.AttendedSession(minutes[sid], _strong(kinds)) for sid, kinds in evidence.items()]


def _strong(kinds: list[str]) -> bool:
    return "self_scan" in kinds or kinds.count("online_prompt") >= rules.ONLINE_PROMPTS_NEEDED


def record_results(
    session: Session, *, class_id: int, results: list[ResultEntry], today: date, by: Principal | None
) -> list[Outcome]:
    """An assessor records results for a class; each trainee's completion is decided, and a certificate issued to
    each who completed."""
    training_class = session.get(TrainingClass, class_id)
    if training_class is None:
        raise Invalid("班级不存在 / no such class")
    course = session.get(Course, training_class.course_id)
    assert course is not None
    authorize(by, Permission.ASSESSMENT_RECORD, Resource(region_code=course.region_code))
    body = _assessment_body(session, by)
    institution = session.get(Institution, course.institution_id)
    assert institution is not None
    if body.uscc == institution.uscc:
        raise AssessmentRefused("培训机构不能考核自己的班级 / an institution cannot assess its own class")
    outcomes = []
    for entry in results:
        outcomes.append(_record_one(session, entry, training_class, course, body, today, by))
    return outcomes


def _assessment_body(session: Session, by: Principal | None) -> AssessmentBody:
    body_id = by.assessment_body_id if by is not None else None
    body = session.get(AssessmentBody, body_id) if body_id is not None else None
    if body is None:
        raise AssessmentRefused("只有评价机构的考评员可以录入结果 / only an assessment body's assessor records results")
    return body


def _record_one(
    session: Session,
    entry: ResultEntry,
    training_class: TrainingClass,
    course: Course,
    body: AssessmentBody,
    today: date,
    by: Principal | None,
) -> Outcome:
    enrolment = session.get(Enrolment, entry.enrolment_id, with_for_update=True)
    if enrolment is None or enrolment.class_id != training_class.id:
        raise EnrolmentNotFound()
    if enrolment.state != "enrolled":
        raise AssessmentRefused(f"报名状态为“{enrolment.state}”，不能录入结果 / enrolment is {enrolment.state}")
    if entry.score is not None and not 0 <= entry.score <= 100:
        raise Invalid("分数应在 0–100 之间 / scores are 0 to 100")
    session.add(
        AssessmentResult(
            enrolment_id=enrolment.id,
            assessment_body_id=body.id,
            passed=entry.passed,
            score=entry.score,
            recorded_by=actor_of(by).label,
            recorded_at=utc_now(),
        )
    )
    voucher = session.get(Voucher, enrolment.voucher_id)
    assert voucher is not None
    policy = session.get(VoucherPolicy, voucher.policy_id)
    assert policy is not None
    decided = rules.completion(
        attended_sessions(session, enrolment.id),
        course_hours=course.hours,
        attendance_percent=policy.attendance_percent,
        passed=entry.passed,
    )
    enrolment.state, enrolment.ended_at = ("completed" if decided.completed else "not_completed"), utc_now()
    if decided.completed:
        count_enrolment(session, enrolment, course, policy.id, month_of(enrolment.ended_at), completed=1)
        count_enrolment(session, enrolment, course, policy.id, month_of_day(today), certified=1)
    else:  # nothing will be paid: the held subsidy goes back, in the month it was held
        assert enrolment.confirmed_at is not None
        held = enrolment.value_fen or 0
        count_enrolment(session, enrolment, course, policy.id, month_of(enrolment.confirmed_at), held_fen=-held)
    serial = None
    if decided.completed:
        serial = rules.certificate_serial(today, course.region_code, enrolment.id)
        session.add(
            Certificate(
                serial=serial,
                enrolment_id=enrolment.id,
                person_id=enrolment.person_id,
                occupation_code=course.occupation_code,
                level=course.level,
                institution_id=course.institution_id,
                assessment_body_id=body.id,
                class_start=training_class.start_date,
                class_end=training_class.end_date,
                issued_on=today,
            )
        )
    session.flush()
    data = {"passed": entry.passed, "completed": decided.completed, "certificate": serial}
    record(session, by, "enrolment.assessed", "enrolment", enrolment.id, data)
    return Outcome(enrolment.id, decided, serial)


def revoke_certificate(session: Session, *, serial: str, reason: str, by: Principal | None) -> Certificate:
    certificate = session.scalar(select(Certificate).where(Certificate.serial == serial.strip().upper()))
    if certificate is None:
        raise CertificateNotFound()
    institution = session.get(Institution, certificate.institution_id)
    assert institution is not None
    authorize(by, Permission.CERTIFICATE_REVOKE, Resource(region_code=institution.region_code))
    text = reason.strip()
    if not text:
        raise Invalid("请填写原因 / give a reason")
    if certificate.revoked_at is not None:
        raise AssessmentRefused("证书已撤销 / the certificate is already revoked")
    certificate.revoked_at, certificate.revoke_reason = utc_now(), text[:500]
    _count_revoked_certificate(session, certificate)
    record(session, by, "certificate.revoked", "certificate", certificate.id, {"reason": text[:500]})
    return certificate


def _count_revoked_certificate(session: Session, certificate: Certificate) -> None:
    enrolment = session.get(Enrolment, certificate.enrolment_id)
    assert enrolment is not None
    training_class = session.get(TrainingClass, enrolment.class_id)
    assert training_class is not None
    course = session.get(Course, training_class.course_id)
    voucher = session.get(Voucher, enrolment.voucher_id)
    assert course is not None
    assert voucher is not None
    count_enrolment(session, enrolment, course, voucher.policy_id, month_of_day(certificate.issued_on), certified=-1)
