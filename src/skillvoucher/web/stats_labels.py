"""The words of the statistics, marked for the catalogues and translated for a reader: measure and table names,
and the row labels that are vocabulary rather than names (kinds of voucher, population groups, skill levels, the
pilot split). Names of regions, policies, occupations and institutions are shown as they are.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Final

from babel.dates import format_skeleton

from skillvoucher import reporting
from skillvoucher.catalog import SKILL_LEVELS
from skillvoucher.stats import NATIONAL, NO_POLICY
from skillvoucher.web.i18n import N_, gettext
from skillvoucher.web.ui.labels import GROUP_LABELS

MEASURE_LABELS: Final = {
    "issued": N_("Issued"),
    "claimed": N_("Taken up"),
    "used": N_("Used"),
    "use_rate": N_("Use rate"),
    "trainees": N_("Trainees"),
    "completed": N_("Completed"),
    "certified": N_("Certified"),
    "forfeited": N_("Forfeited"),
    "expired": N_("Expired"),
    "revoked": N_("Revoked"),
    "classes": N_("Classes approved"),
    "held_fen": N_("Amount held (yuan)"),
}
TABLE_TITLES: Final = {
    "months": N_("By month"),
    "regions": N_("By sub-region"),
    "policies": N_("By policy"),
    "kinds": N_("By kind of voucher"),
    "groups": N_("By population group"),
    "occupations": N_("By occupation and level"),
    "institutions": N_("By training institution"),
    "pilot": N_("Pilot cities and rollout"),
}
ROW_HEADERS: Final = {
    "months": N_("Month"),
    "regions": N_("Region"),
    "policies": N_("Policy"),
    "kinds": N_("Kind"),
    "groups": N_("Population group"),
    "occupations": N_("Occupation and level"),
    "institutions": N_("Institution"),
    "pilot": N_("Area"),
}
KIND_LABELS: Final = {
    "face_value": N_("Face-value voucher"),
    "general": N_("General voucher"),
    "targeted": N_("Targeted voucher"),
    "no_face_value": N_("No-face-value voucher"),
}
# Approved classes belong to no voucher policy: a row of their own in the policy and kind tables.
NO_POLICY_LABEL: Final = N_("Approved classes (no voucher policy)")
PILOT_LABELS: Final = {"pilot": N_("The 2020 pilot cities"), "rollout": N_("Elsewhere (the national rollout)")}
OWN_LEVEL: Final = N_("At this level, in no sub-region")
NATION: Final = N_("The whole country")
INSTITUTIONS: Final = N_("Institutions in the catalogue")  # listed now: a stock, whatever the months
TOTAL: Final = N_("Total")
CODE: Final = N_("Code")
SUMMARY: Final = N_("Summary")
_GROUPS: Final = {str(int(group)): label for group, label in GROUP_LABELS.items()}
_LEVELS_ZH: Final = {zh: en for _number, zh, en in SKILL_LEVELS}


def translated(rows: list[reporting.Row], table: str, scope: reporting.Scope, language: str) -> list[reporting.Row]:
    """The rows with their labels in the reader's language."""
    return [replace(row, label=row_label(row, table, scope, language)) for row in rows]


def row_label(row: reporting.Row, table: str, scope: reporting.Scope, language: str) -> str:
    def _(message: str) -> str:
        return gettext(language, message)

    if table == "months" and row.key.isdigit():
        return month_label(int(row.key), language)
    if table == "kinds" and row.key in KIND_LABELS:
        return _(KIND_LABELS[row.key])
    if (table, row.key) in (("kinds", reporting.NO_POLICY_KIND), ("policies", str(NO_POLICY))):
        return _(NO_POLICY_LABEL)
    if table == "groups" and row.key in _GROUPS:
        return _(_GROUPS[row.key])
    if table == "pilot" and row.key in PILOT_LABELS:
        return _(PILOT_LABELS[row.key])
    if table == "regions" and row.key == scope.code:
        return _(OWN_LEVEL)
    if table == "occupations" and language != "zh_CN":
        return _english_level(row.label)
    return row.label


def month_label(month: int, language: str) -> str:
    """yyyymm as a reader writes it: 2026年3月, Mar 2026."""
    return format_skeleton("yMMM", date(month // 100, month % 100, 1), locale=language)


def _english_level(label: str) -> str:
    """养老护理员（中级工） → 养老护理员 (Level 4 (intermediate)): the occupation's name has no English form here."""
    name, _, level = label.rpartition("（")
    english = _LEVELS_ZH.get(level.removesuffix("）"))
    return f"{name} – {english}" if name and english else label


def scope_name(scope: reporting.Scope, language: str) -> str:
    return gettext(language, NATION) if scope.code == NATIONAL else scope.name


def words(language: str) -> reporting.Words:
    """The column headers of an export."""
    return reporting.Words(
        code=gettext(language, CODE),
        measures={name: gettext(language, label) for name, label in MEASURE_LABELS.items()},
        total=gettext(language, TOTAL),
    )
