"""Request and answer bodies of the catalogue API (web/api/catalogues.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CourseHitOut(Model):
    id: int
    title: str
    institution_id: int
    institution_name: str
    occupation_code: str
    occupation_name: str
    level: int
    mode: str
    price_fen: int
    hours: int
    region_code: str
    region_name: str
    next_start: date | None
    open_enrolment: bool
    distance: int | None = Field(description="0 same county, 1 same city, 2 same province, 3 elsewhere")


class CoursePageOut(Model):
    items: list[CourseHitOut]
    page: int
    per_page: int
    has_next: bool


class ScopeItem(Model):
    occupation_code: str = Field(pattern=r"^\d-\d{2}-\d{2}-\d{2}$")
    level: int = Field(ge=1, le=5)


class InstitutionOut(Model):
    id: int
    name: str
    uscc: str
    kind: str
    address: str
    region_code: str
    contact_phone: str
    accreditation: str
    accreditation_changed_at: datetime
    scope: list[ScopeItem]


class InstitutionIn(Model):
    name: str = Field(min_length=1, max_length=200)
    uscc: str = Field(min_length=18, max_length=24)
    kind: str
    address: str = Field(max_length=300)
    region_code: str = Field(pattern=r"^\d{6}$")
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field(max_length=30)


class AccreditationIn(Model):
    to: Literal["accredited", "under_review", "payments_suspended", "delisted"]
    reason: str = Field(min_length=1, max_length=500)


class ScopeIn(Model):
    items: list[ScopeItem] = Field(max_length=500)


class BankAccountIn(Model):
    bank_name: str = Field(min_length=1, max_length=100)
    account_name: str = Field(min_length=1, max_length=200)
    account_number: str = Field(min_length=8, max_length=40)


class DecisionIn(Model):
    approve: bool
    reason: str = Field(default="", max_length=500)


class BankChangeOut(Model):
    id: int
    institution_id: int
    state: str
    requested_by: str
    decided_by: str | None


class DemandIn(Model):
    region_code: str = Field(pattern=r"^\d{6}$")
    occupation_code: str
    level: int = Field(ge=1, le=5)
    subsidy_fen: int = Field(ge=0)
    standard_hours: int = Field(gt=0)
    flag: Literal["none", "shortage", "key"] = "none"
    uplift_percent: int = Field(default=0, ge=0, le=100)
    valid_from: date
    valid_to: date | None = None


class DemandOut(DemandIn):
    id: int
    version: int
    supersedes_id: int | None


class CourseIn(Model):
    occupation_code: str
    level: int = Field(ge=1, le=5)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    hours: int = Field(gt=0)
    price_fen: int = Field(ge=0)
    mode: Literal["in_person", "online", "mixed"]
    address: str = Field(max_length=300)
    region_code: str = Field(pattern=r"^\d{6}$")
    capacity: int = Field(gt=0)
    open_enrolment: bool = False


class CourseOut(Model):
    id: int
    institution_id: int
    title: str
    status: str


class WithdrawalIn(Model):
    reason: str = Field(default="", max_length=500)


class SessionIn(Model):
    starts_at: datetime
    ends_at: datetime
    topic: str = Field(max_length=200)
    place: str = Field(max_length=300)


class TeacherIn(Model):
    name: str = Field(min_length=1, max_length=100)
    qualification: str = Field(max_length=200)


class ClassIn(Model):
    course_id: int
    start_date: date
    end_date: date
    capacity: int = Field(gt=0)
    assessment_plan: str = Field(max_length=5000)
    sessions: list[SessionIn] = Field(min_length=1, max_length=500)
    teachers: list[TeacherIn] = Field(min_length=1, max_length=50)


class ClassOut(Model):
    id: int
    course_id: int
    start_date: date
    end_date: date
    state: str
    reason: str | None
    decided_by: str | None


class ClassApplicationOut(Model):
    id: int
    course_id: int
    course_title: str
    institution_id: int
    institution_name: str
    region_code: str
    start_date: date
    end_date: date
    capacity: int
    state: str
    roster_size: int = Field(description="how many people the class's roster lists")


class CancellationIn(Model):
    reason: str = Field(min_length=1, max_length=500)


class RosterIn(Model):
    id_numbers: list[Annotated[str, Field(max_length=40)]] = Field(
        min_length=1,
        max_length=2000,
        description="resident ID numbers of the trainees; a refusal names each wrong one by its position, from 1",
    )


class TraineeOut(Model):
    person_id: int
    name_masked: str
    id_number_masked: str


class RosterOut(Model):
    class_id: int
    state: str
    capacity: int
    frozen: bool = Field(description="true once the class is decided or cancelled: the roster can no longer change")
    trainees: list[TraineeOut]


class InstitutionSummaryOut(Model):
    id: int
    name: str
    uscc: str
    kind: str
    region_code: str
    accreditation: str
    accreditation_reason: str
    accreditation_changed_at: datetime


class DemandLineOut(Model):
    id: int
    region_code: str
    occupation_code: str
    occupation_name: str
    level: int
    subsidy_fen: int
    flag: str
    uplift_percent: int
    subsidy_with_uplift_fen: int
    standard_hours: int
    valid_from: date
    valid_to: date | None
    version: int
    superseded: bool
