"""Training institutions, the training-demand catalogue, courses and classes (docs/catalogues.md)."""

from skillvoucher.training.institution_models import AssessmentBody, BankAccountChange, Institution, RegisteredScope
from skillvoucher.training.institutions import (
    InstitutionDetails,
    change_accreditation,
    decide_bank_account_change,
    get_institution,
    register_assessment_body,
    register_institution,
    request_bank_account_change,
    set_registered_scope,
)
from skillvoucher.training.lifecycle import Accreditation

__all__ = [
    "Accreditation",
    "AssessmentBody",
    "BankAccountChange",
    "Institution",
    "InstitutionDetails",
    "RegisteredScope",
    "change_accreditation",
    "decide_bank_account_change",
    "get_institution",
    "register_assessment_body",
    "register_institution",
    "request_bank_account_change",
    "set_registered_scope",
]
