"""Why an action on the catalogues was refused. Messages are bilingual and safe to show."""

from __future__ import annotations

from skillvoucher.core import Conflict, Forbidden, Invalid, NotFound


class InstitutionNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("培训机构不存在 / no such training institution")


class AssessmentBodyNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("评价机构不存在 / no such assessment body")


class CourseNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("课程不存在 / no such course")


class ClassNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("班级不存在 / no such class")


class InvalidUscc(Invalid):
    pass


class UsccTaken(Conflict):
    def __init__(self) -> None:
        super().__init__("该统一社会信用代码已登记 / an organisation with this unified social credit code exists")


class AccreditationChangeRefused(Conflict):
    def __init__(self, current: str, to: str) -> None:
        super().__init__(f"不能从“{current}”变更为“{to}” / accreditation cannot change from {current} to {to}")


class ReasonRequired(Invalid):
    def __init__(self) -> None:
        super().__init__("请填写原因 / a reason is required")


class InstitutionNotListed(Forbidden):
    """The institution is suspended, delisted or not yet accredited: it may not publish or open classes."""

    def __init__(self, state: str) -> None:
        super().__init__(
            f"机构当前状态为“{state}”，不能发布课程或开班 / the institution is {state}: "
            "it cannot publish courses or open classes"
        )


class OutsideRegisteredScope(Forbidden):
    def __init__(self, occupation_code: str, level: int) -> None:
        super().__init__(
            f"职业{occupation_code}（{level}级）不在本机构备案范围内 / occupation {occupation_code} at level {level} "
            "is outside the institution's registered scope"
        )


class NotInDemandCatalogue(Forbidden):
    def __init__(self, occupation_code: str, level: int, region_code: str) -> None:
        super().__init__(
            f"职业{occupation_code}（{level}级）不在{region_code}地区现行培训需求目录中 / occupation {occupation_code} "
            f"at level {level} is not in the active training-demand catalogue of region {region_code}"
        )


class UnknownOccupation(Invalid):
    def __init__(self, code: str) -> None:
        super().__init__(f"职业编码{code}不存在 / no occupation has the code {code}")


class DemandPeriodOverlaps(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "与现行目录条目的有效期重叠 / the period overlaps an active entry for this region, occupation and level"
        )


class BankChangePending(Conflict):
    def __init__(self) -> None:
        super().__init__("已有待审核的银行账户变更 / a bank-account change is already waiting for approval")


class BankChangeNotPending(Conflict):
    def __init__(self) -> None:
        super().__init__("该变更已处理 / this bank-account change has already been decided")


class SecondOfficerRequired(Forbidden):
    def __init__(self) -> None:
        super().__init__("须由另一名经办人审核 / a second officer, not the requester, must approve the change")


class ClassNotPending(Conflict):
    def __init__(self, state: str) -> None:
        super().__init__(f"班级状态为“{state}”，不能再审批 / the class is {state} and cannot be decided")


class CourseNotPublished(Conflict):
    def __init__(self) -> None:
        super().__init__("课程未发布 / the course is not published")


class CatalogueInputInvalid(Invalid):
    pass


class RosterRefused(Invalid):
    """Lines of a class roster are wrong; nothing was stored. `problems` are (line number, reason) pairs, and the
    reasons never repeat an ID number."""

    SHOWN = 20

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = tuple(problems)
        listed = "；".join(f"第{line}行 / line {line}: {reason}" for line, reason in self.problems[: self.SHOWN])
        more = len(self.problems) - self.SHOWN
        tail = f"；另有{more}处 / and {more} more" if more > 0 else ""
        super().__init__(
            f"花名册未保存，共{len(self.problems)}处错误 / the roster was not saved, "
            f"{len(self.problems)} problem(s): {listed}{tail}"
        )


class RosterFrozen(Conflict):
    def __init__(self, state: str) -> None:
        super().__init__(
            f"班级状态为“{state}”，花名册不能再修改 / the class is {state}: its roster can no longer be changed"
        )


class RosterFileRefused(Invalid):
    """A roster file cannot be read at all (encoding, no ID number column, damaged)."""
