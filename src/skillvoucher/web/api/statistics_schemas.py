"""Answer bodies of the statistics API (web/api/statistics.py). Counts are vouchers; money is integer fen."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from skillvoucher import reporting
from skillvoucher.web.stats_access import month_text


class TotalsOut(BaseModel):
    issued: int = Field(description="vouchers issued")
    claimed: int = Field(description="vouchers taken up or claimed by their workers")
    used: int = Field(description="vouchers used for an enrolment (confirmed by the worker)")
    forfeited: int = Field(description="vouchers forfeited by a late cancellation")
    expired: int
    revoked: int
    trainees: int = Field(description="persons with a live enrolment, each once (under their earliest)")
    completed: int = Field(description="enrolments completed")
    certified: int = Field(description="certificates issued (and not revoked)")
    classes: int = Field(description="classes approved (under no policy: a row of their own in policies and kinds)")
    held_fen: int = Field(description="subsidy held for enrolments not yet paid, in fen")
    use_rate: float | None = Field(description="used / issued; null before any voucher was issued")

    @classmethod
    def of(cls, totals: reporting.Totals) -> TotalsOut:
        return cls(**totals.as_dict())


class ScopeOut(BaseModel):
    code: str = Field(description="GB/T 2260 code; 000000 for the whole country")
    name: str
    level: Literal["national", "province", "city", "county"]
    parent_code: str | None

    @classmethod
    def of(cls, scope: reporting.Scope) -> ScopeOut:
        return cls(code=scope.code, name=scope.name, level=scope.level, parent_code=scope.parent_code)


class FiltersOut(BaseModel):
    month_from: str | None = Field(description="first month counted, yyyy-mm (China time); null: from the start")
    month_to: str | None = Field(description="last month counted, yyyy-mm; null: to date")
    kind: str | None
    policy_id: int | None

    @classmethod
    def of(cls, filters: reporting.Filters) -> FiltersOut:
        return cls(
            month_from=month_text(filters.month_from) or None,
            month_to=month_text(filters.month_to) or None,
            kind=filters.kind,
            policy_id=filters.policy_id,
        )


class HeadlineOut(BaseModel):
    scope: ScopeOut
    filters: FiltersOut
    totals: TotalsOut
    institutions: int = Field(
        description="institutions in the catalogue now (accredited or under review), whatever the filters"
    )


class RowOut(BaseModel):
    key: str = Field(description="what the row is: a region code, yyyymm, a policy id, a kind, a group bit …")
    label: str
    totals: TotalsOut


class BreakdownOut(BaseModel):
    scope: ScopeOut
    filters: FiltersOut
    table: str
    rows: list[RowOut] = Field(description="largest first for policies, groups, occupations and institutions")
    row_count: int = Field(description="how many rows the table has in all (more than `rows` when `limit` cut it)")
    total: TotalsOut | None = Field(
        description="the scope's totals, which the rows add up to; null for tables whose rows overlap or count only "
        "what follows an enrolment (groups, occupations, institutions)"
    )
