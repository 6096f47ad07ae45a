"""Who holds a card in the emulator: every person in the registry, plus anyone typed in on the phone page (so a
first sign-in can register someone the registry does not know yet)."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from sqlalchemy.orm import Session

from skillvoucher.essc.emulator.errors import HolderInvalid
from skillvoucher.essc.emulator.signing import CardHolder
from skillvoucher.identity import Person, PersonListing, PiiCipher, ResidentIdError, list_persons, parse_resident_id

DEMO_PIN: Final = "123456"  # every emulated card's PIN; the phone page says so
_REGION = re.compile(r"\d{6}")


def sample_holders(session: Session, *, cipher: PiiCipher, limit: int = 8) -> list[PersonListing]:
    """A few registry persons to pick from on the phone page (masked ID numbers)."""
    return list_persons(session, cipher=cipher, limit=limit)


def registry_holder(session: Session, *, person_id: int, cipher: PiiCipher) -> CardHolder:
    person = session.get(Person, person_id)
    if person is None:
        raise HolderInvalid("登记库中没有此人 / no such person in the registry")
    id_number = cipher.decrypt("id_number", person.id_number_encrypted)
    return CardHolder(id_number=id_number, name=person.name, region_code=person.region_code)


def typed_holder(*, id_number: str, name: str, region_code: str, today: date) -> CardHolder:
    """A holder typed in by hand. The region defaults to the one in the ID number; it is checked for shape only, so
    a tester can see how the site refuses a card from a region it does not know."""
    try:
        number = parse_resident_id(id_number, today=today).number
    except ResidentIdError as error:
        raise HolderInvalid(
            f"身份证号无效 / the ID number is not valid: {error}", code="HolderIdNumberInvalid"
        ) from None
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise HolderInvalid("请填写姓名 / give the holder's name", code="HolderNameInvalid")
    region_code = region_code.strip() or number[:6]
    if not _REGION.fullmatch(region_code):
        raise HolderInvalid("发卡地区应为六位代码 / the issuing region is a six-digit code", code="HolderRegionInvalid")
    return CardHolder(id_number=number, name=name, region_code=region_code)
