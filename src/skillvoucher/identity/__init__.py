"""The worker registry, staff and worker accounts, sign-in, roles and region scopes.

Other packages import from here, never from submodules.
"""

from skillvoucher.identity.account_models import ApiKey, StaffAccount, WorkerAccount
from skillvoucher.identity.api_keys import create_api_key, institution_api_keys, principal_for_api_key, revoke_api_key
from skillvoucher.identity.authz import (
    STAFF_ROLES,
    TOTP_REQUIRED_ROLES,
    Permission,
    Principal,
    Resource,
    Role,
    can,
    region_covers,
    region_prefix,
)
from skillvoucher.identity.bulk import SealedBatch, SealedPerson, StoreResult, seal_batch, store_batch
from skillvoucher.identity.errors import PersonAlreadyRegistered, PersonFileRefused
from skillvoucher.identity.import_report import ReportLine, read_report
from skillvoucher.identity.importer import DEFAULT_CHUNK_SIZE, ImportProgress, ImportSummary, import_person_file
from skillvoucher.identity.models import Person, PersonImport
from skillvoucher.identity.phone import PhoneError, mask_phone, normalize_phone
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.ports import (
    DeviceAuthorization,
    DeviceCodeRejected,
    IdentityProvider,
    IdentityProviderUnavailable,
    IdentityTokenRejected,
    PollResult,
    VerifiedIdentity,
)
from skillvoucher.identity.queries import (
    HistoryEntry,
    PersonListing,
    PersonSummary,
    count_persons,
    get_import,
    list_persons,
    person_history,
    person_summary,
    region_names,
    search_persons,
    viewer_name,
)
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import ResidentId, ResidentIdError, check_character, mask_id_number
from skillvoucher.identity.resident_id import normalize as normalize_id_number
from skillvoucher.identity.resident_id import parse as parse_resident_id
from skillvoucher.identity.rules import (
    EmploymentStatus,
    PopulationGroup,
    group_labels,
    parse_employment_status,
    parse_groups,
)
from skillvoucher.identity.service import (
    find_person_by_id_number,
    find_person_ids_by_id_numbers,
    register_person,
    store_records,
)
from skillvoucher.identity.sign_in import LockoutPolicy, SignInOutcome, attempt_staff_sign_in, principal_of
from skillvoucher.identity.staff import (
    Binding,
    assign_role,
    begin_totp_enrolment,
    change_own_password,
    confirm_totp_enrolment,
    create_staff,
    disable_staff,
    enable_staff,
    find_staff_by_username,
    get_staff,
    list_staff,
    reset_password,
    reset_totp,
    sign_out_everywhere,
    staff_resource,
)
from skillvoucher.identity.validation import COLUMNS, REQUIRED_COLUMNS, RowError, validate_row
from skillvoucher.identity.worker_sign_in import (
    WorkerSignIn,
    confirm_real_name,
    sign_in_worker,
    sign_out_worker_everywhere,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_CHUNK_SIZE",
    "REQUIRED_COLUMNS",
    "STAFF_ROLES",
    "TOTP_REQUIRED_ROLES",
    "ApiKey",
    "Binding",
    "DeviceAuthorization",
    "DeviceCodeRejected",
    "EmploymentStatus",
    "HistoryEntry",
    "IdentityProvider",
    "IdentityProviderUnavailable",
    "IdentityTokenRejected",
    "ImportProgress",
    "ImportSummary",
    "LockoutPolicy",
    "Permission",
    "Person",
    "PersonAlreadyRegistered",
    "PersonFileRefused",
    "PersonImport",
    "PersonListing",
    "PersonRecord",
    "PersonSummary",
    "PhoneError",
    "PiiCipher",
    "PollResult",
    "PopulationGroup",
    "Principal",
    "ReportLine",
    "ResidentId",
    "ResidentIdError",
    "Resource",
    "Role",
    "RowError",
    "SealedBatch",
    "SealedPerson",
    "SignInOutcome",
    "StaffAccount",
    "StoreResult",
    "VerifiedIdentity",
    "WorkerAccount",
    "WorkerSignIn",
    "assign_role",
    "attempt_staff_sign_in",
    "begin_totp_enrolment",
    "can",
    "change_own_password",
    "check_character",
    "confirm_real_name",
    "confirm_totp_enrolment",
    "count_persons",
    "create_api_key",
    "create_staff",
    "disable_staff",
    "enable_staff",
    "find_person_by_id_number",
    "find_person_ids_by_id_numbers",
    "find_staff_by_username",
    "get_import",
    "get_staff",
    "group_labels",
    "import_person_file",
    "institution_api_keys",
    "list_persons",
    "list_staff",
    "mask_id_number",
    "mask_phone",
    "normalize_id_number",
    "normalize_phone",
    "parse_employment_status",
    "parse_groups",
    "parse_resident_id",
    "person_history",
    "person_summary",
    "principal_for_api_key",
    "principal_of",
    "read_report",
    "region_covers",
    "region_names",
    "region_prefix",
    "register_person",
    "reset_password",
    "reset_totp",
    "revoke_api_key",
    "seal_batch",
    "search_persons",
    "sign_in_worker",
    "sign_out_everywhere",
    "sign_out_worker_everywhere",
    "staff_resource",
    "store_batch",
    "store_records",
    "validate_row",
    "viewer_name",
]
