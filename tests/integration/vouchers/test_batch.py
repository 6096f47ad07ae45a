"""Batch issuance by rule as a job: everyone eligible once, caps kept, a run cut short resumes without gaps."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from tests.factories.vouchers import OFFICER, TODAY, person, terms

from skillvoucher.app import Runtime
from skillvoucher.core import Conflict
from skillvoucher.identity import PopulationGroup, Principal, Role
from skillvoucher.jobs import get_job, run_job
from skillvoucher.training import ClassTrainee
from skillvoucher.vouchers import (
    PolicyKind,
    Voucher,
    batch_progress,
    batch_step,
    claim_from_policy,
    define_policy,
    issue_to_class_roster,
    revoke_batch,
    start_batch,
)


def _people(runtime: Runtime, eligible: int, others: int) -> list[int]:
    with runtime.uow.begin() as session:
        ids = [person(session, runtime.cipher).id for _ in range(eligible)]
        for _ in range(others):
            person(session, runtime.cipher, groups=PopulationGroup.ENTERPRISE_EMPLOYEE)
        person(session, runtime.cipher, region_code="350102")  # 福州: outside the policy's region
        return ids


def _vouchers(runtime: Runtime, policy_id: int) -> list[Voucher]:
    with runtime.uow.read() as session:
        vouchers = list(session.scalars(select(Voucher).where(Voucher.policy_id == policy_id)))
        session.expunge_all()  # keep them loaded past the read's rollback
        return vouchers


def test_batch_issues_to_every_eligible_person_once(runtime: Runtime) -> None:
    eligible = _people(runtime, eligible=12, others=5)
    with runtime.uow.begin() as session:
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
        claimed = claim_from_policy(
            session, policy_id=policy.id, person_id=eligible[0], today=TODAY, by=worker_of(eligible[0])
        )
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
        assert start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER).id == job.id  # asked twice
    finished = run_job(runtime.uow, job.id, batch_step(chunk_persons=4))
    assert finished.state == "finished"
    assert batch_progress(finished) == 1.0
    assert finished.result == {"issued": 11, "stopped_by_cap": False}  # the claimant already had one
    vouchers = _vouchers(runtime, policy.id)
    assert sorted(v.person_id for v in vouchers) == sorted(eligible)
    assert len({v.code for v in vouchers}) == len(vouchers)
    assert Counter(v.state for v in vouchers) == {"issued": 11, "claimed": 1}
    assert all(v.job_id == job.id for v in vouchers if v.id != claimed.id)
    with runtime.uow.begin() as session:  # a second batch finds nobody left
        again = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
    assert run_job(runtime.uow, again.id, batch_step(chunk_persons=4)).result["issued"] == 0
    with runtime.uow.read() as session:
        policy_row = session.get(type(policy), policy.id)
        assert policy_row is not None
        assert policy_row.issued_count == 12
        assert policy_row.committed_fen == 12 * 100_000


def worker_of(person_id: int) -> Principal:
    return Principal(Role.WORKER, person_id)


def test_batch_cut_short_resumes_without_gaps_or_duplicates(runtime: Runtime) -> None:
    eligible = _people(runtime, eligible=20, others=3)
    with runtime.uow.begin() as session:
        policy = define_policy(session, terms=terms(), today=TODAY, by=OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
    cut = run_job(runtime.uow, job.id, batch_step(chunk_persons=5), stop_after=2)
    assert cut.state == "running"
    assert 0 < batch_progress(cut) < 1

    class Killed(RuntimeError):
        pass

    def dies(session, job):  # type: ignore[no-untyped-def]
        batch_step(chunk_persons=5)(session, job)
        raise Killed  # the process dies before this chunk commits

    with pytest.raises(Killed):
        run_job(runtime.uow, job.id, dies)
    with runtime.uow.read() as session:
        failed = get_job(session, job.id)
        assert failed.state == "failed"
        assert failed.cursor == cut.cursor
    finished = run_job(runtime.uow, job.id, batch_step(chunk_persons=5))
    assert finished.state == "finished"
    vouchers = _vouchers(runtime, policy.id)
    assert sorted(v.person_id for v in vouchers) == sorted(eligible)
    assert finished.result["issued"] == 20


def test_batch_stops_at_the_quantity_cap(runtime: Runtime) -> None:
    _people(runtime, eligible=10, others=0)
    with runtime.uow.begin() as session:
        policy = define_policy(session, terms=terms(quantity_cap=7), today=TODAY, by=OFFICER)
        job = start_batch(session, policy_id=policy.id, today=TODAY, by=OFFICER)
    finished = run_job(runtime.uow, job.id, batch_step(chunk_persons=3))
    assert finished.result == {"issued": 7, "stopped_by_cap": True}
    assert len(_vouchers(runtime, policy.id)) == 7
    with runtime.uow.begin() as session:
        assert revoke_batch(session, job_id=job.id, reason="口径有误", by=OFFICER) == 7
    assert {v.state for v in _vouchers(runtime, policy.id)} == {"revoked"}


def test_targeted_vouchers_go_to_the_class_roster(runtime: Runtime) -> None:
    from datetime import UTC, date, datetime, timedelta

    from tests.factories.training import course_details, demand, listed_school

    from skillvoucher.core import utc_now
    from skillvoucher.training import (
        ClassPlan,
        SessionPlan,
        Teacher,
        apply_for_class,
        decide_class,
        publish_course,
    )

    eligible = _people(runtime, eligible=4, others=2)
    with runtime.uow.begin() as session:
        school = listed_school(session)
        demand(session)
        course = publish_course(session, details=course_details(school), today=TODAY, by=None)  # type: ignore[arg-type]
        start = date(2027, 1, 10)
        at = datetime(2027, 1, 10, 1, tzinfo=UTC)
        plan = ClassPlan(
            course_id=course.id,
            start_date=start,
            end_date=start + timedelta(days=20),
            capacity=30,
            assessment_plan="第三方评价",
            sessions=[SessionPlan(at, at + timedelta(hours=3), "理论", "301")],
            teachers=[Teacher("王老师", "一级")],
        )
        training_class = apply_for_class(session, plan=plan, today=TODAY, by=None)
        roster = eligible[:3]
        session.add_all(ClassTrainee(class_id=training_class.id, person_id=p, listed_at=utc_now()) for p in roster)
        with pytest.raises(Conflict):  # the class is not approved yet
            define_policy(
                session,
                terms=terms(kind=PolicyKind.TARGETED, target_class_id=training_class.id, claimable=False),
                today=TODAY,
                by=OFFICER,
            )
        decide_class(session, class_id=training_class.id, approve=True, by=None)
        policy = define_policy(
            session,
            terms=terms(kind=PolicyKind.TARGETED, target_class_id=training_class.id, claimable=False),
            today=TODAY,
            by=OFFICER,
        )
        assert policy.usage == {"occupations": [["4-10-01-05", 4]]}
        issued = issue_to_class_roster(session, policy_id=policy.id, today=TODAY, by=OFFICER)
        assert (issued.issued, issued.listed) == (3, 3)
        assert issue_to_class_roster(session, policy_id=policy.id, today=TODAY, by=OFFICER).issued == 0
    assert sorted(v.person_id for v in _vouchers(runtime, policy.id)) == sorted(roster)
    with runtime.uow.read() as session:
        assert session.scalar(select(func.count()).select_from(Voucher)) == 3
