"""Training institutions, the training-demand catalogue, courses and classes (docs/catalogues.md)."""

from skillvoucher.training.classes import (
    ClassPlan,
    Teacher,
    apply_for_class,
    cancel_class,
    decide_class,
    refresh_next_starts,
)
from skillvoucher.training.course_models import ClassSession, ClassTeacher, ClassTrainee, Course, TrainingClass
from skillvoucher.training.courses import (
    CourseDetails,
    get_course,
    institution_courses,
    publish_course,
    withdraw_course,
)
from skillvoucher.training.demand import DemandTerms, active_demand_entry, set_demand_entry
from skillvoucher.training.demand_import import DemandFileRefused, DemandImportResult, import_demand_file
from skillvoucher.training.demand_models import DemandEntry
from skillvoucher.training.errors import RosterFileRefused, RosterFrozen, RosterRefused
from skillvoucher.training.institution_models import AssessmentBody, BankAccountChange, Institution, RegisteredScope
from skillvoucher.training.institutions import (
    InstitutionDetails,
    change_accreditation,
    decide_bank_account_change,
    get_institution,
    register_assessment_body,
    register_institution,
    registered_scope,
    request_bank_account_change,
    set_registered_scope,
)
from skillvoucher.training.lifecycle import Accreditation, is_listed
from skillvoucher.training.queries import (
    ClassApplication,
    DemandLine,
    InstitutionClass,
    class_applications,
    demand_catalogue,
    institution_classes,
    institutions_in_region,
)
from skillvoucher.training.roster import (
    ClassRoster,
    RosterLine,
    Trainee,
    class_roster,
    roster_file_lines,
    roster_lines,
    rosters_of,
    set_class_roster,
)
from skillvoucher.training.rules import SessionPlan, mask_name, subsidy_fen
from skillvoucher.training.search import CourseHit, CoursePage, CourseQuery, search_courses
from skillvoucher.training.sheets import read_sheet

__all__ = [
    "Accreditation",
    "AssessmentBody",
    "BankAccountChange",
    "ClassApplication",
    "ClassPlan",
    "ClassRoster",
    "ClassSession",
    "ClassTeacher",
    "ClassTrainee",
    "Course",
    "CourseDetails",
    "CourseHit",
    "CoursePage",
    "CourseQuery",
    "DemandEntry",
    "DemandFileRefused",
    "DemandImportResult",
    "DemandLine",
    "DemandTerms",
    "Institution",
    "InstitutionClass",
    "InstitutionDetails",
    "RegisteredScope",
    "RosterFileRefused",
    "RosterFrozen",
    "RosterLine",
    "RosterRefused",
    "SessionPlan",
    "Teacher",
    "Trainee",
    "TrainingClass",
    "active_demand_entry",
    "apply_for_class",
    "cancel_class",
    "change_accreditation",
    "class_applications",
    "class_roster",
    "decide_bank_account_change",
    "decide_class",
    "demand_catalogue",
    "get_course",
    "get_institution",
    "import_demand_file",
    "institution_classes",
    "institution_courses",
    "institutions_in_region",
    "is_listed",
    "mask_name",
    "publish_course",
    "read_sheet",
    "refresh_next_starts",
    "register_assessment_body",
    "register_institution",
    "registered_scope",
    "request_bank_account_change",
    "roster_file_lines",
    "roster_lines",
    "rosters_of",
    "search_courses",
    "set_class_roster",
    "set_demand_entry",
    "set_registered_scope",
    "subsidy_fen",
    "withdraw_course",
]
