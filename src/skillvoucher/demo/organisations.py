"""The demo institution and assessment body the demo staff accounts bind to, made through the real actions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillvoucher.training import (
    AssessmentBody,
    Institution,
    InstitutionDetails,
    change_accreditation,
    register_assessment_body,
    register_institution,
    set_registered_scope,
)

DEMO_SCHOOL_USCC = "52350203MJ10000010"  # 民政登记的民办非企业单位, 思明区
DEMO_ASSESSMENT_BODY_USCC = "12350200MB1000002D"  # 机构编制登记的事业单位, 厦门市


def ensure_demo_organisations(session: Session) -> tuple[int, int]:
    """The ids of the demo school (accredited) and assessment body, created once."""
    school_id = session.scalar(select(Institution.id).where(Institution.uscc == DEMO_SCHOOL_USCC))
    if school_id is None:
        school = register_institution(
            session,
            details=InstitutionDetails(
                name="厦门市思明区鹭岛职业培训学校",
                uscc=DEMO_SCHOOL_USCC,
                kind="private_school",
                address="厦门市思明区湖滨南路100号",
                region_code="350203",
                contact_name="陈老师",
                contact_phone="0592-5550100",
            ),
            by=None,
        )
        change_accreditation(session, institution_id=school.id, to="accredited", reason="演示数据 / demo", by=None)
        scope = [("4-10-01-05", level) for level in (5, 4, 3)] + [("4-10-01-03", level) for level in (5, 4)]
        set_registered_scope(session, institution_id=school.id, scope=scope, by=None)
        school_id = school.id
    body_id = session.scalar(select(AssessmentBody.id).where(AssessmentBody.uscc == DEMO_ASSESSMENT_BODY_USCC))
    if body_id is None:
        body_id = register_assessment_body(
            session, name="厦门市职业技能鉴定指导中心", uscc=DEMO_ASSESSMENT_BODY_USCC, region_code="350200", by=None
        ).id
    return school_id, body_id
