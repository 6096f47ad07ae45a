"""Why an enrolment, a check-in, a result or a certificate action was refused. Bilingual, safe to show."""

from __future__ import annotations

from skillvoucher.core import Conflict, Invalid, NotFound


class EnrolmentNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("没有这条报名记录 / no such enrolment")


class VoucherNotUsable(Conflict):
    pass


class ClassNotOpenForEnrolment(Conflict):
    pass


class ClassFull(Conflict):
    def __init__(self) -> None:
        super().__init__("班级名额已满 / the class is full")


class EnrolmentStateRefused(Conflict):
    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"状态为“{state}”的报名不能{action} / an enrolment in state {state} cannot be {action}")


class CheckInRefused(Conflict):
    pass


class AlreadyCheckedIn(Conflict):
    def __init__(self) -> None:
        super().__init__("本节课已签到 / you have already checked in to this session")


class AssessmentRefused(Conflict):
    pass


class CertificateNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("没有这个编号的证书 / no certificate with this serial number")


class AttendanceFileRefused(Invalid):
    pass
