from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories.training import CARE, COOK, course_details, demand, listed_school

from skillvoucher.audit import AuditEvent
from skillvoucher.core import Conflict, Forbidden, Invalid
from skillvoucher.identity.authz import Principal, Role
from skillvoucher.training import (
    ClassPlan,
    CourseDetails,
    CourseQuery,
    DemandEntry,
    DemandTerms,
    SessionPlan,
    Teacher,
    apply_for_class,
    change_accreditation,
    decide_bank_account_change,
    decide_class,
    publish_course,
    refresh_next_starts,
    request_bank_account_change,
    search_courses,
    set_demand_entry,
)
from skillvoucher.training.errors import (
    AccreditationChangeRefused,
    DemandPeriodOverlaps,
    InstitutionNotListed,
    NotInDemandCatalogue,
    OutsideRegisteredScope,
    SecondOfficerRequired,
)

TODAY = date(2026, 12, 1)
OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code="350200")
SECOND = Principal(Role.BUREAU_OFFICER, 2, region_code="350200")
AUDITOR = Principal(Role.AUDITOR, 3, region_code="350200")


def details(institution_id: int, **changes: object) -> CourseDetails:
    result = course_details(institution_id, **changes)
    assert isinstance(result, CourseDetails)
    return result


def plan(course_id: int, start: date = date(2027, 1, 10)) -> ClassPlan:
    at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)
    return ClassPlan(
        course_id=course_id,
        start_date=start,
        end_date=start + timedelta(days=20),
        capacity=30,
        assessment_plan="结业后由第三方评价机构考核",
        sessions=[SessionPlan(at, at + timedelta(hours=3), "理论", "301教室")],
        teachers=[Teacher("王老师", "养老护理员一级")],
    )


def staff_of(institution_id: int) -> Principal:
    return Principal(Role.INSTITUTION_STAFF, 9, institution_id=institution_id)


def test_publish_apply_approve_and_find_by_pinyin_initials(session: Session) -> None:
    school = listed_school(session)
    demand(session)  # the city's catalogue covers its districts
    course = publish_course(session, details=details(school), today=TODAY, by=staff_of(school))
    assert search_courses(session, CourseQuery(keyword="ylhly"), today=TODAY).items == []  # no class yet
    applied = apply_for_class(session, plan=plan(course.id), today=TODAY, by=staff_of(school))
    with pytest.raises(Forbidden):
        decide_class(session, class_id=applied.id, approve=True, by=AUDITOR)
    decide_class(session, class_id=applied.id, approve=True, by=OFFICER)
    for keyword in ("ylhly", "YangLaoHuLiYuan", "养老护理员", "鹭岛"):
        hits = search_courses(session, CourseQuery(keyword=keyword, region_code="350000"), today=TODAY).items
        assert [hit.id for hit in hits] == [course.id], keyword
    assert search_courses(session, CourseQuery(keyword="ylhly", region_code="350100"), today=TODAY).items == []
    near = search_courses(session, CourseQuery(sort="distance", near_region="350205"), today=TODAY).items
    assert near[0].distance == 1
    assert near[0].next_start == date(2027, 1, 10)


def test_outside_scope_or_catalogue_is_refused_with_a_clear_message(session: Session) -> None:
    school = listed_school(session)
    demand(session)
    with pytest.raises(OutsideRegisteredScope, match="registered scope"):
        publish_course(session, details=details(school, level=3), today=TODAY, by=staff_of(school))
    other = listed_school(session, scope=((COOK, 4),))
    with pytest.raises(NotInDemandCatalogue, match="demand catalogue"):
        publish_course(session, details=details(other, occupation_code=COOK), today=TODAY, by=staff_of(other))
    with pytest.raises(Forbidden):
        publish_course(session, details=details(school), today=TODAY, by=staff_of(other))


def test_suspended_institution_disappears_and_cannot_open_classes(session: Session) -> None:
    school = listed_school(session)
    demand(session)
    course = publish_course(session, details=details(school), today=TODAY, by=staff_of(school))
    first = apply_for_class(session, plan=plan(course.id), today=TODAY, by=staff_of(school))
    decide_class(session, class_id=first.id, approve=True, by=OFFICER)
    second = apply_for_class(session, plan=plan(course.id, date(2027, 3, 1)), today=TODAY, by=staff_of(school))
    assert len(search_courses(session, CourseQuery(keyword="ylhly"), today=TODAY).items) == 1
    change_accreditation(session, institution_id=school, to="payments_suspended", reason="虚假考勤", by=OFFICER)
    assert search_courses(session, CourseQuery(keyword="ylhly"), today=TODAY).items == []
    with pytest.raises(InstitutionNotListed, match="payments_suspended"):
        apply_for_class(session, plan=plan(course.id), today=TODAY, by=staff_of(school))
    with pytest.raises(InstitutionNotListed):
        decide_class(session, class_id=second.id, approve=True, by=OFFICER)
    with pytest.raises(InstitutionNotListed):
        publish_course(session, details=details(school), today=TODAY, by=staff_of(school))
    with pytest.raises(AccreditationChangeRefused):
        change_accreditation(session, institution_id=school, to="applied", reason="x", by=OFFICER)
    change_accreditation(session, institution_id=school, to="accredited", reason="整改完成", by=OFFICER)
    assert len(search_courses(session, CourseQuery(keyword="ylhly"), today=TODAY).items) == 1
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_type == "institution")).all()
    assert actions.count("institution.accreditation_changed") == 3


def test_demand_versions_supersede_and_overlaps_are_refused(session: Session) -> None:
    first = demand(session, valid_to=date(2026, 12, 31))
    second = demand(session, valid_to=date(2026, 12, 31), subsidy_fen=160_000)
    rows = session.scalars(select(DemandEntry).where(DemandEntry.id.in_([first, second]))).all()
    by_id = {row.id: row for row in rows}
    assert by_id[first].superseded_at is not None
    assert (by_id[second].version, by_id[second].supersedes_id) == (2, first)
    with pytest.raises(DemandPeriodOverlaps):
        demand(session, valid_from=date(2026, 6, 1))
    demand(session, valid_from=date(2027, 1, 1))  # the next period is fine
    with pytest.raises(Invalid, match="negative"):
        demand(session, subsidy_fen=-1, valid_from=date(2028, 1, 1))
    with pytest.raises(Forbidden):
        set_demand_entry(
            session,
            terms=DemandTerms("350100", CARE, 4, 1, 1, date(2026, 1, 1)),
            by=OFFICER,  # a Xiamen officer does not manage Fuzhou's catalogue
        )


def test_bank_account_change_needs_a_second_officer(session: Session) -> None:
    school = listed_school(session)
    change = request_bank_account_change(
        session,
        institution_id=school,
        bank_name="中国银行厦门分行",
        account_name="鹭岛学校",
        account_number="4100 0012 3456 7890",
        by=OFFICER,
    )
    with pytest.raises(Conflict):
        request_bank_account_change(
            session,
            institution_id=school,
            bank_name="x",
            account_name="y",
            account_number="12345678",
            by=staff_of(school),
        )
    with pytest.raises(SecondOfficerRequired):
        decide_bank_account_change(session, change_id=change.id, approve=True, by=OFFICER)
    decided = decide_bank_account_change(session, change_id=change.id, approve=True, by=SECOND)
    assert decided.state == "approved"
    from skillvoucher.training import get_institution

    assert get_institution(session, school).bank_account_number == "4100001234567890"


def test_search_rederives_a_next_start_that_time_has_passed(session: Session) -> None:
    school = listed_school(session)
    demand(session)
    course = publish_course(session, details=details(school), today=TODAY, by=staff_of(school))
    for start in (date(2027, 1, 10), date(2027, 3, 1)):
        applied = apply_for_class(session, plan=plan(course.id, start), today=TODAY, by=staff_of(school))
        decide_class(session, class_id=applied.id, approve=True, by=OFFICER)
    assert course.next_start == date(2027, 1, 10)
    later = date(2027, 2, 1)  # the first class has started: the stored value is stale
    hits = search_courses(session, CourseQuery(keyword="ylhly", start_from=date(2027, 2, 15)), today=later).items
    assert [hit.next_start for hit in hits] == [date(2027, 3, 1)]
    assert refresh_next_starts(session, today=later) == 1
    session.refresh(course)
    assert course.next_start == date(2027, 3, 1)
    assert search_courses(session, CourseQuery(keyword="ylhly"), today=date(2027, 3, 2)).items == []


def test_queues_for_officers(session: Session) -> None:
    from skillvoucher.training import class_applications, demand_catalogue, institutions_in_region

    school = listed_school(session)
    demand(session, flag="shortage", uplift_percent=20)
    course = publish_course(session, details=details(school), today=TODAY, by=staff_of(school))
    applied = apply_for_class(session, plan=plan(course.id), today=TODAY, by=staff_of(school))
    assert [a.id for a in class_applications(session, region_code="350200")] == [applied.id]
    assert class_applications(session, region_code="350100") == []
    assert [i.id for i in institutions_in_region(session, region_code="350000", states=("accredited",))] == [school]
    assert institutions_in_region(session, region_code="350203", states=("applied",)) == []
    (line,) = demand_catalogue(session, region_code="350200", on=TODAY)
    assert (line.subsidy_fen, line.subsidy_with_uplift_fen) == (150_000, 180_000)


def test_unknown_states_and_changes_are_named_errors(session: Session) -> None:
    from skillvoucher.core import NotFound

    school = listed_school(session)
    with pytest.raises(Invalid, match="accreditation state"):
        change_accreditation(session, institution_id=school, to="closed", reason="x", by=OFFICER)
    with pytest.raises(NotFound):
        decide_bank_account_change(session, change_id=999_999, approve=True, by=OFFICER)
