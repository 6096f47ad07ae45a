"""The bureau's voucher policy pages: a region's policies, a new policy, and one policy with its counts, batches and
actions (issue to everyone eligible, to a list of ID numbers, to a class roster; close). Auditors read.

The twins of /api/v1/voucher-policies; the same actions of `skillvoucher.vouchers`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from skillvoucher import training, vouchers
from skillvoucher.core import DomainError, Invalid
from skillvoucher.identity import EmploymentStatus, Permission, PopulationGroup, Principal, can
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import form_error, reading, see_other
from skillvoucher.web.ui.labels import EMPLOYMENT_LABELS, GROUP_LABELS
from skillvoucher.web.ui.voucher_form import PolicyForm, blank_form, policy_form, policy_terms
from skillvoucher.web.voucher_access import listed_policy_region, readable_policy, submit_batch, today

router = APIRouter(include_in_schema=False)

Reader = Annotated[Principal, Depends(require(Permission.VOUCHER_READ))]
Manager = Annotated[Principal, Depends(require(Permission.VOUCHER_MANAGE))]
Id = Annotated[int, Path(ge=1)]
RegionQuery = Annotated[str, Query(pattern=r"^(\d{6})?$")]
MAX_LISTED_ROWS = 2000  # a page upload; larger lists go through the API


@router.get("/bureau/policies", response_class=HTMLResponse, name="bureau_policies")
def policies_page(request: Request, pages: PageRenderer, principal: Reader, region: RegionQuery = "") -> HTMLResponse:
    region_code = listed_policy_region(principal, region) if region or principal.region_code else ""
    with reading(request) as session:
        lines = vouchers.region_policies(session, region_code=region_code) if region_code else []
    context = {
        "policies": lines,
        "region": region_code,
        "may_manage": can(principal, Permission.VOUCHER_MANAGE),
        "active": "bureau_policies",
    }
    return pages.render(request, "bureau/policies.html", context)


@router.get("/bureau/policies/new", response_class=HTMLResponse, name="bureau_policy_new")
def new_policy_page(request: Request, pages: PageRenderer, principal: Manager) -> HTMLResponse:
    form = blank_form(principal.region_code or "", today(get_runtime(request)))
    return _new_policy_page(request, pages, form)


@router.post("/bureau/policies/new", name="bureau_policy_define")
def define_policy(
    request: Request, pages: PageRenderer, principal: Manager, form: Annotated[PolicyForm, Depends(policy_form)]
) -> Response:
    runtime = get_runtime(request)
    try:
        terms = policy_terms(form)
        with runtime.uow.begin() as session:
            policy = vouchers.define_policy(session, terms=terms, today=today(runtime), by=principal)
            policy_id = policy.id
    except DomainError as error:
        return _new_policy_page(request, pages, form, error=error, status=DOMAIN_STATUS.get(error.kind, 400))
    return see_other(f"/bureau/policies/{policy_id}", defined="1")


@router.get("/bureau/policies/{policy_id}", response_class=HTMLResponse, name="bureau_policy")
def policy_page(request: Request, pages: PageRenderer, principal: Reader, policy_id: Id) -> HTMLResponse:
    return _policy_page(request, pages, principal, policy_id)


@router.post("/bureau/policies/{policy_id}/batch", name="bureau_policy_batch")
def start_batch(request: Request, pages: PageRenderer, principal: Manager, policy_id: Id) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            job = vouchers.start_batch(session, policy_id=policy_id, today=today(runtime), by=principal)
            job_id = job.id
    except DomainError as error:
        return _policy_page(request, pages, principal, policy_id, error=error)
    submit_batch(request, job_id)
    return see_other(f"/bureau/jobs/{job_id}")


@router.post("/bureau/policies/{policy_id}/listed", name="bureau_policy_listed")
def issue_to_listed(
    request: Request,
    pages: PageRenderer,
    principal: Manager,
    policy_id: Id,
    id_numbers: Annotated[str, Form(max_length=60_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    runtime = get_runtime(request)
    try:
        lines = _listed_lines(id_numbers, file)
        with runtime.uow.begin() as session:
            result = vouchers.issue_to_listed(
                session,
                runtime.cipher,
                policy_id=policy_id,
                rows=[(line.number, line.id_number) for line in lines],
                today=today(runtime),
                by=principal,
            )
    except DomainError as error:
        return _policy_page(request, pages, principal, policy_id, error=error)
    return _policy_page(request, pages, principal, policy_id, listed=result)


def _listed_lines(text: str, file: UploadFile | None) -> list[Any]:
    """The ID numbers of an uploaded CSV/XLSX file (its 身份证号码 column), else of the text box, one a line."""
    if file is not None and file.filename:
        suffix = FilePath(file.filename).suffix.lower()
        with tempfile.NamedTemporaryFile(suffix=suffix if suffix in (".csv", ".xlsx") else ".csv") as upload:
            shutil.copyfileobj(file.file, upload)
            upload.flush()
            lines = list(training.roster_file_lines(FilePath(upload.name)))
    else:
        lines = list(training.roster_lines(text))
    if not lines:
        raise Invalid("请填写或上传身份证号码 / enter or upload resident ID numbers")
    if len(lines) > MAX_LISTED_ROWS:
        raise Invalid(
            f"一次最多 {MAX_LISTED_ROWS} 行，请分批上传或使用接口 / at most {MAX_LISTED_ROWS} rows at once: split the "
            "file or use the API"
        )
    return lines


@router.post("/bureau/policies/{policy_id}/roster-issue", name="bureau_policy_roster")
def issue_to_roster(request: Request, pages: PageRenderer, principal: Manager, policy_id: Id) -> Response:
    runtime = get_runtime(request)
    try:
        with runtime.uow.begin() as session:
            issued = vouchers.issue_to_class_roster(session, policy_id=policy_id, today=today(runtime), by=principal)
    except DomainError as error:
        return _policy_page(request, pages, principal, policy_id, error=error)
    return _policy_page(request, pages, principal, policy_id, roster=issued)


@router.post("/bureau/policies/{policy_id}/close", name="bureau_policy_close")
def close_policy(request: Request, pages: PageRenderer, principal: Manager, policy_id: Id) -> Response:
    try:
        with get_runtime(request).uow.begin() as session:
            vouchers.close_policy(session, policy_id=policy_id, by=principal)
    except DomainError as error:
        return _policy_page(request, pages, principal, policy_id, error=error)
    return see_other(f"/bureau/policies/{policy_id}", closed="1")


def _new_policy_page(
    request: Request, pages: PageRenderer, form: PolicyForm, *, error: DomainError | None = None, status: int = 200
) -> HTMLResponse:
    context = {
        "form": form,
        "kinds": [k.value for k in vouchers.PolicyKind],
        "groups": [(int(g), GROUP_LABELS[g]) for g in PopulationGroup],
        "statuses": [(s.value, EMPLOYMENT_LABELS[s.value]) for s in EmploymentStatus],
        "active": "bureau_policies",
        **form_error(error),
    }
    return pages.render(request, "bureau/policy_new.html", context, status_code=status)


def _policy_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    policy_id: int,
    *,
    error: DomainError | None = None,
    listed: vouchers.RosterFileResult | None = None,
    roster: vouchers.RosterIssue | None = None,
) -> HTMLResponse:
    with reading(request) as session:
        policy = readable_policy(session, principal, policy_id)
        rules = vouchers.rules_of(policy)
        counts = vouchers.count_policy_vouchers(session, policy_id=policy_id)
        jobs = vouchers.policy_jobs(session, policy_id=policy_id)
    context = {
        "policy": policy,
        "rules": rules,
        "counts": counts,
        "jobs": jobs,
        "may_manage": can(principal, Permission.VOUCHER_MANAGE),
        "listed": listed,
        "roster": roster,
        "defined": request.query_params.get("defined") == "1",
        "closed": request.query_params.get("closed") == "1",
        "active": "bureau_policies",
        **form_error(error),
    }
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, "bureau/policy.html", context, status_code=status)
