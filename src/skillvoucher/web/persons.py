"""Finding persons for officers and auditors, shared by the pages and the API: a name (its start) or a full ID
number (found by keyed hash), only inside the reader's region, always masked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy.orm import Session

from skillvoucher.core import NotFound
from skillvoucher.identity import (
    HistoryEntry,
    Permission,
    PersonSummary,
    PiiCipher,
    Principal,
    Resource,
    normalize_id_number,
    person_history,
    person_summary,
    search_persons,
)
from skillvoucher.web.auth import authorize
from skillvoucher.web.ui.common import scope_prefix

MAX_QUERY: Final = 50
RESULTS: Final = 50
_FULL_ID = re.compile(r"\d{17}[\dX]")
_DIGITS = re.compile(r"[\dXx*]+")

QueryKind = Literal["empty", "name", "id_number", "partial_number"]


@dataclass(frozen=True)
class PersonSearch:
    kind: QueryKind
    results: list[PersonSummary]
    more: bool  # there were more than RESULTS: narrow the search


def find_persons(session: Session, *, cipher: PiiCipher, principal: Principal, query: str) -> PersonSearch:
    text = query.strip()
    prefix = scope_prefix(principal)
    if not text:
        return PersonSearch("empty", [], more=False)
    number = normalize_id_number(text)
    if _FULL_ID.fullmatch(number):
        found = search_persons(
            session, cipher=cipher, region_prefix=prefix, id_number_hash=cipher.lookup_hash("id_number", number)
        )
        return PersonSearch("id_number", found, more=False)
    if _DIGITS.fullmatch(number):
        # Numbers are stored encrypted: only a whole one can be looked up (by its keyed hash).
        return PersonSearch("partial_number", [], more=False)
    found = search_persons(session, cipher=cipher, region_prefix=prefix, name=text, limit=RESULTS + 1)
    return PersonSearch("name", found[:RESULTS], more=len(found) > RESULTS)


def readable_person(
    session: Session, *, cipher: PiiCipher, principal: Principal, person_id: int
) -> tuple[PersonSummary, list[HistoryEntry]]:
    person = person_summary(session, person_id=person_id, cipher=cipher)
    if person is None:
        raise NotFound("该人员不存在 / no such person", code="PersonNotFound")
    authorize(principal, Permission.PERSON_READ, Resource(region_code=person.region_code, person_id=person.id))
    return person, person_history(session, person_id=person_id)
