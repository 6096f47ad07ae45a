"""Institution actions: register, change accreditation, set registered scope, change the bank account (two officers).

Each is authorized through `identity.authz`, writes one audit event and never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skillvoucher.catalog import OCCUPATION_EDITION, Occupation, Region
from skillvoucher.core import Conflict, Invalid, NotFound, utc_now
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.training import lifecycle
from skillvoucher.training.access import actor_of, authorize, may, record
from skillvoucher.training.errors import (
    AccreditationChangeRefused,
    BankChangeNotPending,
    BankChangePending,
    InstitutionNotFound,
    InvalidUscc,
    ReasonRequired,
    SecondOfficerRequired,
    UnknownOccupation,
    UsccTaken,
)
from skillvoucher.training.institution_models import (
    INSTITUTION_KINDS,
    AssessmentBody,
    BankAccountChange,
    Institution,
    RegisteredScope,
)
from skillvoucher.training.uscc import normalize, uscc_problem


@dataclass(frozen=True)
class InstitutionDetails:
    name: str
    uscc: str
    kind: str
    address: str
    region_code: str
    contact_name: str
    contact_phone: str


def institution_resource(institution: Institution) -> Resource:
    return Resource(region_code=institution.region_code, institution_id=institution.id)


def get_institution(session: Session, institution_id: int) -> Institution:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise InstitutionNotFound()
    return institution


def register_institution(session: Session, *, details: InstitutionDetails, by: Principal | None) -> Institution:
    """A new institution enters the catalogue as `applied`; an officer of its region accredits it."""
    authorize(by, Permission.INSTITUTION_MANAGE, Resource(region_code=details.region_code))
    code = _checked_uscc(session, details.uscc, details.region_code)
    if details.kind not in INSTITUTION_KINDS:
        raise Invalid(f"机构类型无效 / unknown kind of institution: {details.kind}")
    if not details.name.strip():
        raise Invalid("请填写机构名称 / the name is required")
    if session.scalar(select(Institution.id).where(Institution.uscc == code)) is not None:
        raise UsccTaken()
    now = utc_now()
    institution = Institution(
        name=details.name.strip(),
        uscc=code,
        kind=details.kind,
        address=details.address.strip(),
        region_code=details.region_code,
        contact_name=details.contact_name.strip(),
        contact_phone=details.contact_phone.strip(),
        accreditation=lifecycle.Accreditation.APPLIED.value,
        accreditation_reason="",
        accreditation_changed_at=now,
        created_at=now,
    )
    _insert(session, institution, UsccTaken)
    record(session, by, "institution.registered", "institution", institution.id, {"uscc": code, "kind": details.kind})
    return institution


def register_assessment_body(
    session: Session, *, name: str, uscc: str, region_code: str, by: Principal | None
) -> AssessmentBody:
    authorize(by, Permission.INSTITUTION_MANAGE, Resource(region_code=region_code))
    code = _checked_uscc(session, uscc, region_code)
    if session.scalar(select(AssessmentBody.id).where(AssessmentBody.uscc == code)) is not None:
        raise UsccTaken()
    body = AssessmentBody(name=name.strip(), uscc=code, region_code=region_code, created_at=utc_now())
    _insert(session, body, UsccTaken)
    record(session, by, "assessment_body.registered", "assessment_body", body.id, {"uscc": code})
    return body


def change_accreditation(
    session: Session, *, institution_id: int, to: str, reason: str, by: Principal | None
) -> Institution:
    institution = get_institution(session, institution_id)
    authorize(by, Permission.INSTITUTION_MANAGE, institution_resource(institution))
    if not reason.strip():
        raise ReasonRequired()
    if to not in set(lifecycle.Accreditation):
        raise Invalid(f"认定状态无效 / no accreditation state is called {to!r}")
    current, target = lifecycle.Accreditation(institution.accreditation), lifecycle.Accreditation(to)
    if not lifecycle.may_change(current, target):
        raise AccreditationChangeRefused(current.value, target.value)
    institution.accreditation = target.value
    institution.accreditation_reason = reason.strip()
    institution.accreditation_changed_at = utc_now()
    session.flush()
    data = {"from": current.value, "to": target.value, "reason": reason.strip()}
    record(session, by, "institution.accreditation_changed", "institution", institution.id, data)
    return institution


def set_registered_scope(
    session: Session, *, institution_id: int, scope: Iterable[tuple[str, int]], by: Principal | None
) -> list[tuple[str, int]]:
    """Replace the occupations (2022 edition codes) and levels the institution is registered to train."""
    institution = get_institution(session, institution_id)
    authorize(by, Permission.INSTITUTION_MANAGE, institution_resource(institution))
    wanted = sorted(set(scope))
    known = set(
        session.scalars(
            select(Occupation.code).where(
                Occupation.edition == OCCUPATION_EDITION,
                Occupation.tier == 4,
                Occupation.code.in_({code for code, _ in wanted}),
            )
        )
    )
    for code, level in wanted:
        if code not in known:
            raise UnknownOccupation(code)
        if not 1 <= level <= 5:
            raise Invalid(f"技能等级须为1-5 / level must be 1 to 5: {level}")
    session.execute(delete(RegisteredScope).where(RegisteredScope.institution_id == institution.id))
    session.add_all(
        RegisteredScope(
            institution_id=institution.id, occupation_edition=OCCUPATION_EDITION, occupation_code=c, level=lv
        )
        for c, lv in wanted
    )
    session.flush()
    data = {"scope": [f"{c}/{lv}" for c, lv in wanted]}
    record(session, by, "institution.scope_set", "institution", institution.id, data)
    return wanted


def request_bank_account_change(
    session: Session,
    *,
    institution_id: int,
    bank_name: str,
    account_name: str,
    account_number: str,
    by: Principal | None,
) -> BankAccountChange:
    institution = get_institution(session, institution_id)
    resource = institution_resource(institution)
    if not (may(by, Permission.INSTITUTION_SELF, resource) or may(by, Permission.INSTITUTION_MANAGE, resource)):
        authorize(by, Permission.INSTITUTION_MANAGE, resource)
    number = "".join(account_number.split())
    if not (bank_name.strip() and account_name.strip() and number.isdigit() and 8 <= len(number) <= 30):
        raise Invalid("请填写开户行、户名和8-30位数字账号 / bank, account name and an 8-30 digit number are required")
    pending = select(BankAccountChange.id).where(
        BankAccountChange.institution_id == institution.id, BankAccountChange.state == "pending"
    )
    if session.scalar(pending) is not None:
        raise BankChangePending()
    change = BankAccountChange(
        institution_id=institution.id,
        bank_name=bank_name.strip(),
        bank_account_name=account_name.strip(),
        bank_account_number=number,
        state="pending",
        requested_by=actor_of(by).label,
        requested_at=utc_now(),
    )
    _insert(session, change, BankChangePending)
    data = {"change_id": change.id, "account_tail": number[-4:]}
    record(session, by, "institution.bank_change_requested", "institution", institution.id, data)
    return change


def decide_bank_account_change(
    session: Session, *, change_id: int, approve: bool, reason: str = "", by: Principal | None
) -> BankAccountChange:
    """A second officer approves (the institution's account changes) or rejects; the requester may not decide."""
    change = session.get(BankAccountChange, change_id, with_for_update=True)
    if change is None:
        raise NotFound("银行账户变更申请不存在 / no such bank-account change")
    institution = get_institution(session, change.institution_id)
    authorize(by, Permission.INSTITUTION_MANAGE, institution_resource(institution))
    if change.state != "pending":
        raise BankChangeNotPending()
    decider = actor_of(by).label
    if decider == change.requested_by:
        raise SecondOfficerRequired()
    if not approve and not reason.strip():
        raise ReasonRequired()
    change.state = "approved" if approve else "rejected"
    change.decided_by, change.decided_at, change.reason = decider, utc_now(), reason.strip() or None
    if approve:
        institution.bank_name = change.bank_name
        institution.bank_account_name = change.bank_account_name
        institution.bank_account_number = change.bank_account_number
    session.flush()
    data = {"change_id": change.id, "state": change.state, "account_tail": change.bank_account_number[-4:]}
    record(session, by, "institution.bank_change_decided", "institution", institution.id, data)
    return change


def _insert(session: Session, row: object, conflict: Callable[[], Conflict]) -> None:
    """Insert in a savepoint: a concurrent writer that won the unique constraint becomes the named conflict."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        raise conflict() from None


def _checked_uscc(session: Session, uscc: str, region_code: str) -> str:
    code = normalize(uscc)
    if session.get(Region, region_code) is None:
        raise Invalid(f"行政区划{region_code}不存在 / no region has the code {region_code}")
    known = set(session.scalars(select(Region.code).where(Region.code == code[2:8])))
    problem = uscc_problem(code, known)
    if problem:
        raise InvalidUscc(problem)
    return code


def registered_scope(session: Session, institution_id: int) -> list[tuple[str, int]]:
    rows = session.execute(
        select(RegisteredScope.occupation_code, RegisteredScope.level)
        .where(RegisteredScope.institution_id == institution_id)
        .order_by(RegisteredScope.occupation_code, RegisteredScope.level)
    ).all()
    return [(code, level) for code, level in rows]
