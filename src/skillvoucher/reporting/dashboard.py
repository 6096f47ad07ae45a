"""What a statistics page, its exports and its API read: the tables by name, the way down from a reader's own scope,
and every table of a scope at once (a `Dashboard`).

Every table is read from the rollups through `figures`; this module only names and bundles them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

from skillvoucher.reporting.figures import (
    Filters,
    Row,
    Scope,
    Totals,
    by_kind,
    by_member,
    by_month,
    by_policy,
    by_region,
    headline,
    pilot_split,
    ranked_members,
    ranked_policies,
    scope_of,
)
from skillvoucher.stats import NATIONAL, Dimension

# The tables of a scope, in the order a page and a report show them.
TABLES: Final = ("months", "regions", "policies", "kinds", "groups", "occupations", "institutions", "pilot")
# Tables whose rows split the scope's totals (each counted event falls in exactly one row): their rows add up to the
# headline, so they get a total line. A person may belong to several population groups, and only what follows an
# enrolment has an occupation and an institution, so those tables do not add up.
PARTITIONS: Final = frozenset({"months", "regions", "policies", "kinds", "pilot"})
# Tables as long as the scope has policies, occupations or institutions: a page shows their largest rows.
LONG_TABLES: Final = frozenset({"policies", "occupations", "institutions"})
# Tables whose rows have no meaningful use rate: vouchers used in a month were mostly issued in earlier ones.
RATELESS: Final = frozenset({"months"})
OWN_LEVEL_LABEL: Final = "本级（未细分到下级地区）"
NO_FILTERS: Final = Filters()

Reader = Callable[[Session, str, Filters], list[Row]]


def regions_with_own_level(session: Session, code: str, filters: Filters = NO_FILTERS) -> list[Row]:
    """The sub-regions, and — when some counts are registered at the scope itself rather than in a sub-region — a
    last row keyed by the scope's own code with the rest, so that the rows always add up to the scope's totals."""
    rows = by_region(session, code, filters)
    if not rows:
        return []
    rest = headline(session, code, filters) - sum((row.totals for row in rows), Totals())
    if rest != Totals():
        rows.append(Row(code, OWN_LEVEL_LABEL, rest))
    return rows


MEMBER_TABLES: Final = {
    "groups": Dimension.GROUP,
    "occupations": Dimension.OCCUPATION,
    "institutions": Dimension.INSTITUTION,
}
READERS: Final[dict[str, Reader]] = {
    "months": by_month,
    "regions": regions_with_own_level,
    "policies": by_policy,
    "kinds": by_kind,
    "pilot": pilot_split,
}


def table(session: Session, code: str, name: str, filters: Filters = NO_FILTERS) -> list[Row]:
    """One of `TABLES` for a scope."""
    if name in MEMBER_TABLES:
        return by_member(session, code, MEMBER_TABLES[name], filters)
    return READERS[name](session, code, filters)


def ranked_table(
    session: Session,
    code: str,
    name: str,
    filters: Filters = NO_FILTERS,
    limit: int | None = None,
    with_no_policy: bool = True,
) -> tuple[list[Row], int]:
    """One of `TABLES`, at most `limit` rows (a long table's largest, read as such from the rollups), and how many
    rows it has in all; the policy table without the row of no policy (approved classes) unless `with_no_policy`."""
    if name == "policies":
        return ranked_policies(session, code, filters, limit, with_no_policy)
    if name in MEMBER_TABLES:
        return ranked_members(session, code, MEMBER_TABLES[name], filters, limit)
    rows = table(session, code, name, filters)
    return rows[:limit] if limit is not None else rows, len(rows)


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    filters: Filters
    totals: Totals
    tables: dict[str, list[Row]]  # every one of TABLES: all rows, or a long table's largest
    sizes: dict[str, int]  # how many rows each table has in all


def dashboard(session: Session, code: str, filters: Filters = NO_FILTERS, long_limit: int | None = None) -> Dashboard:
    """Every table of a scope. For a page, `long_limit` cuts the long ones (LONG_TABLES) to their largest rows and
    leaves the row of no policy (approved classes, with nothing in the columns a page shows) off the policy table;
    the files keep every row."""
    scope = scope_of(session, code)
    page = long_limit is not None
    ranked = {
        name: ranked_table(session, code, name, filters, long_limit if name in LONG_TABLES else None, not page)
        for name in TABLES
    }
    tables = {name: rows for name, (rows, _) in ranked.items()}
    sizes = {name: size for name, (_, size) in ranked.items()}
    return Dashboard(scope, filters, headline(session, code, filters), tables, sizes)


def scope_path(session: Session, code: str, top: str | None) -> list[Scope]:
    """The scopes from `top` (a reader's own region; None for the nation) down to `code`, for a breadcrumb that never
    leads above what the reader may see. `code` must lie inside `top`."""
    path = [scope_of(session, code)]
    stop = top or NATIONAL
    while path[0].code != stop and path[0].parent_code is not None:
        path.insert(0, scope_of(session, path[0].parent_code))
    return path
