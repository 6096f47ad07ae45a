"""Words for the identity vocabularies (roles, groups, employment, audit actions), marked for the catalogues and
translated when a page is rendered: `{{ _(role_labels[account.role]) }}`."""

from __future__ import annotations

from typing import Final

from skillvoucher.identity import EmploymentStatus, PopulationGroup
from skillvoucher.web.i18n import N_

ROLE_LABELS: Final = {
    "worker": N_("Worker"),
    "institution_staff": N_("Training institution staff"),
    "assessor": N_("Assessor"),
    "bureau_officer": N_("Bureau officer"),
    "auditor": N_("Auditor"),
    "admin": N_("Administrator"),
}

GROUP_LABELS: Final = {
    PopulationGroup.UNEMPLOYED: N_("Registered unemployed"),
    PopulationGroup.RURAL_MIGRANT: N_("Rural migrant worker"),
    PopulationGroup.GRADUATING_STUDENT: N_("Graduating student"),
    PopulationGroup.ENTERPRISE_EMPLOYEE: N_("Enterprise employee"),
    PopulationGroup.LIFTED_FROM_POVERTY: N_("Lifted out of poverty"),
    PopulationGroup.VETERAN: N_("Veteran"),
    PopulationGroup.DISABLED: N_("Person with a disability"),
    PopulationGroup.FLEXIBLE_WORKER: N_("Flexible worker"),
}

EMPLOYMENT_LABELS: Final = {
    EmploymentStatus.EMPLOYED.value: N_("Employed"),
    EmploymentStatus.UNEMPLOYED.value: N_("Unemployed"),
    EmploymentStatus.SELF_EMPLOYED.value: N_("Self-employed"),
    EmploymentStatus.STUDENT.value: N_("Student"),
    EmploymentStatus.RETIRED.value: N_("Retired"),
    EmploymentStatus.UNKNOWN.value: N_("Not known"),
}

ACTION_LABELS: Final = {
    "person.registered": N_("Registered in the worker registry"),
    "worker.signed_in": N_("Signed in with the e-SSC"),
    "worker.real_name_confirmed": N_("Confirmed their real name again"),
    "worker.signed_out_everywhere": N_("Signed out on every device"),
}


def group_labels(groups: int) -> list[str]:
    return [label for group, label in GROUP_LABELS.items() if groups & group]


def label_context() -> dict[str, object]:
    """The tables, for templates."""
    return {
        "role_labels": ROLE_LABELS,
        "employment_labels": EMPLOYMENT_LABELS,
        "action_labels": ACTION_LABELS,
        "group_labels": group_labels,
    }
