"""Class rosters (花名册): a checked list of registered persons, stored whole or not at all, frozen once decided."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories.identity import make_id_number, make_record, wrong_check_character
from tests.factories.training import applied_class

from skillvoucher.audit import AuditEvent
from skillvoucher.core import Actor, Forbidden
from skillvoucher.identity import PiiCipher, Principal, Role, register_person
from skillvoucher.training import (
    ClassTrainee,
    RosterFileRefused,
    RosterFrozen,
    RosterLine,
    RosterRefused,
    cancel_class,
    class_applications,
    class_roster,
    decide_class,
    institution_classes,
    roster_file_lines,
    roster_lines,
    set_class_roster,
)

TODAY = date(2026, 12, 1)
OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code="350200")
AUDITOR = Principal(Role.AUDITOR, 3, region_code="350200")


def staff_of(institution_id: int) -> Principal:
    return Principal(Role.INSTITUTION_STAFF, 9, institution_id=institution_id)


def registered(session: Session, cipher: PiiCipher, count: int, name: str = "张三丰") -> list[str]:
    numbers = [make_id_number("350203") for _ in range(count)]
    for number in numbers:
        register_person(
            session, record=make_record(name=name, id_number=number), cipher=cipher, actor=Actor.system("test")
        )
    return numbers


def lines(*numbers: str) -> list[RosterLine]:
    return roster_lines("\n".join(numbers))


def stored(session: Session, class_id: int) -> int:
    return session.scalar(select(func.count()).select_from(ClassTrainee).where(ClassTrainee.class_id == class_id)) or 0


def test_a_roster_is_stored_masked_counted_and_audited_without_numbers(session: Session, cipher: PiiCipher) -> None:
    school, class_id = applied_class(session, today=TODAY)
    numbers = registered(session, cipher, 3)
    typed = f"{numbers[0]}\n\n  {numbers[1].lower()} \n{numbers[2]}"  # a blank line, spaces, a lower-case x
    count = set_class_roster(
        session, class_id=class_id, lines=roster_lines(typed), cipher=cipher, today=TODAY, by=staff_of(school)
    )
    assert count == 3 == stored(session, class_id)

    roster = class_roster(session, class_id=class_id, cipher=cipher, by=staff_of(school))
    assert (roster.state, roster.capacity, roster.frozen) == ("applied", 30, False)
    assert {t.name_masked for t in roster.trainees} == {"张*丰"}
    assert sorted(t.id_number_masked for t in roster.trainees) == sorted(n[:4] + "*" * 10 + n[-4:] for n in numbers)
    assert class_roster(session, class_id=class_id, cipher=cipher, by=OFFICER).trainees == roster.trainees
    assert [c.roster_size for c in institution_classes(session, school)] == [3]
    assert [a.roster_size for a in class_applications(session, region_code="350200")] == [3]

    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "class.roster_set")).one()
    assert json.loads(event.data) == {"count": 3}


def test_setting_again_replaces_the_roster(session: Session, cipher: PiiCipher) -> None:
    school, class_id = applied_class(session, today=TODAY)
    first, second, third = registered(session, cipher, 3)
    set_class_roster(session, class_id=class_id, lines=lines(first, second), cipher=cipher, today=TODAY, by=None)
    set_class_roster(session, class_id=class_id, lines=lines(third), cipher=cipher, today=TODAY, by=staff_of(school))
    roster = class_roster(session, class_id=class_id, cipher=cipher, by=None)
    assert [t.id_number_masked[-4:] for t in roster.trainees] == [third[-4:]]


def test_every_wrong_line_is_named_and_nothing_is_written(session: Session, cipher: PiiCipher) -> None:
    school, class_id = applied_class(session, today=TODAY, capacity=4)
    good, other = registered(session, cipher, 2)
    set_class_roster(session, class_id=class_id, lines=lines(other), cipher=cipher, today=TODAY, by=None)
    unknown = make_id_number("350203")  # valid, but nobody in the registry has it
    text = "\n".join([good, wrong_check_character(good), "12345", unknown, good.lower(), good])
    with pytest.raises(RosterRefused) as refused:
        set_class_roster(
            session, class_id=class_id, lines=roster_lines(text), cipher=cipher, today=TODAY, by=staff_of(school)
        )
    problems = dict(refused.value.problems)
    assert sorted(problems) == [2, 3, 4, 5, 6]
    assert "check character" in problems[2]
    assert "18 characters" in problems[3]
    assert "no such person" in problems[4]
    assert "repeats line 1" in problems[5]
    assert "capacity of 4" in refused.value.message
    assert all(number not in refused.value.message for number in (good, unknown, good[:17]))
    # the earlier roster is untouched: the refusal wrote nothing
    roster = class_roster(session, class_id=class_id, cipher=cipher, by=None)
    assert [t.id_number_masked[-4:] for t in roster.trainees] == [other[-4:]]
    assert session.scalar(select(func.count()).where(AuditEvent.action == "class.roster_set")) == 1


def test_a_roster_larger_than_the_class_is_refused(session: Session, cipher: PiiCipher) -> None:
    _, class_id = applied_class(session, today=TODAY, capacity=2)
    numbers = registered(session, cipher, 3)
    with pytest.raises(RosterRefused) as refused:
        set_class_roster(session, class_id=class_id, lines=lines(*numbers), cipher=cipher, today=TODAY, by=None)
    assert [line for line, _ in refused.value.problems] == [3]
    assert "capacity of 2" in refused.value.problems[0][1]
    assert stored(session, class_id) == 0


def test_an_empty_roster_is_refused(session: Session, cipher: PiiCipher) -> None:
    _, class_id = applied_class(session, today=TODAY)
    with pytest.raises(RosterRefused):
        set_class_roster(session, class_id=class_id, lines=roster_lines("\n  \n"), cipher=cipher, today=TODAY, by=None)


def test_only_the_class_institution_sets_or_reads_its_roster(session: Session, cipher: PiiCipher) -> None:
    school, class_id = applied_class(session, today=TODAY)
    other_school, _ = applied_class(session, today=TODAY)
    (number,) = registered(session, cipher, 1)
    for outsider in (staff_of(other_school), OFFICER, AUDITOR):
        with pytest.raises(Forbidden):
            set_class_roster(session, class_id=class_id, lines=lines(number), cipher=cipher, today=TODAY, by=outsider)
    assert stored(session, class_id) == 0
    with pytest.raises(Forbidden):
        class_roster(session, class_id=class_id, cipher=cipher, by=staff_of(other_school))
    away = Principal(Role.BUREAU_OFFICER, 2, region_code="440100")  # an officer of another region
    with pytest.raises(Forbidden):
        class_roster(session, class_id=class_id, cipher=cipher, by=away)
    assert class_roster(session, class_id=class_id, cipher=cipher, by=AUDITOR).trainees == ()
    set_class_roster(session, class_id=class_id, lines=lines(number), cipher=cipher, today=TODAY, by=staff_of(school))
    assert stored(session, class_id) == 1


@pytest.mark.parametrize("decision", ["approve", "reject", "cancel"])
def test_the_roster_is_frozen_once_the_class_is_decided_or_cancelled(
    session: Session, cipher: PiiCipher, decision: str
) -> None:
    school, class_id = applied_class(session, today=TODAY)
    first, second = registered(session, cipher, 2)
    set_class_roster(session, class_id=class_id, lines=lines(first), cipher=cipher, today=TODAY, by=None)
    if decision == "cancel":
        cancel_class(session, class_id=class_id, reason="招生不足", by=staff_of(school))
    else:
        decide_class(session, class_id=class_id, approve=decision == "approve", reason="材料不全", by=OFFICER)
    with pytest.raises(RosterFrozen):
        set_class_roster(
            session, class_id=class_id, lines=lines(second), cipher=cipher, today=TODAY, by=staff_of(school)
        )
    roster = class_roster(session, class_id=class_id, cipher=cipher, by=staff_of(school))
    assert roster.frozen
    assert [t.id_number_masked[-4:] for t in roster.trainees] == [first[-4:]]


def test_a_roster_file_gives_its_id_column_with_row_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    number = make_id_number("350203")
    csv_file = tmp_path / "roster.csv"
    csv_file.write_text(f"某某学校开班花名册\n姓名,身份证号码（必填）\n张三,{number}\n\n李四,\n", encoding="utf-8-sig")
    assert roster_file_lines(csv_file) == [RosterLine(3, number), RosterLine(5, "")]

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "ID Number"])
    sheet.append(["张三", number])
    xlsx_file = tmp_path / "roster.xlsx"
    workbook.save(xlsx_file)
    assert roster_file_lines(xlsx_file) == [RosterLine(2, number)]

    no_column = tmp_path / "names.csv"
    no_column.write_text("姓名\n张三\n", encoding="utf-8")
    with pytest.raises(RosterFileRefused):
        roster_file_lines(no_column)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(f"姓名,公民身份号码\n张三,{number}\n".encode("gb18030"))
    assert roster_file_lines(gbk) == [RosterLine(2, number)]
