"""Loading reference data: idempotent upserts, so loading twice changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from skillvoucher.audit import record
from skillvoucher.catalog import reference
from skillvoucher.catalog.models import Occupation, Region, SkillLevel
from skillvoucher.core import Actor, Invalid


@dataclass(frozen=True)
class ReferenceCounts:
    regions: int
    occupations: int
    skill_levels: int
    added: int


def load_reference_data(session: Session, *, actor: Actor) -> ReferenceCounts:
    added = _upsert_regions(session) + _upsert_occupations(session) + _upsert_skill_levels(session)
    counts = ReferenceCounts(
        regions=session.scalar(select(func.count()).select_from(Region)) or 0,
        occupations=session.scalar(select(func.count()).select_from(Occupation).where(Occupation.tier == 4)) or 0,
        skill_levels=session.scalar(select(func.count()).select_from(SkillLevel)) or 0,
        added=added,
    )
    if added:
        record(
            session,
            actor=actor,
            action="reference.loaded",
            subject_type="reference",
            subject_id=reference.OCCUPATION_EDITION,
            data=asdict(counts),
        )
    return counts


def _upsert_regions(session: Session) -> int:
    existing = {region.code: region for region in session.scalars(select(Region))}
    added = 0
    for row in reference.regions():
        region = existing.get(row.code)
        if region is None:
            session.add(Region(**asdict(row), pilot=False))
            added += 1
        else:
            for field, value in asdict(row).items():
                if getattr(region, field) != value:
                    setattr(region, field, value)
    session.flush()
    return added


def _upsert_occupations(session: Session) -> int:
    edition = reference.OCCUPATION_EDITION
    existing = {o.code: o for o in session.scalars(select(Occupation).where(Occupation.edition == edition))}
    added = 0
    for row in reference.occupations():
        occupation = existing.get(row.code)
        if occupation is None:
            session.add(Occupation(edition=edition, **asdict(row)))
            added += 1
        else:
            for field, value in asdict(row).items():
                if getattr(occupation, field) != value:
                    setattr(occupation, field, value)
    session.flush()
    return added


def _upsert_skill_levels(session: Session) -> int:
    existing = {level.level for level in session.scalars(select(SkillLevel))}
    missing = [
        SkillLevel(level=lv, name_zh=zh, name_en=en) for lv, zh, en in reference.SKILL_LEVELS if lv not in existing
    ]
    session.add_all(missing)
    session.flush()
    return len(missing)


def mark_pilot_cities(session: Session, codes: Sequence[str], *, actor: Actor) -> int:
    """Make `codes` the 2020 pilot cities (the flag the statistics split on); every other region loses the flag.

    The official list (38 prefecture-level cities of 11 provinces) is not in the reference packages, so a bureau
    sets it; each code must be a prefecture-level city. Returns how many cities are flagged.
    """
    wanted = sorted({code.strip() for code in codes if code.strip()})
    cities = set(session.scalars(select(Region.code).where(Region.code.in_(wanted), Region.level == "city")))
    if unknown := [code for code in wanted if code not in cities]:
        raise Invalid(f"不是地级市的区划代码 / not prefecture-level city codes: {', '.join(unknown)}")
    session.execute(update(Region).where(Region.pilot.is_(True), Region.code.not_in(wanted)).values(pilot=False))
    session.execute(update(Region).where(Region.code.in_(wanted)).values(pilot=True))
    record(
        session,
        actor=actor,
        action="reference.pilot_marked",
        subject_type="reference",
        subject_id="pilot",
        data={"cities": wanted},
    )
    return len(wanted)
