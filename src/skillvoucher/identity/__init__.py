"""The worker registry and, later, sign-in and roles. Other packages import from here, never from submodules."""

from skillvoucher.identity.bulk import SealedBatch, SealedPerson, StoreResult, seal_batch, store_batch
from skillvoucher.identity.errors import PersonAlreadyRegistered, PersonFileRefused
from skillvoucher.identity.import_report import ReportLine, read_report
from skillvoucher.identity.importer import DEFAULT_CHUNK_SIZE, ImportProgress, ImportSummary, import_person_file
from skillvoucher.identity.models import Person, PersonImport
from skillvoucher.identity.phone import PhoneError, mask_phone, normalize_phone
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.queries import PersonListing, count_persons, get_import, list_persons
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import ResidentId, ResidentIdError, check_character, mask_id_number
from skillvoucher.identity.rules import (
    EmploymentStatus,
    PopulationGroup,
    group_labels,
    parse_employment_status,
    parse_groups,
)
from skillvoucher.identity.service import find_person_by_id_number, register_person, store_records
from skillvoucher.identity.validation import COLUMNS, REQUIRED_COLUMNS, RowError, validate_row

__all__ = [
    "COLUMNS",
    "DEFAULT_CHUNK_SIZE",
    "REQUIRED_COLUMNS",
    "EmploymentStatus",
    "ImportProgress",
    "ImportSummary",
    "Person",
    "PersonAlreadyRegistered",
    "PersonFileRefused",
    "PersonImport",
    "PersonListing",
    "PersonRecord",
    "PhoneError",
    "PiiCipher",
    "PopulationGroup",
    "ReportLine",
    "ResidentId",
    "ResidentIdError",
    "RowError",
    "SealedBatch",
    "SealedPerson",
    "StoreResult",
    "check_character",
    "count_persons",
    "find_person_by_id_number",
    "get_import",
    "group_labels",
    "import_person_file",
    "list_persons",
    "mask_id_number",
    "mask_phone",
    "normalize_phone",
    "parse_employment_status",
    "parse_groups",
    "read_report",
    "register_person",
    "seal_batch",
    "store_batch",
    "store_records",
    "validate_row",
]
