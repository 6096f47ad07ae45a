"""Authorization, decided in one place: `can(principal, permission, resource)`. Pure: no database, no HTTP.

Pages, API routes and CLI commands all ask this function; a test walks every route and every role.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from skillvoucher.core.actor import Actor


class Role(enum.StrEnum):
    WORKER = "worker"
    INSTITUTION_STAFF = "institution_staff"
    ASSESSOR = "assessor"
    BUREAU_OFFICER = "bureau_officer"
    AUDITOR = "auditor"
    ADMIN = "admin"


STAFF_ROLES = (Role.INSTITUTION_STAFF, Role.ASSESSOR, Role.BUREAU_OFFICER, Role.AUDITOR, Role.ADMIN)
REGION_BOUND_ROLES = frozenset({Role.BUREAU_OFFICER, Role.AUDITOR})
TOTP_REQUIRED_ROLES = frozenset({Role.BUREAU_OFFICER, Role.AUDITOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting. Staff and API keys carry their bindings; a worker carries their person id."""

    role: Role
    account_id: int  # staff account id, person id (worker) or API key id
    region_code: str | None = None
    institution_id: int | None = None
    assessment_body_id: int | None = None
    via_api_key: bool = False

    @property
    def actor(self) -> Actor:
        if self.via_api_key:
            return Actor(kind="api_key", ref=str(self.account_id))
        return Actor(kind="worker" if self.role is Role.WORKER else "staff", ref=str(self.account_id))


@dataclass(frozen=True, slots=True)
class Resource:
    """What is acted on, reduced to what authorization needs. Absent fields mean 'not about a particular one'."""

    region_code: str | None = None
    institution_id: int | None = None
    assessment_body_id: int | None = None
    person_id: int | None = None
    staff_role: Role | None = None  # the role an account has or is being given


class Permission(enum.StrEnum):
    ACCOUNT_SELF = "account.self"  # my account page, sign out everywhere, change password
    WORKER_SELF = "worker.self"  # a worker's own pages
    PERSON_READ = "person.read"  # search persons and read their history
    STAFF_READ = "staff.read"
    STAFF_MANAGE = "staff.manage"  # create, disable, reset, assign role and region
    API_KEY_MANAGE = "api_key.manage"  # an institution's API keys
    INSTITUTION_READ = "institution.read"  # institutions, their bank accounts, scope and classes, for the bureau
    INSTITUTION_MANAGE = "institution.manage"  # register, accreditation, registered scope, approve bank accounts
    INSTITUTION_SELF = "institution.self"  # an institution's own record; requesting a bank-account change
    CATALOGUE_MANAGE = "catalogue.manage"  # the training-demand catalogue of a region
    COURSE_PUBLISH = "course.publish"  # publish and withdraw an institution's courses
    CLASS_APPLY = "class.apply"  # apply to open (and cancel) an institution's classes
    CLASS_DECIDE = "class.decide"  # approve or reject class applications in a region
    VOUCHER_READ = "voucher.read"  # a region's voucher policies, issuance jobs and vouchers
    VOUCHER_MANAGE = "voucher.manage"  # define policies, issue, revoke in a region
    ENROLMENT_MANAGE = "enrolment.manage"  # an institution verifies vouchers, runs attendance, sees its trainees
    ASSESSMENT_RECORD = "assessment.record"  # an assessor records results for classes in their region
    EVIDENCE_READ = "evidence.read"  # any class's enrolments, attendance and results, for the bureau
    CERTIFICATE_REVOKE = "certificate.revoke"
    STATISTICS_READ = "statistics.read"  # the issued/used figures of a region and its sub-regions


Scope = Literal["any", "self", "region", "institution"]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    scope: Scope
    writes: bool  # auditors never hold a writing permission


def _rule(scope: Scope, *roles: Role, writes: bool) -> Rule:
    return Rule(frozenset(roles), scope, writes)


R = Role
RULES: dict[Permission, Rule] = {
    Permission.ACCOUNT_SELF: _rule("self", *R, writes=False),
    Permission.WORKER_SELF: _rule("self", R.WORKER, writes=False),
    Permission.PERSON_READ: _rule("region", R.BUREAU_OFFICER, R.AUDITOR, R.ADMIN, writes=False),
    Permission.STAFF_READ: _rule("region", R.BUREAU_OFFICER, R.AUDITOR, R.ADMIN, writes=False),
    Permission.STAFF_MANAGE: _rule("region", R.BUREAU_OFFICER, R.ADMIN, writes=True),
    Permission.API_KEY_MANAGE: _rule("institution", R.INSTITUTION_STAFF, writes=True),
    Permission.INSTITUTION_READ: _rule("region", R.BUREAU_OFFICER, R.AUDITOR, R.ADMIN, writes=False),
    Permission.INSTITUTION_MANAGE: _rule("region", R.BUREAU_OFFICER, R.ADMIN, writes=True),
    Permission.INSTITUTION_SELF: _rule("institution", R.INSTITUTION_STAFF, writes=True),
    Permission.CATALOGUE_MANAGE: _rule("region", R.BUREAU_OFFICER, R.ADMIN, writes=True),
    Permission.COURSE_PUBLISH: _rule("institution", R.INSTITUTION_STAFF, writes=True),
    Permission.CLASS_APPLY: _rule("institution", R.INSTITUTION_STAFF, writes=True),
    Permission.CLASS_DECIDE: _rule("region", R.BUREAU_OFFICER, R.ADMIN, writes=True),
    Permission.VOUCHER_READ: _rule("region", R.BUREAU_OFFICER, R.AUDITOR, R.ADMIN, writes=False),
    Permission.VOUCHER_MANAGE: _rule("region", R.BUREAU_OFFICER, R.ADMIN, writes=True),
    Permission.ENROLMENT_MANAGE: _rule("institution", R.INSTITUTION_STAFF, writes=True),
    Permission.ASSESSMENT_RECORD: _rule("region", R.ASSESSOR, writes=True),
    Permission.EVIDENCE_READ: _rule("region", R.BUREAU_OFFICER, R.AUDITOR, R.ADMIN, writes=False),
    Permission.CERTIFICATE_REVOKE: _rule("region", R.BUREAU_OFFICER, R.ADMIN, writes=True),
    Permission.STATISTICS_READ: _rule("region", R.BUREAU_OFFICER, R.AUDITOR, R.ADMIN, writes=False),
}
# Roles an officer may hand out within their region; only an administrator creates administrators.
OFFICER_GRANTABLE = frozenset({R.INSTITUTION_STAFF, R.ASSESSOR, R.BUREAU_OFFICER, R.AUDITOR})


def can(principal: Principal, permission: Permission, resource: Resource | None = None) -> bool:
    rule = RULES[permission]
    if principal.role not in rule.roles:
        return False
    if rule.writes and principal.role is R.AUDITOR:
        return False
    if principal.via_api_key and permission not in API_KEY_PERMISSIONS:
        return False
    if resource is None:
        return True
    if permission is Permission.STAFF_MANAGE and not _may_grant(principal, resource):
        return False
    return _in_scope(principal, rule.scope, resource)


# An institution's system may use the institution's API, not manage the institution's keys or accounts.
API_KEY_PERMISSIONS: frozenset[Permission] = frozenset(
    {
        Permission.ACCOUNT_SELF,
        Permission.INSTITUTION_SELF,
        Permission.COURSE_PUBLISH,
        Permission.CLASS_APPLY,
        Permission.ENROLMENT_MANAGE,
    }
)


def _may_grant(principal: Principal, resource: Resource) -> bool:
    if principal.role is R.ADMIN:
        return True
    return resource.staff_role is None or resource.staff_role in OFFICER_GRANTABLE


def _in_scope(principal: Principal, scope: Scope, resource: Resource) -> bool:
    if principal.role is R.ADMIN or scope == "any":
        return True
    if scope == "self":
        return resource.person_id is None or resource.person_id == principal.account_id
    if scope == "institution":
        return resource.institution_id is not None and resource.institution_id == principal.institution_id
    # region scope: the resource must lie inside the principal's region
    if principal.region_code is None or resource.region_code is None:
        return False
    return region_covers(principal.region_code, resource.region_code)


def region_prefix(code: str) -> str:
    """The prefix every code inside a region shares: PP0000 -> PP, PPCC00 -> PPCC, a county -> itself."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_covers(scope_code: str, code: str) -> bool:
    """GB/T 2260 codes nest: a province covers all its cities and counties, a city its counties."""
    return code.startswith(region_prefix(scope_code))
