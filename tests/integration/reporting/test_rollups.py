"""The rollups follow every counted action, on both databases, and `stats verify` agrees with the raw tables."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from sqlalchemy import delete, select, text, update
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
from tests.factories.vouchers import OFFICER, TODAY, person, terms
from tests.integration.enrolment.test_enrolment import enrol, scan

from skillvoucher.app import Runtime
from skillvoucher.enrolment import Enrolment, ResultEntry, cancel_enrolment, record_results, revoke_certificate
from skillvoucher.identity import PiiCipher, PopulationGroup, Principal, Role
from skillvoucher.jobs import run_job
from skillvoucher.reporting import (
    Filters,
    Totals,
    by_member,
    by_month,
    by_region,
    headline,
    listed_institutions,
    rebuild,
    verify,
)
from skillvoucher.stats import NATIONAL, Dimension, StatCount, kind_key
from skillvoucher.training import Accreditation, change_accreditation
from skillvoucher.vouchers import (
    Voucher,
    VoucherPolicy,
    batch_step,
    claim_from_policy,
    define_policy,
    expire_lapsed,
    revoke_voucher,
    start_batch,
)


def _enrolled_class(session: Session, cipher: PiiCipher, trainees: int) -> tuple[ClassSetup, list[int]]:
    setup = ready_class(session)
    enrolments = []
    for _ in range(trainees):
        worker, voucher = voucher_holder(session, cipher, setup)
        enrolments.append(enrol(session, setup, worker, voucher))
    return setup, enrolments


def test_the_whole_use_of_vouchers_is_counted_at_every_level(session: Session, cipher: PiiCipher) -> None:
    setup, [passes, fails, leaves, forfeits] = _enrolled_class(session, cipher, 4)
    cancel_enrolment(session, enrolment_id=leaves, reason="时间冲突", today=BEFORE, by=setup.staff)
    session.get(VoucherPolicy, setup.policy_id).late_cancellation = "forfeit"  # type: ignore[union-attr]
    cancel_enrolment(session, enrolment_id=forfeits, reason="中途退学", today=DAY, by=setup.staff)
    for session_id, at in zip(setup.session_ids, (FIRST_SESSION, SECOND_SESSION), strict=True):
        for worker_id in _workers(session, [passes, fails]):
            scan(session, _worker(worker_id), session_id, at + timedelta(minutes=5))
    outcomes = record_results(
        session,
        class_id=setup.class_id,
        results=[ResultEntry(passes, True, 90), ResultEntry(fails, False, 40)],
        today=DAY,
        by=setup.assessor,
    )
    serial = next(o.certificate_serial for o in outcomes if o.certificate_serial)

    value = 100_000  # the policy's face value
    # Two trainees are left (the one who failed stays enrolled: the voucher was used); one class was approved.
    expected = Totals(
        issued=4, claimed=4, used=2, forfeited=1, completed=1, certified=1, trainees=2, classes=1, held_fen=value
    )
    for region in ("350203", "350200", "350000", NATIONAL):  # the workers' county, city, province, the nation
        assert headline(session, region) == expected
    assert headline(session, "110000") == Totals()
    [xiamen] = [row for row in by_region(session, "350000") if row.key == "350200"]
    assert xiamen.totals == expected
    [occupation] = by_member(session, "350200", Dimension.OCCUPATION)
    assert (occupation.totals.used, occupation.totals.certified) == (2, 1)
    assert "养老护理员" in occupation.label
    [group] = by_member(session, NATIONAL, Dimension.GROUP)
    assert (group.key, group.totals.issued) == (str(int(PopulationGroup.UNEMPLOYED)), 4)
    assert verify(session).differences == []

    revoke_certificate(session, serial=serial, reason="考核舞弊", by=OFFICER)
    assert headline(session, NATIONAL).certified == 0
    assert verify(session).differences == []


def test_expiry_and_revocation_are_counted_in_the_month_they_happen(session: Session, cipher: PiiCipher) -> None:
    policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
    holders = [person(session, cipher) for _ in range(3)]
    session.get(VoucherPolicy, policy.id).claimable = True  # type: ignore[union-attr]
    vouchers = [_claim(session, policy.id, someone.id) for someone in holders]
    revoke_voucher(session, voucher_id=vouchers[0], reason="重复发放", by=OFFICER)
    session.execute(update(Voucher).values(expires_on=TODAY - timedelta(days=1)))
    assert expire_lapsed(session, today=TODAY) == 2
    totals = headline(session, "350200")
    assert (totals.issued, totals.claimed, totals.revoked, totals.expired) == (3, 3, 1, 2)
    months = by_month(session, NATIONAL)
    assert sum(row.totals.issued for row in months) == 3
    assert verify(session).differences == []


def test_a_batch_is_counted_by_region_and_verify_finds_a_tampered_counter(runtime: Runtime) -> None:
    with runtime.uow.begin() as session:
        for region in ("350203", "350203", "350205"):
            person(session, runtime.cipher, region_code=region)
        person(session, runtime.cipher, region_code="350102")  # 福州: outside the policy's region
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
    run_job(runtime.uow, job.id, batch_step(chunk_persons=2))
    with runtime.uow.read() as session:
        counties = {row.key: row.totals.issued for row in by_region(session, "350200") if row.totals.issued}
        assert counties == {"350203": 2, "350205": 1}
        assert headline(session, NATIONAL).issued == 3
        assert headline(session, NATIONAL, Filters(kind="general")).issued == 0
        assert headline(session, NATIONAL, Filters(kind="face_value")).issued == 3
        assert headline(session, NATIONAL, Filters(policy_id=policy.id)).issued == 3
        assert verify(session).differences == []
    with runtime.uow.begin() as session:  # the row of the policy's kind, which the unfiltered dashboard reads
        session.execute(
            update(StatCount)
            .where(
                StatCount.region_code == "350205",
                StatCount.dimension == "all",
                StatCount.policy_id == kind_key("face_value"),
            )
            .values(issued=5)
        )
    with runtime.uow.begin() as session:
        assert headline(session, "350205").issued == 5
        assert headline(session, "350205", Filters(policy_id=policy.id)).issued == 1
        [difference] = verify(session).differences
        assert (difference.key[0], difference.key[2], difference.measure, difference.stored, difference.recomputed) == (
            "350205",
            kind_key("face_value"),
            "issued",
            5,
            1,
        )
        rebuild(session)
    with runtime.uow.read() as session:
        assert verify(session).differences == []
        assert headline(session, "350200").issued == 3


# --- helpers -----------------------------------------------------------------------------------------------------


def _workers(session: Session, enrolment_ids: list[int]) -> list[int]:
    return list(session.scalars(select(Enrolment.person_id).where(Enrolment.id.in_(enrolment_ids))))


def _worker(person_id: int) -> Principal:
    return Principal(Role.WORKER, person_id)


def _claim(session: Session, policy_id: int, person_id: int) -> int:
    return claim_from_policy(session, policy_id=policy_id, person_id=person_id, today=TODAY, by=_worker(person_id)).id


def test_a_trainee_counts_once_under_their_earliest_live_enrolment(session: Session, cipher: PiiCipher) -> None:
    first = ready_class(session, once_per_occupation_level=False)
    second = ready_class(session, once_per_occupation_level=False)  # the same course elsewhere: allowed here
    worker, voucher = voucher_holder(session, cipher, first)
    later = claim_from_policy(session, policy_id=second.policy_id, person_id=worker.account_id, today=BEFORE, by=worker)
    earlier_enrolment = enrol(session, first, worker, voucher)
    enrol(session, second, worker, later)
    assert headline(session, NATIONAL).trainees == 1
    assert _trainees_by_institution(session) == {str(first.school): 1}
    assert verify(session).differences == []

    cancel_enrolment(session, enrolment_id=earlier_enrolment, reason="时间冲突", today=BEFORE, by=worker)
    assert headline(session, NATIONAL).trainees == 1  # still a trainee, now under the other class
    assert _trainees_by_institution(session) == {str(second.school): 1}
    assert headline(session, NATIONAL).classes == 2
    assert verify(session).differences == []


def _trainees_by_institution(session: Session) -> dict[str, int]:
    rows = by_member(session, NATIONAL, Dimension.INSTITUTION)
    return {row.key: row.totals.trainees for row in rows if row.totals.trainees}


def test_listed_institutions_are_counted_within_the_scope(session: Session) -> None:
    setup = ready_class(session)  # one listed school in Xiamen
    assert listed_institutions(session, "350200") == 1
    assert listed_institutions(session, "350000") == listed_institutions(session, NATIONAL) == 1
    assert listed_institutions(session, "110000") == 0
    change_accreditation(
        session, institution_id=setup.school, to=Accreditation.PAYMENTS_SUSPENDED.value, reason="检查整改", by=OFFICER
    )
    assert listed_institutions(session, "350200") == 0


def test_migration_0009_makes_the_kind_rows_from_the_policy_rows(runtime: Runtime) -> None:
    kind_rows = import_module("skillvoucher.migrations.versions.0009_statistics_kind_rollups")
    with runtime.uow.begin() as session:
        for region in ("350203", "350205"):
            person(session, runtime.cipher, region_code=region)
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
    run_job(runtime.uow, job.id, batch_step())
    with runtime.uow.begin() as session:  # a database counted before the kind rows existed
        session.execute(delete(StatCount).where(StatCount.policy_id < 0))
        assert verify(session).differences != []
        session.execute(text(kind_rows.ADD_KIND_ROWS))
    with runtime.uow.read() as session:
        assert verify(session).differences == []
        assert headline(session, NATIONAL).issued == 2
