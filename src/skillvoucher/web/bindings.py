"""Reading a staff role and where it applies from a form or a JSON body, the same way for pages and API."""

from __future__ import annotations

from skillvoucher.core import Invalid
from skillvoucher.identity import STAFF_ROLES, Binding, Permission, Principal, Resource, Role, can


def parse_binding(
    *, role: str, region_code: str | None, institution_id: int | None, assessment_body_id: int | None
) -> Binding:
    try:
        parsed = Role(role)
    except ValueError:
        raise Invalid("未知的角色 / unknown role", code="UnknownRole") from None
    if parsed not in STAFF_ROLES:
        raise Invalid("劳动者不设员工账号 / workers have no staff account", code="UnknownRole")
    region = (region_code or "").strip() or None
    if region is not None and not (len(region) == 6 and region.isdigit()):
        raise Invalid("行政区划代码须为6位数字 / a region code has six digits", code="BadRegionCode")
    return Binding(
        role=parsed, region_code=region, institution_id=institution_id, assessment_body_id=assessment_body_id
    )


def optional_int(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Invalid("编号须为数字 / an id is a number", code="BadId")
    return int(value)


def grantable_roles(principal: Principal) -> list[Role]:
    """The roles this principal may give, inside their own region."""
    return [
        role
        for role in STAFF_ROLES
        if can(principal, Permission.STAFF_MANAGE, Resource(region_code=principal.region_code, staff_role=role))
    ]
