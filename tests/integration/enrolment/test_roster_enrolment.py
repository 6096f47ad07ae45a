"""Enrolling a targeted class's roster in one action, on both databases: who is enrolled, what is counted, and what
is refused."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories.enrolment import AT, BEFORE, ready_class, voucher_holder
from tests.factories.targeted import TargetedClass, targeted_class
from tests.factories.vouchers import worker
from tests.integration.enrolment.test_enrolment import enrol

from skillvoucher.core import Forbidden
from skillvoucher.enrolment import (
    ClassNotOpenForEnrolment,
    Enrolment,
    VoucherNotUsable,
    confirm_enrolment,
    enrol_class_roster,
    verify_voucher,
)
from skillvoucher.identity import Person, PiiCipher, Principal, Role
from skillvoucher.reporting import Totals, by_member, headline, verify
from skillvoucher.stats import NATIONAL, Dimension
from skillvoucher.training import TrainingClass, cancel_class, change_accreditation
from skillvoucher.vouchers import Voucher, claim_from_policy, take_up

VALUE = 100_000  # the targeted policy's face value, under the course's price of 200,000


def _vouchers(session: Session, setup: TargetedClass) -> list[Voucher]:
    return list(session.scalars(select(Voucher).where(Voucher.policy_id == setup.policy_id).order_by(Voucher.id)))


def _enrolments(session: Session, class_id: int) -> list[Enrolment]:
    return list(session.scalars(select(Enrolment).where(Enrolment.class_id == class_id).order_by(Enrolment.id)))


def test_the_roster_is_enrolled_at_once_counted_and_verified(session: Session, cipher: PiiCipher) -> None:
    setup = targeted_class(session, cipher, roster=4)
    first = _vouchers(session, setup)[0]
    take_up(session, voucher_id=first.id, today=BEFORE, by=worker(session.get_one(Person, first.person_id)))

    result = enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)

    assert (result.listed, result.enrolled, result.taken_up) == (4, 4, 3)  # three were still to be taken up
    assert (result.held_fen, result.seats_left) == (4 * VALUE, 26)
    session.expire_all()
    vouchers = _vouchers(session, setup)
    assert {v.state for v in vouchers} == {"reserved"}
    assert all(v.claimed_at is not None for v in vouchers)
    enrolments = _enrolments(session, setup.class_id)
    assert sorted(e.person_id for e in enrolments) == sorted(setup.person_ids)
    assert {(e.state, e.value_fen, e.budget_reserved_fen) for e in enrolments} == {("enrolled", VALUE, 0)}
    assert all(e.confirmed_at is not None for e in enrolments)
    assert session.get_one(TrainingClass, setup.class_id).enrolled_count == 4
    expected = Totals(issued=4, claimed=4, used=4, trainees=4, held_fen=4 * VALUE)
    for region in ("350203", "350200", NATIONAL):  # the class counts under its course's region
        assert dataclasses.replace(headline(session, region), classes=0) == expected
    assert headline(session, NATIONAL).classes == 1
    [institution] = by_member(session, NATIONAL, Dimension.INSTITUTION)
    assert (institution.key, institution.totals.used) == (str(setup.school), 4)
    assert verify(session).differences == []

    again = enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)
    assert (again.enrolled, again.taken_up, again.held_fen) == (0, 0, 0)
    assert len(_enrolments(session, setup.class_id)) == 4
    assert dataclasses.replace(headline(session, NATIONAL), classes=0) == expected
    assert verify(session).differences == []


def test_a_seat_taken_one_by_one_is_kept_and_the_rest_fill_the_class(session: Session, cipher: PiiCipher) -> None:
    setup = targeted_class(session, cipher, roster=3, capacity=3)
    voucher = _vouchers(session, setup)[0]
    holder = worker(session.get_one(Person, voucher.person_id))
    take_up(session, voucher_id=voucher.id, today=BEFORE, by=holder)
    offer = verify_voucher(
        session, class_id=setup.class_id, presented=voucher.code, today=BEFORE, now=AT, by=setup.staff
    )
    confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=holder)

    result = enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)

    assert (result.enrolled, result.seats_left) == (2, 0)
    assert sorted(e.person_id for e in _enrolments(session, setup.class_id)) == sorted(setup.person_ids)
    assert headline(session, NATIONAL).used == 3
    assert verify(session).differences == []


def test_seats_taken_by_other_vouchers_leave_part_of_the_roster_out(session: Session, cipher: PiiCipher) -> None:
    ready = ready_class(session)  # its school, with a claimable face-value policy for the same course
    setup = targeted_class(session, cipher, roster=3, capacity=3, school=ready.school)
    outsider, outsider_voucher = voucher_holder(session, cipher, ready)
    offer = verify_voucher(
        session, class_id=setup.class_id, presented=outsider_voucher.code, today=BEFORE, now=AT, by=setup.staff
    )
    confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=outsider)

    result = enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)

    assert (result.listed, result.enrolled, result.seats_left) == (3, 2, 0)
    enrolled = {e.person_id for e in _enrolments(session, setup.class_id)}
    assert enrolled == {outsider.account_id, *sorted(setup.person_ids)[:2]}  # the lowest ids got the seats
    assert [v.state for v in _vouchers(session, setup)].count("issued") == 1
    assert verify(session).differences == []


def test_a_listed_worker_enrolled_with_another_voucher_keeps_one_seat(session: Session, cipher: PiiCipher) -> None:
    ready = ready_class(session)
    # Without the one-subsidy rule, which would exclude the worker for the other enrolment already.
    setup = targeted_class(session, cipher, roster=3, capacity=3, school=ready.school, once_per_occupation_level=False)
    holder = worker(session.get_one(Person, setup.person_ids[0]))
    other = claim_from_policy(session, policy_id=ready.policy_id, person_id=holder.account_id, today=BEFORE, by=holder)
    offer = verify_voucher(session, class_id=setup.class_id, presented=other.code, today=BEFORE, now=AT, by=setup.staff)
    confirm_enrolment(session, enrolment_id=offer.enrolment_id, today=BEFORE, by=holder)

    result = enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)

    assert (result.enrolled, result.seats_left) == (2, 0)
    assert sorted(e.person_id for e in _enrolments(session, setup.class_id)) == sorted(setup.person_ids)
    targeted = {v.person_id: v.state for v in _vouchers(session, setup)}
    assert targeted[holder.account_id] == "issued"  # the worker's targeted voucher is left unused
    assert verify(session).differences == []


@pytest.mark.parametrize("once", [True, False])
def test_one_subsidy_per_occupation_and_level(session: Session, cipher: PiiCipher, once: bool) -> None:
    ready = ready_class(session)
    setup = targeted_class(session, cipher, roster=2, school=ready.school, once_per_occupation_level=once)
    holder = worker(session.get_one(Person, setup.person_ids[0]))
    voucher = claim_from_policy(
        session, policy_id=ready.policy_id, person_id=holder.account_id, today=BEFORE, by=holder
    )
    enrol(session, ready, holder, voucher)  # the same occupation and level, in another class

    result = enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)

    assert result.enrolled == (1 if once else 2)
    assert verify(session).differences == []


def test_refusals_change_nothing(session: Session, cipher: PiiCipher) -> None:
    ready = ready_class(session)
    with pytest.raises(VoucherNotUsable, match="no targeted vouchers"):
        enrol_class_roster(session, class_id=ready.class_id, today=BEFORE, by=ready.staff)
    setup = targeted_class(session, cipher, roster=2, school=ready.school)
    other_school = Principal(Role.INSTITUTION_STAFF, 5, institution_id=setup.school + 1000)
    with pytest.raises(Forbidden):
        enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=other_school)
    ended = session.get_one(TrainingClass, setup.class_id).end_date + timedelta(days=1)
    with pytest.raises(ClassNotOpenForEnrolment, match="ended"):
        enrol_class_roster(session, class_id=setup.class_id, today=ended, by=setup.staff)
    change_accreditation(session, institution_id=setup.school, to="payments_suspended", reason="审计发现问题", by=None)
    with pytest.raises(ClassNotOpenForEnrolment, match="not listed"):
        enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)
    change_accreditation(session, institution_id=setup.school, to="accredited", reason="整改完成", by=None)
    cancel_class(session, class_id=setup.class_id, reason="师资变动", by=setup.staff)
    with pytest.raises(ClassNotOpenForEnrolment, match="not approved"):
        enrol_class_roster(session, class_id=setup.class_id, today=BEFORE, by=setup.staff)
    assert {v.state for v in _vouchers(session, setup)} == {"issued"}
    assert session.scalar(select(func.count()).select_from(Enrolment)) == 0
