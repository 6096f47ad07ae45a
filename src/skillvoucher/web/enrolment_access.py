"""What the enrolment pages and API share: the attendance key, loading a class the caller may act on, checking in
with the step-up rule for check-ins, and the device fingerprint.

The step-up rule for check-ins: a trainee checks in at every session, and asking for an e-SSC confirmation each
time would be too much. A check-in passes when the worker confirmed their real name either within
SKILLVOUCHER_STEP_UP_MINUTES (as every step-up act) or at any time since this session's check-in opened (30 minutes
before its start): at most one confirmation per session. Signing in with the e-SSC counts as a confirmation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from fastapi import Request
from sqlalchemy.orm import Session

from skillvoucher import enrolment
from skillvoucher.core import NotFound
from skillvoucher.identity import Permission, Principal, Resource, authz
from skillvoucher.training import ClassSession, Course, Institution, TrainingClass
from skillvoucher.web.auth import StepUpRequired, authorize, require_recent_real_name
from skillvoucher.web.deps import get_runtime

FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


def attendance_key_of(request: Request) -> bytes:
    """The key that signs attendance codes, derived once per application from the session secret."""
    state = request.app.state
    key: bytes | None = getattr(state, "attendance_key", None)
    if key is None:
        key = enrolment.attendance_key(get_runtime(request).settings.keys.session_secret)
        state.attendance_key = key
    return key


@dataclass(frozen=True)
class ClassView:
    id: int
    course_title: str
    institution_id: int
    institution_name: str
    region_code: str
    start_date: date
    end_date: date
    state: str
    capacity: int
    enrolled_count: int

    @property
    def resource(self) -> Resource:
        return Resource(region_code=self.region_code, institution_id=self.institution_id)


def class_view(session: Session, class_id: int) -> ClassView:
    training_class = session.get(TrainingClass, class_id)
    course = session.get(Course, training_class.course_id) if training_class else None
    institution = session.get(Institution, course.institution_id) if course else None
    if training_class is None or course is None or institution is None:
        raise NotFound("没有这个班级 / no such class")
    return ClassView(
        training_class.id,
        course.title,
        institution.id,
        institution.name,
        course.region_code,
        training_class.start_date,
        training_class.end_date,
        training_class.state,
        training_class.capacity,
        training_class.enrolled_count,
    )


def managed_class(session: Session, principal: Principal, class_id: int) -> ClassView:
    """A class of the principal's own institution (another institution's is 403)."""
    view = class_view(session, class_id)
    authorize(principal, Permission.ENROLMENT_MANAGE, view.resource)
    return view


def readable_class(session: Session, principal: Principal, class_id: int) -> ClassView:
    """A class whose evidence the bureau may read: in the reader's region."""
    view = class_view(session, class_id)
    authorize(principal, Permission.EVIDENCE_READ, view.resource)
    return view


def assessable_class(session: Session, principal: Principal, class_id: int) -> ClassView:
    view = class_view(session, class_id)
    authorize(principal, Permission.ASSESSMENT_RECORD, view.resource)
    return view


def evidence_class(session: Session, principal: Principal, class_id: int) -> ClassView:
    """Its own institution, or the bureau in its region, may read a class's evidence."""
    view = class_view(session, class_id)
    if not any(
        authz.can(principal, permission, view.resource)
        for permission in (Permission.ENROLMENT_MANAGE, Permission.EVIDENCE_READ)
    ):
        authorize(principal, Permission.EVIDENCE_READ, view.resource)  # raises, with the usual message
    return view


def may_read_evidence(principal: Principal) -> bool:
    return authz.can(principal, Permission.ENROLMENT_MANAGE) or authz.can(principal, Permission.EVIDENCE_READ)


def class_session_of(session: Session, class_id: int, session_id: int) -> ClassSession:
    found = session.get(ClassSession, session_id)
    if found is None or found.class_id != class_id:
        raise NotFound("没有这节课 / no such class session")
    return found


def device_fingerprint(request: Request, given: str | None) -> str:
    """The page's SHA-256 of the phone's properties, else a hash of its User-Agent header."""
    text = (given or "").strip().lower()
    if FINGERPRINT.match(text):
        return text
    return hashlib.sha256(request.headers.get("user-agent", "").encode()).hexdigest()


def check_in_url(request: Request, code: str) -> str:
    """An absolute URL, so that any phone's camera app opens the check-in page with the code filled in."""
    return str(request.url_for("worker_check_in").include_query_params(code=code))


def network_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def check_in_now(request: Request, principal: Principal, code: str, fingerprint: str | None) -> enrolment.CheckIn:
    """Check in with a scanned code, in one transaction; refused (and rolled back) when the step-up rule above
    is not met."""
    runtime = get_runtime(request)
    with runtime.uow.begin() as session:
        done = enrolment.check_in(
            session,
            attendance_key_of(request),
            code=code,
            person_id=principal.account_id,
            now=runtime.clock.now(),
            device_fingerprint=device_fingerprint(request, fingerprint),
            network_address=network_address(request),
            by=principal,
        )
        class_session = session.get(ClassSession, done.session_id)
        assert class_session is not None
        require_confirmation_for_session(request, principal, class_session.starts_at)
    return done


def require_confirmation_for_session(request: Request, principal: Principal, starts_at: datetime) -> None:
    try:
        require_recent_real_name(request, principal)
        return
    except StepUpRequired:
        confirmed = request.session.get("real_name_at")
        opened = starts_at - enrolment.CHECK_IN_MARGIN
        if not isinstance(confirmed, int) or datetime.fromtimestamp(confirmed, UTC) < opened:
            raise
