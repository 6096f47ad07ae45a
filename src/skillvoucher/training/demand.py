"""The training-demand catalogue: a new version supersedes the active entry of the same start, never overwrites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from skillvoucher.catalog import OCCUPATION_EDITION, Occupation, Region
from skillvoucher.core import Invalid, utc_now
from skillvoucher.identity import Permission, Principal, Resource
from skillvoucher.training import rules
from skillvoucher.training.access import actor_of, authorize, record
from skillvoucher.training.demand_models import DEMAND_FLAGS, DemandEntry
from skillvoucher.training.errors import DemandPeriodOverlaps, UnknownOccupation


@dataclass(frozen=True)
class DemandTerms:
    region_code: str
    occupation_code: str
    level: int
    subsidy_fen: int
    standard_hours: int
    valid_from: date
    valid_to: date | None = None
    flag: str = "none"
    uplift_percent: int = 0


def demand_problem(terms: DemandTerms) -> str | None:
    if terms.subsidy_fen < 0:
        return "补贴标准不能为负数 / the subsidy standard must not be negative"
    if terms.standard_hours <= 0:
        return "标准课时须大于0 / standard hours must be positive"
    if not 1 <= terms.level <= 5:
        return "技能等级须为1-5 / level must be 1 to 5"
    if terms.flag not in DEMAND_FLAGS:
        return "紧缺标识须为 none、shortage 或 key / flag must be none, shortage or key"
    if not 0 <= terms.uplift_percent <= 100 or (terms.flag == "none" and terms.uplift_percent):
        return "上浮比例须为0-100，且仅紧缺或重点职业可上浮 / uplift 0-100, only for shortage or key occupations"
    return rules.period_problem(terms.valid_from, terms.valid_to)


def set_demand_entry(session: Session, *, terms: DemandTerms, by: Principal | None) -> DemandEntry:
    """Add an entry; an active entry with the same key and start is superseded (kept as history)."""
    authorize(by, Permission.CATALOGUE_MANAGE, Resource(region_code=terms.region_code))
    problem = demand_problem(terms)
    if problem:
        raise Invalid(problem)
    if session.get(Region, terms.region_code) is None:
        raise Invalid(f"行政区划{terms.region_code}不存在 / no region has the code {terms.region_code}")
    if session.get(Occupation, (OCCUPATION_EDITION, terms.occupation_code)) is None:
        raise UnknownOccupation(terms.occupation_code)
    active = session.scalars(
        select(DemandEntry)
        .where(
            DemandEntry.region_code == terms.region_code,
            DemandEntry.occupation_edition == OCCUPATION_EDITION,
            DemandEntry.occupation_code == terms.occupation_code,
            DemandEntry.level == terms.level,
            DemandEntry.superseded_at.is_(None),
        )
        .with_for_update()
    ).all()
    replaced = next((entry for entry in active if entry.valid_from == terms.valid_from), None)
    for entry in active:
        if entry is not replaced and rules.periods_overlap(
            entry.valid_from, entry.valid_to, terms.valid_from, terms.valid_to
        ):
            raise DemandPeriodOverlaps()
    now = utc_now()
    if replaced is not None:
        replaced.superseded_at = now
        session.flush()  # the old version leaves the active set before the new one enters it
    entry = DemandEntry(
        region_code=terms.region_code,
        occupation_edition=OCCUPATION_EDITION,
        occupation_code=terms.occupation_code,
        level=terms.level,
        subsidy_fen=terms.subsidy_fen,
        standard_hours=terms.standard_hours,
        flag=terms.flag,
        uplift_percent=terms.uplift_percent,
        valid_from=terms.valid_from,
        valid_to=terms.valid_to,
        version=replaced.version + 1 if replaced else 1,
        supersedes_id=replaced.id if replaced else None,
        created_by=actor_of(by).label,
        created_at=now,
    )
    try:
        with session.begin_nested():  # a concurrent writer's overlapping entry hits the exclusion constraint
            session.add(entry)
    except IntegrityError as error:
        if "ex_demand_entries_no_overlap" in str(error.orig):
            raise DemandPeriodOverlaps() from None
        raise
    data = {
        "region_code": terms.region_code,
        "occupation_code": terms.occupation_code,
        "level": terms.level,
        "subsidy_fen": terms.subsidy_fen,
        "version": entry.version,
    }
    record(session, by, "demand.entry_set", "demand_entry", entry.id, data)
    return entry


def active_demand_entry(
    session: Session, *, region_code: str, occupation_code: str, level: int, on: date
) -> DemandEntry | None:
    """The entry in force on a day for the region or, failing that, its city, then its province."""
    candidates = {region_code, region_code[:4] + "00", region_code[:2] + "0000"}
    entries = session.scalars(
        select(DemandEntry).where(
            DemandEntry.region_code.in_(candidates),
            DemandEntry.occupation_edition == OCCUPATION_EDITION,
            DemandEntry.occupation_code == occupation_code,
            DemandEntry.level == level,
            DemandEntry.superseded_at.is_(None),
            DemandEntry.valid_from <= on,
            (DemandEntry.valid_to.is_(None)) | (DemandEntry.valid_to >= on),
        )
    ).all()
    return min(entries, key=lambda e: -len(e.region_code.rstrip("0")), default=None)
