"""Request and answer bodies of the enrolment API (web/api/enrolment.py). Money is integer fen throughout."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class VerifyIn(Model):
    presented: str = Field(min_length=1, max_length=4000, description="the scanned QR token or the typed code")


class OfferOut(Model):
    enrolment_id: int
    class_id: int
    holder_name_masked: str
    voucher_kind: str
    value_fen: int = Field(description="the subsidy the enrolment would hold")
    worker_pays: bool = Field(description="a no-face-value voucher: the worker pays; the subsidy follows")
    voucher_expires_on: date
    state: str = Field(default="pending", description="waiting for the worker's confirmation on their phone")


class EnrolmentOut(Model):
    id: int
    class_id: int
    state: str
    value_fen: int | None
    worker_pays: bool
    voucher_outcome: str | None = Field(description="after a cancellation: released or forfeited")


class ReasonIn(Model):
    reason: str = Field(min_length=1, max_length=500)


class TraineeEvidenceOut(Model):
    enrolment_id: int
    name_masked: str
    state: str
    sessions_strong: int
    sessions_weak: int
    strong_minutes: int
    passed: bool | None
    certificate_serial: str | None


class AttendanceRowIn(Model):
    session_id: int = Field(ge=1)
    id_number: str = Field(min_length=1, max_length=20)


class AttendanceFileIn(Model):
    rows: list[AttendanceRowIn] = Field(min_length=1, max_length=20_000)


class RowProblemOut(Model):
    row: int = Field(description="1-based position in `rows`")
    message: str


class AttendanceFileOut(Model):
    recorded: int
    problems: list[RowProblemOut]
    evidence: str = Field(default="institution_file", description="weak evidence, counted apart from check-ins")


class ScreenCodeOut(Model):
    session_id: int
    code: str
    check_in_url: str = Field(description="what the screen's QR code encodes: the check-in page with the code")
    window_seconds: int = Field(description="a new code every so many seconds; each is accepted for two windows")
    check_ins: int


class CheckInIn(Model):
    code: str = Field(min_length=1, max_length=200)
    device_fingerprint: str | None = Field(default=None, max_length=64, description="SHA-256 hex of the device")


class CheckInOut(Model):
    session_id: int
    class_id: int
    topic: str
    checked_at: datetime


class PendingOut(Model):
    enrolment_id: int
    class_id: int
    course_title: str
    institution_name: str
    class_start: date
    verified_at: datetime


class RecordLineOut(Model):
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


class MyEnrolmentsOut(Model):
    pending: list[PendingOut]
    record: list[RecordLineOut]


class ResultIn(Model):
    enrolment_id: int = Field(ge=1)
    passed: bool
    score: int | None = Field(default=None, ge=0, le=100)


class ResultsIn(Model):
    results: list[ResultIn] = Field(min_length=1, max_length=1000)


class OutcomeOut(Model):
    enrolment_id: int
    completed: bool
    reason: str = Field(description="why not completed (both languages); empty when completed")
    strong_minutes: int
    weak_minutes: int
    required_minutes: int
    certificate_serial: str | None


class CertificateOut(Model):
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
