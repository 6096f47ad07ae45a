from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillvoucher.catalog import Occupation, Region, SkillLevel, load_reference_data
from skillvoucher.core import Actor


def test_loading_again_adds_nothing(session: Session) -> None:
    counts = load_reference_data(session, actor=Actor.system("test"))
    assert counts.added == 0
    assert counts.regions == 3212
    assert counts.occupations > 1600
    assert counts.skill_levels == 5


def test_loading_repairs_an_edited_row(session: Session) -> None:
    region = session.get(Region, "350200")
    assert region is not None
    region.name = "wrong"
    session.flush()
    load_reference_data(session, actor=Actor.system("test"))
    session.refresh(region)
    assert region.name == "厦门市"


def test_reference_rows_are_linked(session: Session) -> None:
    county = session.get(Region, "350203")
    assert county is not None
    assert (county.name, county.level, county.parent_code, county.province_code) == (
        "思明区",
        "county",
        "350200",
        "350000",
    )
    occupation = session.get(Occupation, ("2022", "4-10-01-05"))
    assert occupation is not None
    assert occupation.name == "养老护理员"
    assert session.scalar(select(func.count()).select_from(SkillLevel)) == 5
