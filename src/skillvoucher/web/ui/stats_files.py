"""The statistics files: one table as XLSX or CSV, and the monthly report (a summary sheet and a sheet per table),
with headers and vocabulary in the reader's language. The figures are the page's own."""

from __future__ import annotations

from typing import Any, Final

from fastapi.responses import Response

from skillvoucher import reporting
from skillvoucher.core import utc_now
from skillvoucher.web.i18n import N_, gettext
from skillvoucher.web.stats_access import month_text
from skillvoucher.web.stats_labels import (
    INSTITUTIONS,
    KIND_LABELS,
    MEASURE_LABELS,
    ROW_HEADERS,
    SUMMARY,
    TABLE_TITLES,
    scope_name,
    translated,
    words,
)
from skillvoucher.web.templating import local_time

SUMMARY_LABELS: Final = {
    "region": N_("Region"),
    "code": N_("Region code"),
    "period": N_("Months"),
    "kind": N_("Kind"),
    "policy": N_("Policy"),
    "generated": N_("Generated"),
}
ALL_MONTHS: Final = N_("All months")
ALL: Final = N_("All")
NO_STORE: Final = {"Cache-Control": "no-store"}


def _sheet(language: str, scope: reporting.Scope, table: str, rows: list[reporting.Row], total: Any) -> reporting.Sheet:
    return reporting.Sheet(
        title=gettext(language, TABLE_TITLES[table]),
        label=gettext(language, ROW_HEADERS[table]),
        rows=translated(rows, table, scope, language),
        total=total,
        columns=[c for c in reporting.COLUMNS if table not in reporting.RATELESS or c != "use_rate"],
    )


def _download(content: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE}
    return Response(content, media_type=media_type, headers=headers)


def export_response(
    language: str,
    scope: reporting.Scope,
    table: str,
    rows: list[reporting.Row],
    total: reporting.Totals | None,
    file_format: str,
) -> Response:
    sheet = _sheet(language, scope, table, rows, total)
    name = f"statistics-{scope.code}-{table}.{file_format}"
    if file_format == "csv":
        return _download(reporting.table_csv(sheet, words(language)), reporting.CSV_TYPE, name)
    return _download(reporting.table_xlsx(sheet, words(language)), reporting.XLSX_TYPE, name)


def report_file(language: str, board: reporting.Dashboard, policy_name: str | None, institutions: int) -> Response:
    def _(message: str) -> str:
        return gettext(language, message)

    filters, totals = board.filters, board.totals
    first, last = month_text(filters.month_from), month_text(filters.month_to)
    period = f"{first or '…'} – {last or '…'}" if first or last else _(ALL_MONTHS)
    summary: list[tuple[str, Any]] = [
        (_(SUMMARY_LABELS["region"]), scope_name(board.scope, language)),
        (_(SUMMARY_LABELS["code"]), board.scope.code),
        (_(SUMMARY_LABELS["period"]), period),
        (_(SUMMARY_LABELS["kind"]), _(KIND_LABELS[filters.kind]) if filters.kind in KIND_LABELS else _(ALL)),
        (_(SUMMARY_LABELS["policy"]), policy_name or _(ALL)),
        (_(SUMMARY_LABELS["generated"]), local_time(utc_now(), language)),
    ]
    values: dict[str, Any] = {**totals.as_dict(), "held_fen": reporting.yuan(totals.held_fen)}
    summary += [(_(label), values[measure]) for measure, label in MEASURE_LABELS.items()]
    summary.append((_(INSTITUTIONS), institutions))
    sheets = [
        _sheet(language, board.scope, name, rows, totals if name in reporting.PARTITIONS else None)
        for name, rows in board.tables.items()
    ]
    content = reporting.report_xlsx(_(SUMMARY), summary, sheets, words(language))
    span = "-".join(part.replace("-", "") for part in (first, last) if part)
    name = f"statistics-report-{board.scope.code}{'-' + span if span else ''}.xlsx"
    return _download(content, reporting.XLSX_TYPE, name)
