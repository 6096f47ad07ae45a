"""Using a voucher: enrolment, attendance evidence, assessment, completion and certificates (docs/enrolment.md).

Other packages import from here, never from submodules.
"""

from skillvoucher.enrolment.assessment import (
    Outcome,
    ResultEntry,
    attended_sessions,
    record_results,
    revoke_certificate,
)
from skillvoucher.enrolment.attendance import (
    AttendanceFileResult,
    CheckIn,
    attendance_key,
    check_in,
    online_check_in,
    record_attendance_file,
    screen_code,
)
from skillvoucher.enrolment.enrol import EnrolmentOffer, cancel_enrolment, confirm_enrolment, verify_voucher
from skillvoucher.enrolment.errors import (
    AlreadyCheckedIn,
    AssessmentRefused,
    CertificateNotFound,
    CheckInRefused,
    ClassFull,
    ClassNotOpenForEnrolment,
    EnrolmentNotFound,
    EnrolmentStateRefused,
    VoucherNotUsable,
)
from skillvoucher.enrolment.models import AssessmentResult, Attendance, Certificate, Enrolment
from skillvoucher.enrolment.queries import (
    PendingEnrolment,
    PublicCertificate,
    RecordLine,
    TraineeEvidence,
    check_certificate,
    class_evidence,
    class_sessions,
    pending_enrolments,
    session_check_ins,
    training_record,
)
from skillvoucher.enrolment.rules import Completion, attendance_code, completion, online_prompt_times

__all__ = [
    "AlreadyCheckedIn",
    "AssessmentRefused",
    "AssessmentResult",
    "Attendance",
    "AttendanceFileResult",
    "Certificate",
    "CertificateNotFound",
    "CheckIn",
    "CheckInRefused",
    "ClassFull",
    "ClassNotOpenForEnrolment",
    "Completion",
    "Enrolment",
    "EnrolmentNotFound",
    "EnrolmentOffer",
    "EnrolmentStateRefused",
    "Outcome",
    "PendingEnrolment",
    "PublicCertificate",
    "RecordLine",
    "ResultEntry",
    "TraineeEvidence",
    "VoucherNotUsable",
    "attendance_code",
    "attendance_key",
    "attended_sessions",
    "cancel_enrolment",
    "check_certificate",
    "check_in",
    "class_evidence",
    "class_sessions",
    "completion",
    "confirm_enrolment",
    "online_check_in",
    "online_prompt_times",
    "pending_enrolments",
    "record_attendance_file",
    "record_results",
    "revoke_certificate",
    "screen_code",
    "session_check_ins",
    "training_record",
    "verify_voucher",
]
