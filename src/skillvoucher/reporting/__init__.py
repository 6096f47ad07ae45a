"""Statistics and reporting: the issued/used figures by region, month, policy and more, read from the rollups.

Other packages import from here, never from submodules.
"""

from skillvoucher.reporting.errors import UnknownScope
from skillvoucher.reporting.figures import (
    NATIONAL_NAME,
    Filters,
    Row,
    Scope,
    Totals,
    by_kind,
    by_member,
    by_month,
    by_policy,
    by_region,
    child_regions,
    headline,
    pilot_split,
    scope_of,
)
from skillvoucher.reporting.verify import Difference, Verification, rebuild, recompute, verify

__all__ = [
    "NATIONAL_NAME",
    "Difference",
    "Filters",
    "Row",
    "Scope",
    "Totals",
    "UnknownScope",
    "Verification",
    "by_kind",
    "by_member",
    "by_month",
    "by_policy",
    "by_region",
    "child_regions",
    "headline",
    "pilot_split",
    "rebuild",
    "recompute",
    "scope_of",
    "verify",
]
