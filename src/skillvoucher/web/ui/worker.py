"""The worker's own page: who the e-SSC says they are (ID number masked), their region, their vouchers (later)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from skillvoucher.core import NotFound
from skillvoucher.identity import Permission, Principal, person_summary
from skillvoucher.web.auth import require
from skillvoucher.web.deps import PageRenderer, get_runtime

router = APIRouter(include_in_schema=False)

Worker = Annotated[Principal, Depends(require(Permission.WORKER_SELF))]


@router.get("/me", response_class=HTMLResponse, name="worker_home")
def worker_home(request: Request, pages: PageRenderer, principal: Worker) -> HTMLResponse:
    runtime = get_runtime(request)
    with runtime.uow.read() as session:
        person = person_summary(session, person_id=principal.account_id, cipher=runtime.cipher)
    if person is None:
        raise NotFound("找不到您的登记信息 / your registry entry was not found")
    confirmed = request.session.get("real_name_at")
    context = {
        "person": person,
        "confirmed_at": datetime.fromtimestamp(confirmed, UTC) if isinstance(confirmed, int) else None,
        "step_up_minutes": runtime.settings.step_up_minutes,
        "active": "worker_home",
    }
    return pages.render(request, "worker/me.html", context)
