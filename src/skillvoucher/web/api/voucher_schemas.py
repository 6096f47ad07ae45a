"""Request and answer bodies of the voucher API (web/api/vouchers.py). Money is integer fen throughout."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from skillvoucher import vouchers
from skillvoucher.identity import PopulationGroup

GroupName = Literal[
    "unemployed",
    "rural_migrant",
    "graduating_student",
    "enterprise_employee",
    "lifted_from_poverty",
    "veteran",
    "disabled",
    "flexible_worker",
]
Kind = Literal["face_value", "general", "targeted", "no_face_value"]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AgesIn(Model):
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)


class EligibilityIn(Model):
    regions: list[str] = Field(default=[], max_length=100, description="sub-regions (GB/T 2260); empty: the policy's")
    groups: list[GroupName] = Field(default=[], description="at least one of these population groups; empty: anyone")
    employment: list[str] = Field(default=[], max_length=10, description="employment statuses; empty: any")
    male_age: AgesIn = AgesIn()
    female_age: AgesIn = AgesIn()

    def rule(self) -> vouchers.Eligibility:
        mask = 0
        for name in self.groups:
            mask |= PopulationGroup[name.upper()].value
        return vouchers.Eligibility(
            regions=tuple(self.regions),
            groups=mask,
            employment=tuple(self.employment),
            male_age=vouchers.AgeRange(self.male_age.min_age, self.male_age.max_age),
            female_age=vouchers.AgeRange(self.female_age.min_age, self.female_age.max_age),
        )


class OccupationLevelIn(Model):
    code: str = Field(pattern=r"^\d-\d{2}-\d{2}-\d{2}$")
    level: int | None = Field(default=None, ge=1, le=5, description="empty: any level")


class PolicyIn(Model):
    name: str = Field(min_length=1, max_length=200)
    kind: Kind
    region_code: str = Field(pattern=r"^\d{6}$")
    funding_source: str = Field(min_length=1, max_length=200)
    opens_on: date
    closes_on: date
    value_fen: int | None = Field(default=None, gt=0, description="a fixed value; empty: the catalogue's standard")
    valid_until: date | None = Field(default=None, description="the last day of use, or …")
    valid_days: int | None = Field(default=None, ge=1, le=3660, description="… this many days from the claim")
    eligibility: EligibilityIn = EligibilityIn()
    occupations: list[OccupationLevelIn] = Field(default=[], max_length=200, description="empty: any catalogue course")
    budget_cap_fen: int | None = Field(default=None, ge=0)
    quantity_cap: int | None = Field(default=None, ge=0)
    yearly_limit: int | None = Field(default=None, ge=1)
    once_per_occupation_level: bool = True
    claimable: bool = False
    target_class_id: int | None = Field(default=None, ge=1)

    def terms(self) -> vouchers.PolicyTerms:
        value: vouchers.FixedValue | vouchers.CatalogueValue = (
            vouchers.CatalogueValue() if self.value_fen is None else vouchers.FixedValue(self.value_fen)
        )
        return vouchers.PolicyTerms(
            name=self.name,
            kind=vouchers.PolicyKind(self.kind),
            region_code=self.region_code,
            funding_source=self.funding_source,
            opens_on=self.opens_on,
            closes_on=self.closes_on,
            value=value,
            validity=vouchers.Validity(until=self.valid_until, days_from_claim=self.valid_days),
            eligibility=self.eligibility.rule(),
            usage=vouchers.Usage(tuple(vouchers.OccupationLevel(o.code, o.level) for o in self.occupations)),
            budget_cap_fen=self.budget_cap_fen,
            quantity_cap=self.quantity_cap,
            once_per_occupation_level=self.once_per_occupation_level,
            yearly_limit=self.yearly_limit,
            claimable=self.claimable,
            target_class_id=self.target_class_id,
        )


class PolicyLineOut(Model):
    id: int
    name: str
    kind: str
    region_code: str
    state: str
    opens_on: date
    closes_on: date
    claimable: bool
    issued_count: int
    quantity_cap: int | None
    committed_fen: int
    budget_cap_fen: int | None


class JobOut(Model):
    id: int
    state: str
    issued: int
    progress: float = Field(description="0.0 to 1.0: the share of the registry gone through")
    error: str | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    revoked: int


class PolicyOut(PolicyLineOut):
    funding_source: str
    eligibility: dict[str, object]
    usage: dict[str, object]
    value_rule: dict[str, object]
    valid_until: date | None
    valid_days: int | None
    yearly_limit: int | None
    once_per_occupation_level: bool
    target_class_id: int | None
    vouchers_by_state: dict[str, int] = {}
    jobs: list[JobOut] = []


class ListedIn(Model):
    id_numbers: list[str] = Field(min_length=1, max_length=10_000, description="resident ID numbers, one a row")


class RowProblemOut(Model):
    row: int
    message: str


class ListedOut(Model):
    rows: int
    issued: int
    problems: list[RowProblemOut]


class RosterIssueOut(Model):
    issued: int
    listed: int
    not_issued: int


class ReasonIn(Model):
    reason: str = Field(min_length=1, max_length=500)


class BatchRevokedOut(Model):
    revoked: int
    job: JobOut


class VoucherOut(Model):
    id: int
    code: str
    state: str
    value_fen: int | None = Field(description="null: worth the chosen course's subsidy standard")
    expires_on: date
    issued_at: datetime
    claimed_at: datetime | None
    ended_at: datetime | None
    reason: str | None
    policy_id: int
    policy_name: str
    kind: str
    region_code: str
    job_id: int | None


class VoucherEventOut(Model):
    at: datetime
    action: str
    actor: str
    detail: str


class VoucherDetailOut(VoucherOut):
    person_id: int
    history: list[VoucherEventOut]


class OfferOut(Model):
    policy_id: int
    name: str
    kind: str
    value_fen: int | None
    closes_on: date
    valid_until: date | None
    valid_days: int | None


class QrTokenOut(Model):
    token: str = Field(description="a compact JWT (docs/vouchers-qr.md); show it as a QR code")
    expires_in: int = Field(description="seconds")
    holder_name_masked: str
