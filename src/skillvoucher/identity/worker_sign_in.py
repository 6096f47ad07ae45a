"""Workers sign in, and confirm their real name again (step-up), with a verified e-SSC identity.

The provider adapter has checked the token's signature, issuer, audience and expiry; here the token is spent once
(its id under a primary key), its claims are checked against our registry's rules, and the person is linked by the
keyed hash of their ID number, or registered on first sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skillvoucher import audit
from skillvoucher.catalog import Region
from skillvoucher.core import Actor, Forbidden
from skillvoucher.identity.account_models import UsedIdentityToken, WorkerAccount
from skillvoucher.identity.models import Person
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.ports import IdentityTokenRejected, VerifiedIdentity
from skillvoucher.identity.records import PersonRecord
from skillvoucher.identity.resident_id import ResidentIdError, parse
from skillvoucher.identity.rules import EmploymentStatus
from skillvoucher.identity.service import find_person_by_id_number, register_person


@dataclass(frozen=True)
class WorkerSignIn:
    person: Person
    account: WorkerAccount
    registered: bool  # first time this person was seen


def sign_in_worker(
    session: Session, *, identity: VerifiedIdentity, provider: str, cipher: PiiCipher, now: datetime
) -> WorkerSignIn:
    record = _checked_claims(session, identity, now.date())
    spend_token(session, identity=identity, provider=provider, now=now)
    person = find_person_by_id_number(session, cipher, identity.id_number)
    registered = person is None
    if person is None:
        person = register_person(session, record=record, cipher=cipher, actor=Actor.system("e-ssc"))
    account = session.get(WorkerAccount, person.id, with_for_update=True)
    if account is None:
        account = WorkerAccount(person_id=person.id, session_epoch=1, linked_at=now, last_sign_in_at=now)
        session.add(account)
    account.last_sign_in_at = now
    session.flush()
    audit.record(
        session,
        actor=Actor(kind="worker", ref=str(person.id)),
        action="worker.signed_in",
        subject_type="person",
        subject_id=person.id,
        data={"provider": provider, "method": identity.method},
    )
    return WorkerSignIn(person=person, account=account, registered=registered)


def confirm_real_name(
    session: Session, *, identity: VerifiedIdentity, provider: str, person_id: int, cipher: PiiCipher, now: datetime
) -> datetime:
    """Step-up: the signed-in worker confirmed again. Returns when they confirmed."""
    _checked_claims(session, identity, now.date())
    spend_token(session, identity=identity, provider=provider, now=now)
    person = find_person_by_id_number(session, cipher, identity.id_number)
    if person is None or person.id != person_id:
        raise Forbidden("确认人与登录人不一致 / the confirmation came from a different person than the one signed in")
    audit.record(
        session,
        actor=Actor(kind="worker", ref=str(person_id)),
        action="worker.real_name_confirmed",
        subject_type="person",
        subject_id=person_id,
        data={"provider": provider, "method": identity.method},
    )
    return identity.authenticated_at


def sign_out_worker_everywhere(session: Session, *, person_id: int) -> None:
    account = session.get(WorkerAccount, person_id, with_for_update=True)
    if account is not None:
        account.session_epoch += 1
        audit.record(
            session,
            actor=Actor(kind="worker", ref=str(person_id)),
            action="worker.signed_out_everywhere",
            subject_type="person",
            subject_id=person_id,
            data={},
        )


def spend_token(session: Session, *, identity: VerifiedIdentity, provider: str, now: datetime) -> None:
    """Record the token id; a second use of the same token violates the primary key and is refused."""
    if identity.expires_at <= now:
        raise IdentityTokenRejected("身份令牌已过期 / the identity token has expired; scan again")
    if identity.authenticated_at < now - timedelta(minutes=10):
        raise IdentityTokenRejected("身份确认已过时 / the identity confirmation is too old; scan again")
    try:
        with session.begin_nested():
            session.add(
                UsedIdentityToken(
                    token_id=identity.token_id, provider=provider, used_at=now, expires_at=identity.expires_at
                )
            )
    except IntegrityError:
        raise IdentityTokenRejected("身份令牌已使用过 / this identity token was already used; scan again") from None


def _checked_claims(session: Session, identity: VerifiedIdentity, today: date) -> PersonRecord:
    """The token's claims as a registry record, refused if its region is unknown or its ID number invalid."""
    if session.get(Region, identity.region_code) is None:
        raise IdentityTokenRejected("发卡地区代码未知 / the card's issuing region is not a known region")
    try:
        resident = parse(identity.id_number, today=today)
    except ResidentIdError as error:
        raise IdentityTokenRejected(f"身份证号无效 / the ID number in the token is not valid: {error}") from None
    return PersonRecord(
        name=identity.name.strip(),
        id_number=resident.number,
        phone=None,
        region_code=identity.region_code,
        gender=resident.gender,
        birth_date=resident.birth_date,
        population_groups=0,
        employment_status=EmploymentStatus.UNKNOWN.value,
    )
