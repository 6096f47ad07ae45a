"""An assessor's pages: classes with trainees in their region, and a class's results form. Each result decides the
trainee's completion at once (own-device attendance and a pass) and issues the certificate.

The twin of POST /api/v1/classes/{id}/results.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from skillvoucher import enrolment
from skillvoucher.core import DomainError, Invalid
from skillvoucher.identity import Permission, Principal
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime
from skillvoucher.web.enrolment_access import assessable_class
from skillvoucher.web.errors import DOMAIN_STATUS
from skillvoucher.web.ui.common import form_error, reading, scope_prefix

router = APIRouter(include_in_schema=False)

Assessor = Annotated[Principal, Depends(require(Permission.ASSESSMENT_RECORD))]
Id = Annotated[int, Path(ge=1)]
Rows = Annotated[list[str] | None, Form()]


@router.get("/assessor/classes", response_class=HTMLResponse, name="assessor_classes")
def classes_page(request: Request, pages: PageRenderer, principal: Assessor) -> HTMLResponse:
    with reading(request) as session:
        classes = enrolment.classes_to_assess(session, region_prefix=scope_prefix(principal))
    context = {"classes": classes, "active": "assessor_classes"}
    return pages.render(request, "assessor/classes.html", context)


@router.get("/assessor/classes/{class_id}", response_class=HTMLResponse, name="assessor_class")
def class_page(request: Request, pages: PageRenderer, principal: Assessor, class_id: Id) -> HTMLResponse:
    return _class_page(request, pages, principal, class_id, [], None)


@router.post("/assessor/classes/{class_id}", name="assessor_results")
def record(
    request: Request,
    pages: PageRenderer,
    principal: Assessor,
    class_id: Id,
    enrolment_id: Rows = None,
    result: Rows = None,
    score: Rows = None,
) -> Response:
    """One row per trainee: pass, fail or no result yet (skipped), and an optional score."""
    runtime = get_runtime(request)
    try:
        entries = _entries(enrolment_id or [], result or [], score or [])
        if not entries:
            raise Invalid("请至少录入一名学员的结果 / record a result for at least one trainee")
        with runtime.uow.begin() as session:
            outcomes = enrolment.record_results(
                session, class_id=class_id, results=entries, today=runtime.clock.now().date(), by=principal
            )
    except DomainError as error:
        return _class_page(request, pages, principal, class_id, [], error)
    return _class_page(request, pages, principal, class_id, outcomes, None)


def _entries(ids: list[str], results: list[str], scores: list[str]) -> list[enrolment.ResultEntry]:
    entries = []
    for raw_id, outcome, raw_score in zip(ids, results, scores, strict=False):
        if outcome not in ("pass", "fail"):
            continue
        text = raw_score.strip()
        if not raw_id.isdigit() or (text and not text.isdigit()):
            raise Invalid("分数应为 0–100 的整数 / scores are whole numbers from 0 to 100")
        entries.append(enrolment.ResultEntry(int(raw_id), outcome == "pass", int(text) if text else None))
    return entries


def _class_page(
    request: Request,
    pages: PageRenderer,
    principal: Principal,
    class_id: int,
    outcomes: list[enrolment.Outcome],
    error: DomainError | None,
) -> HTMLResponse:
    with reading(request) as session:
        view = assessable_class(session, principal, class_id)
        trainees = enrolment.class_evidence(session, class_id=class_id)
    names = {t.enrolment_id: t.name_masked for t in trainees}
    context = {
        "cls": view,
        "trainees": trainees,
        "outcomes": [(names.get(o.enrolment_id, ""), o) for o in outcomes],
        "active": "assessor_classes",
        **form_error(error),
    }
    status = DOMAIN_STATUS.get(error.kind, 400) if error else 200
    return pages.render(request, "assessor/class.html", context, status_code=status)
