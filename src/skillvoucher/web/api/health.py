"""GET /healthz: is the database reachable and its schema the newest? For load balancers and operators."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from skillvoucher.db.migrate import current_revision
from skillvoucher.logging import get_logger
from skillvoucher.web.auth import public
from skillvoucher.web.deps import get_runtime

router = APIRouter(tags=["health"], dependencies=[Depends(public)])
log = get_logger(__name__)


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]
    schema_: Literal["up_to_date", "behind", "unknown"] = Field(serialization_alias="schema")
    revision: str | None


@router.get("/healthz", responses={503: {"model": Health}})
def healthz(request: Request, response: Response) -> Health:
    """200 when the database answers and its schema is at the newest revision; 503 otherwise."""
    runtime = get_runtime(request)
    try:
        revision = current_revision(runtime.engine)
    except SQLAlchemyError as error:
        log.warning("health.database_unreachable", error=type(error).__name__)
        response.status_code = 503
        return Health(status="unavailable", database="unreachable", schema_="unknown", revision=None)
    up_to_date = revision == request.app.state.head_revision
    if not up_to_date:
        response.status_code = 503
    return Health(
        status="ok" if up_to_date else "unavailable",
        database="ok",
        schema_="up_to_date" if up_to_date else "behind",
        revision=revision,
    )
