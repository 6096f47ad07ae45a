"""Statistics over JSON, for other government systems: a region's issued/used figures and their breakdowns, read from
the rollups. The twins of the /stats pages; the same scope rules (a reader's region and what lies inside it; the
nation for an administrator).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from skillvoucher import reporting
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.api.problems import problem_responses
from skillvoucher.web.api.statistics_schemas import BreakdownOut, FiltersOut, HeadlineOut, RowOut, ScopeOut, TotalsOut
from skillvoucher.web.auth import require
from skillvoucher.web.deps import ReadSession
from skillvoucher.web.stats_access import StatsFilters, TableName, readable_scope
from skillvoucher.web.stats_labels import translated

router = APIRouter(prefix="/api/v1/statistics", tags=["statistics"])

Reader = Annotated[Principal, Depends(require(Permission.STATISTICS_READ))]
RegionCode = Annotated[
    str, Path(pattern=r"^\d{6}$", description="GB/T 2260 code; 000000 for the whole country", examples=["350200"])
]
READ_ERRORS = problem_responses(401, 403, 404, 422)
LANGUAGE = "zh_CN"  # labels as the pages show them in Chinese; names are always as registered


@router.get("/{region_code}", responses=READ_ERRORS)
def headline(session: ReadSession, principal: Reader, region_code: RegionCode, filters: StatsFilters) -> HeadlineOut:
    """A region's totals: vouchers issued, taken up, used, completed, certified, expired, revoked, the use rate,
    trainees, classes approved and the subsidy held, for the months, kind and policy asked for; and the
    institutions in the catalogue now."""
    scope = readable_scope(session, principal, region_code)
    totals = reporting.headline(session, region_code, filters)
    return HeadlineOut(
        scope=ScopeOut.of(scope),
        filters=FiltersOut.of(filters),
        totals=TotalsOut.of(totals),
        institutions=reporting.listed_institutions(session, region_code),
    )


@router.get("/{region_code}/{table}", responses=READ_ERRORS)
def breakdown(
    session: ReadSession,
    principal: Reader,
    region_code: RegionCode,
    table: TableName,
    filters: StatsFilters,
    limit: Annotated[
        int | None, Query(ge=1, le=100_000, description="at most this many rows: a long table's largest")
    ] = None,
) -> BreakdownOut:
    """One breakdown of a region's totals: `months` (yyyymm), `regions` (the sub-regions: provinces of the nation,
    cities of a province, counties of a city), `policies`, `kinds`, `groups` (population groups), `occupations`
    (occupation code:level), `institutions`, `pilot` (the 2020 pilot cities against the rest). The nation has
    thousands of policies (a targeted one per class) and institutions: `limit` returns the largest."""
    scope = readable_scope(session, principal, region_code)
    found, row_count = reporting.ranked_table(session, region_code, table, filters, limit)
    rows = translated(found, table, scope, LANGUAGE)
    total = reporting.headline(session, region_code, filters) if table in reporting.PARTITIONS else None
    return BreakdownOut(
        scope=ScopeOut.of(scope),
        filters=FiltersOut.of(filters),
        table=table,
        rows=[RowOut(key=row.key, label=row.label, totals=TotalsOut.of(row.totals)) for row in rows],
        row_count=row_count,
        total=TotalsOut.of(total) if total is not None else None,
    )
