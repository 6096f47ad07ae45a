"""Statistics and reporting: the issued/used figures by region, month, policy and more, read from the rollups.

Other packages import from here, never from submodules.
"""

from skillvoucher.reporting.dashboard import PARTITIONS, RATELESS, TABLES, Dashboard, dashboard, scope_path, table
from skillvoucher.reporting.errors import UnknownScope
from skillvoucher.reporting.exports import (
    COLUMNS,
    CSV_TYPE,
    XLSX_TYPE,
    Sheet,
    Words,
    report_xlsx,
    table_csv,
    table_xlsx,
    yuan,
)
from skillvoucher.reporting.figures import (
    NATIONAL_NAME,
    NO_POLICY_KIND,
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
    listed_institutions,
    pilot_split,
    scope_of,
)
from skillvoucher.reporting.verify import Difference, Verification, rebuild, recompute, rollups_missing, verify

__all__ = [
    "COLUMNS",
    "CSV_TYPE",
    "NATIONAL_NAME",
    "NO_POLICY_KIND",
    "PARTITIONS",
    "RATELESS",
    "TABLES",
    "XLSX_TYPE",
    "Dashboard",
    "Difference",
    "Filters",
    "Row",
    "Scope",
    "Sheet",
    "Totals",
    "UnknownScope",
    "Verification",
    "Words",
    "by_kind",
    "by_member",
    "by_month",
    "by_policy",
    "by_region",
    "child_regions",
    "dashboard",
    "headline",
    "listed_institutions",
    "pilot_split",
    "rebuild",
    "recompute",
    "report_xlsx",
    "rollups_missing",
    "scope_of",
    "scope_path",
    "table",
    "table_csv",
    "table_xlsx",
    "verify",
    "yuan",
]
