"""What enrolment, assessment and certificates add to the statistics rollups (see skillvoucher.stats).

An enrolment's counts sit in the month it was confirmed (used, held), the month it ended (completed, forfeited) or
the certificate's issue date (certified); taking an event back subtracts in the month it was first counted.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from skillvoucher.enrolment.models import Enrolment
from skillvoucher.identity import Person
from skillvoucher.stats import Subject, count
from skillvoucher.training import Course


def count_enrolment(
    session: Session, enrolment: Enrolment, course: Course, policy_id: int, month: int, **deltas: int
) -> None:
    person = session.get(Person, enrolment.person_id)
    if person is None:  # enrolments reference persons by foreign key
        raise LookupError(f"enrolment {enrolment.id} has no person")
    subject = Subject(
        region_code=person.region_code,
        groups=person.population_groups,
        policy_id=policy_id,
        month=month,
        occupation=f"{course.occupation_code}:{course.level}",
        institution_id=course.institution_id,
    )
    count(session, subject, **deltas)
