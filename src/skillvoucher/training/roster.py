"""Class rosters (花名册): the people an institution reports with its class application.

Targeted vouchers go to the people on an approved class's roster, so a roster is a checked list of `persons.id`:
every line is a valid resident ID number of a person in the registry, once, and no more people than the class
takes. It is stored whole or not at all, and only while the class is `applied`; a decision or a cancellation
freezes it. Screens get masked names and ID numbers only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from skillvoucher.core import Forbidden, utc_now
from skillvoucher.identity import (
    Permission,
    Person,
    PiiCipher,
    Principal,
    ResidentIdError,
    Resource,
    find_person_ids_by_id_numbers,
    mask_id_number,
    normalize_id_number,
    parse_resident_id,
)
from skillvoucher.training.access import authorize, may, record
from skillvoucher.training.course_models import ClassTrainee, Course, TrainingClass
from skillvoucher.training.errors import ClassNotFound, RosterFileRefused, RosterFrozen, RosterRefused
from skillvoucher.training.rules import mask_name
from skillvoucher.training.sheets import read_sheet

MAX_LINES = 2000  # more lines than any class takes: refused before a single lookup
HEADER_ALIASES = ("身份证号码", "公民身份号码", "身份证号", "身份证", "证件号码", "id_number", "id number", "id no")
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class RosterLine:
    number: int  # the line of the text, or the spreadsheet row, that the person entering it sees
    id_number: str  # as entered


@dataclass(frozen=True)
class Trainee:
    person_id: int
    name_masked: str
    id_number_masked: str


@dataclass(frozen=True)
class ClassRoster:
    class_id: int
    state: str
    capacity: int
    trainees: tuple[Trainee, ...]

    @property
    def frozen(self) -> bool:
        return self.state != "applied"


def roster_lines(text: str) -> list[RosterLine]:
    """One ID number a line (a textarea); blank lines are skipped but counted, so numbers match what was typed."""
    return [RosterLine(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def roster_file_lines(path: Path, *, most: int = MAX_LINES) -> list[RosterLine]:
    """The ID number column (身份证号码 / id_number …) of a CSV or XLSX file, with spreadsheet row numbers.

    Reading stops one line past `most`, so the caller can refuse a longer file without holding all of it.
    """
    rows = read_sheet(path, RosterFileRefused)
    column: int | None = None
    lines: list[RosterLine] = []
    for number, row in enumerate(rows, start=1):
        if column is None:
            column = next((i for i, cell in enumerate(row) if _header_key(cell) in _ALIASES), None)
            if column is None and number >= HEADER_SEARCH_ROWS:
                break
            continue
        cell = row[column].strip() if column < len(row) else ""
        if cell or "".join(row).strip():
            lines.append(RosterLine(number, cell))
        if len(lines) > most:
            break
    if column is None:
        raise RosterFileRefused("找不到“身份证号码”列 / no column headed 身份证号码 or id_number")
    return lines


def _header_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).lower().strip()
    key = re.sub(r"\(.*?\)$", "", key)
    return re.sub(r"[\s_\-*:：]", "", key)


_ALIASES = frozenset(_header_key(alias) for alias in HEADER_ALIASES)


def set_class_roster(
    session: Session,
    *,
    class_id: int,
    lines: Sequence[RosterLine],
    cipher: PiiCipher,
    today: date,
    by: Principal | None,
) -> int:
    """Replace the roster of an applied class; returns how many people it lists. Any wrong line refuses it all."""
    training_class = session.get(TrainingClass, class_id, with_for_update=True)
    if training_class is None:
        raise ClassNotFound()
    course = session.get_one(Course, training_class.course_id)
    authorize(
        by, Permission.CLASS_APPLY, Resource(region_code=course.region_code, institution_id=course.institution_id)
    )
    if training_class.state != "applied":
        raise RosterFrozen(training_class.state)
    person_ids = _checked_person_ids(session, lines, cipher=cipher, today=today, capacity=training_class.capacity)
    session.execute(delete(ClassTrainee).where(ClassTrainee.class_id == class_id))
    now = utc_now()
    rows = [{"class_id": class_id, "person_id": pid, "listed_at": now} for pid in person_ids]
    session.execute(insert(ClassTrainee), rows)  # Core executemany: a fraction of the ORM's unit of work
    record(session, by, "class.roster_set", "class", class_id, {"count": len(person_ids)})
    return len(person_ids)


def _checked_person_ids(
    session: Session, lines: Sequence[RosterLine], *, cipher: PiiCipher, today: date, capacity: int
) -> list[int]:
    if not lines:
        raise RosterRefused([(1, "请至少填写一个身份证号码 / enter at least one ID number")])
    if len(lines) > MAX_LINES:
        raise RosterRefused([(lines[MAX_LINES].number, f"超过{MAX_LINES}行 / more than {MAX_LINES} lines")])
    problems: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    for index, line in enumerate(lines):
        if index == capacity:
            problems.append((line.number, f"超出班级人数{capacity}人 / beyond the class capacity of {capacity}"))
        number = normalize_id_number(line.id_number)
        if not number:
            problems.append((line.number, "缺少身份证号码 / no ID number"))
            continue
        try:
            parse_resident_id(number, today=today)
        except ResidentIdError as error:
            problems.append((line.number, f"身份证号码无效 / not a valid ID number: {error}"))
            continue
        if number in first_line:
            problems.append((line.number, f"与第{first_line[number]}行重复 / repeats line {first_line[number]}"))
            continue
        first_line[number] = line.number
    registered = find_person_ids_by_id_numbers(session, cipher, list(first_line))  # one look-up for the roster
    for number, line_number in first_line.items():
        if number not in registered:
            problems.append((line_number, "人员库中无此人 / no such person in the registry"))
    if problems:
        raise RosterRefused(sorted(problems, key=lambda problem: problem[0]))  # stable: a line's problems in order
    return [registered[number] for number in first_line]


def class_roster(session: Session, *, class_id: int, cipher: PiiCipher, by: Principal | None) -> ClassRoster:
    """A class's roster, masked, for the institution's staff or a bureau reader of the course's region."""
    training_class = session.get(TrainingClass, class_id)
    if training_class is None:
        raise ClassNotFound()
    course = session.get_one(Course, training_class.course_id)
    own = Resource(region_code=course.region_code, institution_id=course.institution_id)
    if not (may(by, Permission.CLASS_APPLY, own) or may(by, Permission.INSTITUTION_READ, own)):
        raise Forbidden("无权查看该班级 / you are not allowed to see this class")
    trainees = rosters_of(session, class_ids=[class_id], cipher=cipher).get(class_id, [])
    return ClassRoster(class_id, training_class.state, training_class.capacity, tuple(trainees))


def rosters_of(session: Session, *, class_ids: Iterable[int], cipher: PiiCipher) -> dict[int, list[Trainee]]:
    """The masked rosters of classes the caller already may list (a page of applications); no authorization."""
    wanted = list(class_ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(ClassTrainee.class_id, Person.id, Person.name, Person.id_number_encrypted)
        .join(Person, Person.id == ClassTrainee.person_id)
        .where(ClassTrainee.class_id.in_(wanted))
        .order_by(ClassTrainee.class_id, Person.name, Person.id)
    )
    rosters: dict[int, list[Trainee]] = {}
    for class_id, person_id, name, encrypted in rows:
        masked = mask_id_number(cipher.decrypt("id_number", encrypted))
        rosters.setdefault(class_id, []).append(Trainee(person_id, mask_name(name), masked))
    return rosters
