"""What the statistics pages, exports and API share: the filters of a request, and the scope a reader may see.

A bureau officer or auditor sees their own region and what lies inside it; an administrator sees everything,
including the nation (000000). Outside that: 403. A code that is no region: 404.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from fastapi import Depends, Query
from sqlalchemy.orm import Session

from skillvoucher import reporting
from skillvoucher.core import Invalid
from skillvoucher.identity import Permission, Principal, Resource, can
from skillvoucher.stats import NATIONAL
from skillvoucher.vouchers import PolicyKind
from skillvoucher.web.auth import authorize

MONTH_PATTERN: Final = r"^(\d{4}-(0[1-9]|1[0-2]))?$"  # yyyy-mm, as <input type="month"> sends it; empty: no bound
KINDS: Final = tuple(kind.value for kind in PolicyKind)
KIND_PATTERN: Final = "^(" + "|".join(KINDS) + ")?$"
# reporting.TABLES, spelled out for the routes' path parameters (a test keeps the two the same)
TableName = Literal["months", "regions", "policies", "kinds", "groups", "occupations", "institutions", "pilot"]


def stats_filters(
    month_from: Annotated[
        str, Query(alias="from", pattern=MONTH_PATTERN, description="first month, yyyy-mm (China time)")
    ] = "",
    month_to: Annotated[str, Query(alias="to", pattern=MONTH_PATTERN, description="last month, yyyy-mm")] = "",
    kind: Annotated[str, Query(pattern=KIND_PATTERN, description="policy kind: " + ", ".join(KINDS))] = "",
    policy: Annotated[str, Query(pattern=r"^\d{0,18}$", description="one policy's id")] = "",
) -> reporting.Filters:
    """The filters of a page or API request (an empty field is no filter, as a form sends it)."""
    first, last = _month(month_from), _month(month_to)
    if first is not None and last is not None and first > last:
        raise Invalid("起始月份晚于截止月份 / the first month is after the last")
    return reporting.Filters(
        month_from=first, month_to=last, policy_id=int(policy) if policy else None, kind=kind or None
    )


StatsFilters = Annotated[reporting.Filters, Depends(stats_filters)]


def _month(value: str) -> int | None:
    return int(value.replace("-", "")) if value else None


def month_text(month: int | None) -> str:
    """yyyymm back to yyyy-mm (the form's value); empty for no bound."""
    return f"{month // 100}-{month % 100:02d}" if month else ""


def filter_query(filters: reporting.Filters) -> dict[str, str]:
    """The filters as query parameters, for links that keep them (drill-down, exports)."""
    given = {
        "from": month_text(filters.month_from),
        "to": month_text(filters.month_to),
        "kind": filters.kind or "",
        "policy": str(filters.policy_id) if filters.policy_id else "",
    }
    return {key: value for key, value in given.items() if value}


def own_scope(principal: Principal) -> str:
    """Where a reader's statistics start: their region; the nation for an administrator without one."""
    return principal.region_code or NATIONAL


def top_scope(principal: Principal) -> str | None:
    """The highest scope a reader may see: their region; None (the nation) for an administrator."""
    sees_nation = can(principal, Permission.STATISTICS_READ, Resource(region_code=NATIONAL))
    return None if sees_nation else principal.region_code


def readable_scope(session: Session, principal: Principal, code: str) -> reporting.Scope:
    """The scope asked for, if the reader may see it (403 otherwise) and it exists (404 otherwise)."""
    authorize(principal, Permission.STATISTICS_READ, Resource(region_code=code))
    return reporting.scope_of(session, code)
