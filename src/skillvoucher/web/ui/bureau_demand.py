"""The training-demand catalogue page for the bureau: a region's entries (or every version), and importing a
CSV/XLSX file of entries with a row-level error report. The twins of GET /api/v1/demand-catalogue and the
`skillvoucher catalogue import-demand` command."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from skillvoucher import training
from skillvoucher.core import DomainError, utc_now
from skillvoucher.identity import Permission, Principal, can
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.bureau import listed_region
from skillvoucher.web.ui.common import form_error, reading

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.INSTITUTION_READ))]
Manager = Annotated[Principal, Depends(require(Permission.CATALOGUE_MANAGE))]
RegionQuery = Annotated[str, Query(pattern=r"^(\d{6})?$")]
REPORT_LINES_SHOWN = 50


@router.get("/bureau/demand", response_class=HTMLResponse, name="bureau_demand")
def demand_page(
    request: Request, pages: PageRenderer, principal: Reader, region: RegionQuery = "", history: bool = False
) -> HTMLResponse:
    return _demand_page(request, pages, principal, region, history)


@router.post("/bureau/demand/import", name="bureau_demand_import")
def import_demand(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    file: Annotated[UploadFile, File()],
    region: Annotated[str, Form(pattern=r"^(\d{6})?$")] = "",
) -> Response:
    runtime = get_runtime(request)
    reports = runtime.settings.data_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    suffix = Path(file.filename or "").suffix.lower()
    report_path = reports / f"demand-import-{utc_now():%Y%m%dT%H%M%S}-{principal.account_id}.csv"
    with tempfile.NamedTemporaryFile(suffix=suffix if suffix in (".csv", ".xlsx") else ".csv") as upload:
        shutil.copyfileobj(file.file, upload)
        upload.flush()
        try:
            with runtime.uow.begin() as session:
                result = training.import_demand_file(
                    session, path=Path(upload.name), report_path=report_path, by=principal
                )
        except DomainError as error:
            status = DOMAIN_STATUS.get(error.kind, 400)
            return _demand_page(request, pages, principal, region, False, error=error, status=status)
    imported = {"added": result.added, "rejected": result.rejected, "report": _report_lines(result.report)}
    return _demand_page(request, pages, principal, region, False, imported=imported)


def _report_lines(path: Path | None) -> list[list[str]]:
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as report:
        return list(csv.reader(report))[: REPORT_LINES_SHOWN + 1]


def _demand_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    region: str,
    history: bool,
    *,
    imported: dict[str, object] | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HTMLResponse:
    region_code = listed_region(principal, region)
    with reading(request) as session:
        lines = training.demand_catalogue(session, region_code=region_code, history=history) if region_code else []
    context = {
        "lines": lines,
        "region": region_code or "",
        "history": history,
        "may_import": can(principal, Permission.CATALOGUE_MANAGE),
        "imported": imported,
        "active": "bureau_demand",
        **form_error(error),
    }
    return pages.render(request, "bureau/demand.html", context, status_code=status)
