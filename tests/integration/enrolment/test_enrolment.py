"""The whole use of a voucher on both databases: verify, confirm, attend, assess, certify — and each refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories.enrolment import (
    BEFORE,
    DAY,
    FIRST_SESSION,
    SECOND_SESSION,
    ClassSetup,
    ready_class,
    voucher_holder,
)
from tests.factories.vouchers import OFFICER, person

from skillvoucher.core import Forbidden, Invalid
from skillvoucher.enrolment import (
    AlreadyCheckedIn,
    AssessmentRefused,
    CertificateNotFound,
    CheckInRefused,
    ClassFull,
    ClassNotOpenForEnrolment,
    EnrolmentStateRefused,
    ResultEntry,
    VoucherNotUsable,
    attendance_code,
    cancel_enrolment,
    check_certificate,
    check_in,
    class_evidence,
    confirm_enrolment,
    record_attendance_file,
    record_results,
    revoke_certificate,
    training_record,
    verify_voucher,
)
from skillvoucher.identity import Person, PiiCipher, Principal, Role
from skillvoucher.training import TrainingClass, change_accreditation
from skillvoucher.vouchers import Voucher, VoucherPolicy, mask_holder_name, mint_voucher_token

KEY = b"k" * 32
AT = FIRST_SESSION + timedelta(minutes=10)


def enrol(session: Session, setup: ClassSetup, worker: Principal, voucher: Voucher) -> int:
    """The institution verifies the voucher by its code and the worker confirms: the enrolment's id."""
    offer = verify_voucher(
        session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=setup.staff
    )
    return confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=worker).id


def scan(session: Session, worker: Principal, session_id: int, at=AT):  # type: ignore[no-untyped-def]
    code = attendance_code(KEY, session_id, at)
    return check_in(
        session,
        KEY,
        code=code,
        person_id=worker.account_id,
        now=at,
        device_fingerprint="fp",
        network_address="10.0.0.8",
        by=worker,
    )


def test_verify_confirm_attend_assess_certify(session: Session, cipher: PiiCipher) -> None:
    setup = ready_class(session)
    worker, voucher = voucher_holder(session, cipher, setup)
    token = mint_voucher_token(session, cipher, voucher, "林*明", AT.replace(day=1))
    offer = verify_voucher(
        session, class_id=setup.class_id, presented=token, today=BEFORE, now=AT.replace(day=1), by=setup.staff
    )
    assert offer.holder_name_masked == mask_holder_name("林小明")
    assert offer.value_fen == 100_000  # the face value, under the course's price
    assert voucher.state == "claimed"  # nothing reserved before the worker consents
    with pytest.raises(Forbidden):  # nobody confirms for the worker
        confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=setup.staff)
    enrolment = confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=worker)
    assert (enrolment.state, voucher.state) == ("enrolled", "reserved")
    assert session.get(TrainingClass, setup.class_id).enrolled_count == 1  # type: ignore[union-attr]
    with pytest.raises(EnrolmentStateRefused):
        confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=worker)

    first = scan(session, worker, setup.session_ids[0])
    assert first.topic == "理论"
    with pytest.raises(AlreadyCheckedIn):
        scan(session, worker, setup.session_ids[0], AT + timedelta(minutes=1))
    scan(session, worker, setup.session_ids[1], SECOND_SESSION + timedelta(minutes=5))

    [outcome] = record_results(
        session, class_id=setup.class_id, results=[ResultEntry(enrolment.id, True, 88)], today=DAY, by=setup.assessor
    )
    assert outcome.completion.completed
    assert outcome.certificate_serial is not None
    public = check_certificate(session, cipher, serial=outcome.certificate_serial)
    assert public.holder_name_masked == "林*明"
    assert "*" in public.id_number_masked
    assert public.occupation_name == "养老护理员"
    [line] = training_record(session, person_id=worker.account_id)
    assert (line.state, line.strong_minutes, line.certificate_serial) == ("completed", 360, outcome.certificate_serial)
    [evidence] = class_evidence(session, class_id=setup.class_id)
    assert (evidence.sessions_strong, evidence.passed) == (2, True)

    revoke_certificate(session, serial=outcome.certificate_serial, reason="考核舞弊", by=OFFICER)
    assert check_certificate(session, cipher, serial=outcome.certificate_serial).revoked
    with pytest.raises(CertificateNotFound):
        check_certificate(session, cipher, serial="202635020300000000012")


def test_verification_refusals(session: Session, cipher: PiiCipher) -> None:
    setup = ready_class(session, claimable=True)
    _, voucher = voucher_holder(session, cipher, setup)
    voucher.state = "issued"  # not yet taken up
    with pytest.raises(VoucherNotUsable, match="take the voucher up"):
        verify_voucher(session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=setup.staff)
    voucher.state = "claimed"
    other_school = Principal(Role.INSTITUTION_STAFF, 5, institution_id=setup.school + 1000)
    with pytest.raises(Forbidden):
        verify_voucher(session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=other_school)
    with pytest.raises(VoucherNotUsable, match="expired"):
        verify_voucher(
            session,
            class_id=setup.class_id,
            presented=voucher.code,
            today=voucher.expires_on + timedelta(days=1),
            now=AT,
            by=setup.staff,
        )
    with pytest.raises(Invalid):
        verify_voucher(session, class_id=setup.class_id, presented="a.b.c", today=BEFORE, now=AT, by=setup.staff)
    change_accreditation(session, institution_id=setup.school, to="payments_suspended", reason="审计发现问题", by=None)
    with pytest.raises(ClassNotOpenForEnrolment):
        verify_voucher(session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=setup.staff)


def test_usage_and_class_full(session: Session, cipher: PiiCipher) -> None:
    from skillvoucher.vouchers import OccupationLevel, Usage

    cook_only = ready_class(session, capacity=1, usage=Usage((OccupationLevel("4-03-02-01", 4),)))
    _, voucher = voucher_holder(session, cipher, cook_only)
    with pytest.raises(VoucherNotUsable, match="occupation"):
        verify_voucher(
            session, class_id=cook_only.class_id, presented=voucher.code, today=BEFORE, now=AT, by=cook_only.staff
        )

    setup = ready_class(session, capacity=1)
    first, second = (voucher_holder(session, cipher, setup) for _ in range(2))
    offers = [
        verify_voucher(session, class_id=setup.class_id, presented=v.code, today=BEFORE, now=AT, by=setup.staff)
        for _, v in (first, second)
    ]
    confirm_enrolment(session, enrolment_id=offers[0].enrolment_id, today=BEFORE, by=first[0])
    with pytest.raises(ClassFull):
        confirm_enrolment(session, enrolment_id=offers[1].enrolment_id, today=BEFORE, by=second[0])
    assert second[1].state == "claimed"


def test_cancellation_releases_before_the_start_and_follows_the_policy_after(
    session: Session, cipher: PiiCipher
) -> None:
    setup = ready_class(session)
    worker, voucher = voucher_holder(session, cipher, setup)
    enrolment_id = enrol(session, setup, worker, voucher)
    with pytest.raises(Invalid):
        cancel_enrolment(session, enrolment_id=enrolment_id, reason="", today=BEFORE, by=worker)
    cancelled = cancel_enrolment(session, enrolment_id=enrolment_id, reason="时间冲突", today=BEFORE, by=worker)
    assert (cancelled.voucher_outcome, voucher.state) == ("released", "claimed")
    assert session.get(TrainingClass, setup.class_id).enrolled_count == 0  # type: ignore[union-attr]

    again = enrol(session, setup, worker, voucher)
    session.get(VoucherPolicy, setup.policy_id).late_cancellation = "forfeit"  # type: ignore[union-attr]
    late = cancel_enrolment(session, enrolment_id=again, reason="中途退学", today=DAY, by=setup.staff)
    assert (late.voucher_outcome, voucher.state) == ("forfeited", "forfeited")


def test_check_in_refusals(session: Session, cipher: PiiCipher) -> None:
    setup = ready_class(session)
    other = ready_class(session)
    worker, voucher = voucher_holder(session, cipher, setup)
    enrol(session, setup, worker, voucher)
    stale = attendance_code(KEY, setup.session_ids[0], AT - timedelta(minutes=2))
    with pytest.raises(CheckInRefused, match="expired"):
        check_in(
            session,
            KEY,
            code=stale,
            person_id=worker.account_id,
            now=AT,
            device_fingerprint=None,
            network_address=None,
            by=worker,
        )
    forged = attendance_code(b"x" * 32, setup.session_ids[0], AT)
    with pytest.raises(CheckInRefused, match="not an attendance code"):
        check_in(
            session,
            KEY,
            code=forged,
            person_id=worker.account_id,
            now=AT,
            device_fingerprint=None,
            network_address=None,
            by=worker,
        )
    with pytest.raises(CheckInRefused, match="not enrolled"):  # a session of another class
        scan(session, worker, other.session_ids[0])
    stranger = Principal(Role.WORKER, person(session, cipher).id)
    with pytest.raises(CheckInRefused, match="not enrolled"):
        scan(session, stranger, setup.session_ids[0])
    with pytest.raises(CheckInRefused, match="not open"):  # the code is fresh but the session is tomorrow's
        scan(session, worker, setup.session_ids[1], AT)
    with pytest.raises(Forbidden):
        check_in(
            session,
            KEY,
            code=stale,
            person_id=stranger.account_id,
            now=AT,
            device_fingerprint=None,
            network_address=None,
            by=worker,
        )


def test_file_attendance_is_weak_and_does_not_complete(session: Session, cipher: PiiCipher) -> None:
    setup = ready_class(session)
    worker, voucher = voucher_holder(session, cipher, setup)
    enrolment_id = enrol(session, setup, worker, voucher)
    holder = session.get(Person, worker.account_id)
    assert holder is not None
    number = cipher.decrypt("id_number", holder.id_number_encrypted)
    rows = [
        (2, setup.session_ids[0], number),
        (3, setup.session_ids[1], number),
        (4, 999_999, number),
        (5, setup.session_ids[0], number),
    ]
    result = record_attendance_file(session, cipher, class_id=setup.class_id, rows=rows, by=setup.staff)
    assert result.recorded == 2
    assert [p.row for p in result.problems] == [4, 5]
    [outcome] = record_results(
        session, class_id=setup.class_id, results=[ResultEntry(enrolment_id, True)], today=DAY, by=setup.assessor
    )
    assert not outcome.completion.completed
    assert outcome.completion.weak_minutes == 360
    assert outcome.certificate_serial is None


def test_an_institution_cannot_assess_its_own_class(session: Session, cipher: PiiCipher) -> None:
    from skillvoucher.training import AssessmentBody, Institution

    setup = ready_class(session)
    body = session.get(AssessmentBody, setup.assessor.assessment_body_id)
    school = session.get(Institution, setup.school)
    assert body is not None
    assert school is not None
    body.uscc = school.uscc  # the same organisation under two names
    with pytest.raises(AssessmentRefused, match="its own class"):
        record_results(session, class_id=setup.class_id, results=[], today=DAY, by=setup.assessor)
    with pytest.raises(Forbidden):  # staff are not assessors
        record_results(session, class_id=setup.class_id, results=[], today=DAY, by=setup.staff)
    assert session.scalars(select(Voucher)).all() == []


def test_a_file_row_does_not_block_the_trainees_own_check_in(session: Session, cipher: PiiCipher) -> None:
    setup = ready_class(session)
    worker, voucher = voucher_holder(session, cipher, setup)
    enrol(session, setup, worker, voucher)
    holder = session.get(Person, worker.account_id)
    assert holder is not None
    number = cipher.decrypt("id_number", holder.id_number_encrypted)
    rows = [(2, setup.session_ids[0], number)]
    assert record_attendance_file(session, cipher, class_id=setup.class_id, rows=rows, by=setup.staff).recorded == 1
    scan(session, worker, setup.session_ids[0])  # the trainee's own scan still counts, as strong evidence
    [evidence] = class_evidence(session, class_id=setup.class_id)
    assert (evidence.sessions_strong, evidence.sessions_weak) == (1, 0)
    again = record_attendance_file(session, cipher, class_id=setup.class_id, rows=rows, by=setup.staff)
    assert (again.recorded, [p.row for p in again.problems]) == (0, [2])


def test_one_subsidy_per_person_per_occupation_and_level(session: Session, cipher: PiiCipher) -> None:
    from skillvoucher.vouchers import claim_from_policy

    first = ready_class(session)
    worker, voucher = voucher_holder(session, cipher, first)
    enrol(session, first, worker, voucher)
    second = ready_class(session)  # another school's class for the same occupation and level, another policy
    again = claim_from_policy(session, policy_id=second.policy_id, person_id=worker.account_id, today=BEFORE, by=worker)
    with pytest.raises(VoucherNotUsable, match="one subsidy"):
        verify_voucher(session, class_id=second.class_id, presented=again.code, today=BEFORE, now=AT, by=second.staff)
