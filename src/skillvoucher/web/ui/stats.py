"""The statistics pages: a region's issued/used figures, trend and breakdown charts, a region table that drills down,
and every table as XLSX or CSV, with the monthly report as one workbook. Officers and auditors see their region and
what lies inside it; an administrator sees the nation.

The twins of /api/v1/statistics; the figures are `skillvoucher.reporting`'s, read from the rollups.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from skillvoucher import reporting
from skillvoucher.core import utc_now
from skillvoucher.identity import Permission, Principal
from skillvoucher.stats import NO_POLICY
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer
from skillvoucher.web.i18n import gettext
from skillvoucher.web.stats_access import (
    KINDS,
    StatsFilters,
    TableName,
    filter_query,
    month_text,
    own_scope,
    readable_scope,
    top_scope,
)
from skillvoucher.web.stats_labels import (
    KIND_LABELS,
    MEASURE_LABELS,
    ROW_HEADERS,
    TABLE_TITLES,
    scope_name,
    translated,
)
from skillvoucher.web.templating import language_of
from skillvoucher.web.ui.common import reading
from skillvoucher.web.ui.stats_files import export_response, report_file

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.STATISTICS_READ))]
RegionCode = Annotated[str, Path(pattern=r"^\d{6}$")]
TOP_ROWS: Final = 20  # rows of the long tables (reporting.LONG_TABLES) on the page; the files have them all
POLICY_CHOICES: Final = 50  # the filter offers the scope's largest policies; the policy table links to every one
# What each table shows on the page; occupations and institutions only count what follows an enrolment.
PAGE_COLUMNS: Final = ("issued", "claimed", "used", "use_rate", "completed", "certified", "held_fen")
ENROLMENT_COLUMNS: Final = ("classes", "used", "completed", "certified", "forfeited", "held_fen")


@router.get("/stats", name="stats_home")
def stats_home(principal: Reader) -> RedirectResponse:
    """The reader's own region."""
    return RedirectResponse(f"/stats/{own_scope(principal)}", status_code=303)


@router.get("/stats/{region_code}", response_class=HTMLResponse, name="stats_page")
def stats_page(
    request: Request, pages: PageRenderer, principal: Reader, region_code: RegionCode, filters: StatsFilters
) -> HTMLResponse:
    language = language_of(request)
    with reading(request) as session:
        scope = readable_scope(session, principal, region_code)
        board = reporting.dashboard(session, region_code, filters, long_limit=TOP_ROWS)
        path = reporting.scope_path(session, region_code, top_scope(principal))
        policies = reporting.by_policy(session, region_code, limit=POLICY_CHOICES)  # unfiltered: what to filter by
        chosen = _policy_name(session, region_code, filters)
        institutions = reporting.listed_institutions(session, region_code)
    tables = {name: _shown(name, translated(rows, name, scope, language)) for name, rows in board.tables.items()}
    query = filter_query(filters)
    context = {
        "scope": scope,
        "scope_name": scope_name(scope, language),
        "path": [(item, scope_name(item, language)) for item in path],
        "board": board,
        "tables": tables,
        "order": reporting.TABLES,
        "partitions": reporting.PARTITIONS,
        "titles": TABLE_TITLES,
        "row_headers": ROW_HEADERS,
        "measure_labels": MEASURE_LABELS,
        "columns": {name: _page_columns(name) for name in tables},
        "top_rows": TOP_ROWS,
        "long_tables": reporting.LONG_TABLES,
        "sizes": board.sizes,
        "query": query,
        "form": {
            "from": month_text(filters.month_from),
            "to": month_text(filters.month_to),
            "kind": filters.kind or "",
            "policy": filters.policy_id,
        },
        "kinds": KINDS,
        "policies": _policy_choices(policies, filters.policy_id, chosen),
        "institutions": institutions,
        "charts": _charts(tables, board.totals, language),
        "generated": utc_now(),
        "kind_labels": KIND_LABELS,
        "active": "stats_home",
    }
    return pages.render(request, "stats/dashboard.html", context)


@router.get("/stats/{region_code}/tables/{table}.{file_format}", name="stats_table_file")
def table_file(
    request: Request,
    principal: Reader,
    region_code: RegionCode,
    table: TableName,
    file_format: Literal["xlsx", "csv"],
    filters: StatsFilters,
) -> Response:
    """One table of the page, every row (the page shows the first few of the long ones)."""
    with reading(request) as session:
        scope = readable_scope(session, principal, region_code)
        rows = reporting.table(session, region_code, table, filters)
        total = reporting.headline(session, region_code, filters) if table in reporting.PARTITIONS else None
    return export_response(language_of(request), scope, table, rows, total, file_format)


@router.get("/stats/{region_code}/report.xlsx", name="stats_report")
def report(request: Request, principal: Reader, region_code: RegionCode, filters: StatsFilters) -> Response:
    """The monthly report: a summary sheet, then one sheet per table."""
    with reading(request) as session:
        readable_scope(session, principal, region_code)
        board = reporting.dashboard(session, region_code, filters)
        policy_name = _policy_name(session, region_code, filters)
        institutions = reporting.listed_institutions(session, region_code)
    return report_file(language_of(request), board, policy_name, institutions)


def _policy_choices(
    policies: list[reporting.Row], chosen_id: int | None, chosen_name: str | None
) -> list[tuple[int, str]]:
    """The largest policies and the one chosen, for the filter's list."""
    choices = [(int(row.key), row.label) for row in policies if int(row.key) != NO_POLICY]
    if chosen_id is not None and chosen_name is not None and chosen_id not in {pid for pid, _ in choices}:
        choices.append((chosen_id, chosen_name))
    return choices


def _shown(table: str, rows: list[reporting.Row]) -> list[reporting.Row]:
    """The rows a page table shows. Approved classes belong to no policy: their row in the policy and kind tables
    has nothing in the columns those tables show (the classes are in the headline and by occupation and institution);
    the files keep it."""
    if table not in ("policies", "kinds"):
        return rows
    return [row for row in rows if row.key not in (str(NO_POLICY), reporting.NO_POLICY_KIND)]


def _page_columns(table: str) -> tuple[str, ...]:
    columns = ENROLMENT_COLUMNS if table in ("occupations", "institutions") else PAGE_COLUMNS
    return tuple(c for c in columns if table not in reporting.RATELESS or c != "use_rate")


def _policy_name(session: Session, code: str, filters: reporting.Filters) -> str | None:
    if filters.policy_id is None:
        return None
    rows = reporting.by_policy(session, code, reporting.Filters(policy_id=filters.policy_id))
    return rows[0].label if rows else str(filters.policy_id)


def _charts(tables: dict[str, list[reporting.Row]], totals: reporting.Totals, language: str) -> dict[str, Any]:
    """What the charts draw (stats.js reads it from the page): series names in the reader's language."""

    def series(rows: list[reporting.Row], *measures: str) -> dict[str, Any]:
        return {
            "labels": [row.label for row in rows],
            "series": [
                {
                    "key": m,
                    "name": gettext(language, MEASURE_LABELS[m]),
                    "data": [getattr(row.totals, m) for row in rows],
                }
                for m in measures
            ],
        }

    return {
        "language": language,
        "months": series(tables["months"], "issued", "claimed", "used", "completed"),
        "kinds": series([row for row in tables["kinds"] if row.totals.issued], "issued", "used"),
        "groups": series(tables["groups"], "issued", "used"),
        "empty": totals == reporting.Totals(),
    }
