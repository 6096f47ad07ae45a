from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories.access import PASSWORD, enrol_totp, make_staff

from skillvoucher.audit import AuditEvent
from skillvoucher.core import Conflict, Forbidden, Invalid, utc_now
from skillvoucher.identity.account_models import StaffAccount
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.identity.credentials import verify_password
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.identity.sign_in import LockoutPolicy, SignInOutcome, attempt_staff_sign_in, principal_of
from skillvoucher.identity.staff import (
    Binding,
    assign_role,
    change_own_password,
    create_staff,
    disable_staff,
    reset_password,
    sign_out_everywhere,
)

POLICY = LockoutPolicy(threshold=10, minutes=15, failures_per_address=1000)


def _sign_in(
    session: Session,
    cipher: PiiCipher,
    username: str,
    password: str = PASSWORD,
    totp: str | None = None,
    address: str = "10.0.0.1",
    policy: LockoutPolicy = POLICY,
) -> SignInOutcome:
    return attempt_staff_sign_in(
        session,
        username=username,
        password=password,
        totp_code=totp,
        address=address,
        cipher=cipher,
        policy=policy,
        now=utc_now(),
    )


def test_created_account_has_a_hashed_password_and_an_audit_event(session: Session) -> None:
    account = make_staff(session, username="Xiamen.Officer")
    assert account.username == "xiamen.officer"
    assert account.password_hash.startswith("$argon2id$")
    assert verify_password(account.password_hash, PASSWORD)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.created")).all()[-1]
    assert PASSWORD not in event.data
    assert event.subject_id == str(account.id)


def test_generated_first_password_must_be_changed(session: Session) -> None:
    account, first = create_staff(
        session, username="newbie", display_name="新人", by=None, binding=Binding(Role.AUDITOR, region_code="350200")
    )
    assert account.must_change_password
    assert verify_password(account.password_hash, first)


@pytest.mark.parametrize(
    ("binding", "message"),
    [
        (Binding(Role.BUREAU_OFFICER), "region"),
        (Binding(Role.BUREAU_OFFICER, region_code="999999"), "unknown region"),
        (Binding(Role.INSTITUTION_STAFF), "institution"),
        (Binding(Role.ASSESSOR), "assessment body"),
        (Binding(Role.WORKER), "e-SSC"),
    ],
)
def test_bad_bindings_are_refused(session: Session, binding: Binding, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        create_staff(session, username="someone", display_name="x", binding=binding, by=None, password=PASSWORD)


def test_duplicate_username_is_a_conflict(session: Session) -> None:
    make_staff(session, username="same-name")
    with pytest.raises(Conflict):
        make_staff(session, username="SAME-NAME")


def test_city_officer_manages_only_its_city_and_cannot_make_admins(session: Session) -> None:
    officer = principal_of(make_staff(session, region_code="350200"))
    create_staff(
        session,
        username="county-officer",
        display_name="x",
        by=officer,
        password=PASSWORD,
        binding=Binding(Role.BUREAU_OFFICER, region_code="350203"),
    )
    with pytest.raises(Forbidden):
        create_staff(
            session,
            username="fuzhou-officer",
            display_name="x",
            by=officer,
            password=PASSWORD,
            binding=Binding(Role.BUREAU_OFFICER, region_code="350102"),
        )
    with pytest.raises(Forbidden):
        create_staff(
            session, username="new-admin", display_name="x", by=officer, password=PASSWORD, binding=Binding(Role.ADMIN)
        )
    fuzhou = make_staff(session, region_code="350100")
    with pytest.raises(Forbidden):
        reset_password(session, account_id=fuzhou.id, by=officer)


def test_auditor_changes_nothing(session: Session) -> None:
    auditor = principal_of(make_staff(session, role=Role.AUDITOR, region_code="350000"))
    target = make_staff(session, region_code="350203")
    with pytest.raises(Forbidden):
        disable_staff(session, account_id=target.id, by=auditor)
    with pytest.raises(Forbidden):
        create_staff(
            session,
            username="by-auditor",
            display_name="x",
            by=auditor,
            password=PASSWORD,
            binding=Binding(Role.AUDITOR, region_code="350203"),
        )


def test_sign_in_with_password_and_totp(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session)
    totp = enrol_totp(session, account, cipher)
    assert _sign_in(session, cipher, account.username).failure == "totp_required"
    assert _sign_in(session, cipher, account.username, totp="000000").failure == "totp_invalid"
    outcome = _sign_in(session, cipher, account.username, totp=totp.now())
    assert outcome.failure is None
    assert outcome.account is account
    assert _sign_in(session, cipher, account.username, totp=totp.now()).failure == "totp_invalid"  # replayed code


def test_officer_without_totp_must_enrol_first(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session)
    outcome = _sign_in(session, cipher, account.username)
    assert outcome.failure is None
    assert outcome.needs_totp_enrolment
    staff = make_staff(session, role=Role.INSTITUTION_STAFF, region_code=None)
    assert not _sign_in(session, cipher, staff.username).needs_totp_enrolment


def test_wrong_passwords_lock_the_account(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session, role=Role.INSTITUTION_STAFF, region_code=None)
    policy = LockoutPolicy(threshold=10, minutes=15, failures_per_address=1000)
    outcomes = [
        _sign_in(session, cipher, account.username, password="wrong-password", policy=policy) for _ in range(10)
    ]
    assert [o.failure for o in outcomes[:9]] == ["credentials"] * 9
    assert outcomes[9].failure == "locked"
    locked = _sign_in(session, cipher, account.username, policy=policy)  # even the right password
    assert locked.failure == "locked"
    assert locked.locked_until is not None
    assert locked.locked_until - utc_now() <= timedelta(minutes=15)
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.locked")).first() is not None


def test_unknown_user_and_wrong_password_look_the_same(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session, role=Role.INSTITUTION_STAFF, region_code=None)
    assert _sign_in(session, cipher, "nobody-here").failure == "credentials"
    assert _sign_in(session, cipher, account.username, password="not-the-password").failure == "credentials"


def test_an_address_with_too_many_failures_is_rate_limited(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session, role=Role.INSTITUTION_STAFF, region_code=None)
    policy = LockoutPolicy(threshold=100, minutes=15, failures_per_address=5)
    for _ in range(5):
        _sign_in(session, cipher, "nobody", address="203.0.113.9", policy=policy)
    assert _sign_in(session, cipher, account.username, address="203.0.113.9", policy=policy).failure == "rate_limited"
    assert _sign_in(session, cipher, account.username, address="203.0.113.10", policy=policy).failure is None


def test_disabled_account_cannot_sign_in_and_its_sessions_end(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session, role=Role.INSTITUTION_STAFF, region_code=None)
    epoch = account.session_epoch
    disable_staff(session, account_id=account.id, by=None)
    assert account.session_epoch == epoch + 1
    assert _sign_in(session, cipher, account.username).failure == "disabled"


def test_reset_password_unlocks_and_requires_a_change(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session, role=Role.INSTITUTION_STAFF, region_code=None)
    account.locked_until = utc_now() + timedelta(minutes=5)
    _, one_time = reset_password(session, account_id=account.id, by=None)
    assert account.must_change_password
    assert _sign_in(session, cipher, account.username, password=one_time).failure is None
    with pytest.raises(Invalid, match="current password"):
        change_own_password(session, account=account, current="wrong", new="Another-Good-Pass-1")
    change_own_password(session, account=account, current=one_time, new="Another-Good-Pass-1")
    assert not account.must_change_password


def test_assigning_a_role_and_signing_out_everywhere_end_sessions(session: Session) -> None:
    account = make_staff(session, region_code="350203")
    epoch = account.session_epoch
    assign_role(session, account_id=account.id, binding=Binding(Role.AUDITOR, region_code="350200"), by=None)
    assert (account.role, account.region_code) == ("auditor", "350200")
    sign_out_everywhere(session, account=account)
    assert account.session_epoch == epoch + 2


def test_officers_cannot_disable_themselves(session: Session) -> None:
    account = make_staff(session, region_code="350200")
    me = Principal(Role.BUREAU_OFFICER, account.id, region_code="350200")
    with pytest.raises(Forbidden, match="own account"):
        disable_staff(session, account_id=account.id, by=me)


def test_totp_secret_is_stored_encrypted(session: Session, cipher: PiiCipher) -> None:
    account = make_staff(session)
    totp = enrol_totp(session, account, cipher)
    stored = session.scalar(select(StaffAccount.totp_secret_encrypted).where(StaffAccount.id == account.id))
    assert stored is not None
    assert totp.secret.encode() not in stored


def test_unknown_institution_is_a_clear_error(session: Session) -> None:
    with pytest.raises(Invalid, match="does not exist"):
        create_staff(
            session,
            username="ghost-staff",
            display_name="x",
            by=None,
            password=PASSWORD,
            binding=Binding(Role.INSTITUTION_STAFF, institution_id=987654),
        )
    with pytest.raises(Invalid, match="does not exist"):
        create_staff(
            session,
            username="ghost-assessor",
            display_name="x",
            by=None,
            password=PASSWORD,
            binding=Binding(Role.ASSESSOR, assessment_body_id=987654),
        )
