"""Why a voucher action was refused. Messages are bilingual, safe to show, and never carry personal data."""

from __future__ import annotations

from skillvoucher.core import Conflict, Invalid, NotFound


class PolicyNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("没有这个培训券政策 / no such voucher policy")


class VoucherNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("没有这张培训券 / no such voucher")


class PolicyNotOpen(Conflict):
    def __init__(self, detail: str) -> None:
        super().__init__(f"政策未在发放期内：{detail} / the policy is not open: {detail}")


class NotClaimable(Conflict):
    def __init__(self) -> None:
        super().__init__("该政策不接受个人申领 / this policy is not open to claims by workers")


class NotEligible(Conflict):
    pass


class AlreadyServed(Conflict):
    def __init__(self) -> None:
        super().__init__("已领取过该政策的培训券 / a voucher of this policy was already issued to this person")


class CapReached(Conflict):
    def __init__(self, which: str = "quantity") -> None:
        label = "数量" if which == "quantity" else "预算"
        super().__init__(f"政策{label}上限已满 / the policy's {which} cap is reached")


class YearlyLimitReached(Conflict):
    def __init__(self, limit: int) -> None:
        super().__init__(f"本年度领券已达 {limit} 张上限 / the yearly limit of {limit} vouchers is reached")


class OccupationLevelServed(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "同一职业和等级只能享受一次补贴 / one subsidy per person per occupation and level: one is already held"
        )


class VoucherStateRefused(Conflict):
    def __init__(self, state: str, action: str) -> None:
        super().__init__(f"状态为“{state}”的培训券不能{action} / a voucher in state {state} cannot be {action}")


class NoSubsidyStandard(Invalid):
    def __init__(self) -> None:
        super().__init__(
            "培训需求目录中没有该职业和等级的补贴标准 / the demand catalogue has no subsidy standard for this "
            "occupation and level in the region"
        )


class RosterFileRefused(Invalid):
    pass
