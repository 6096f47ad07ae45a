"""Reading the reference catalogues, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from skillvoucher import catalog


def test_region_tree(session: Session) -> None:
    provinces = catalog.region_children(session)
    assert len(provinces) == 34
    assert all(p.level == "province" for p in provinces)
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)
    xiamen = catalog.get_region(session, "350200")
    assert (xiamen.name, xiamen.child_count) == ("厦门市", 6)
    assert [r.name for r in catalog.region_path(session, "350203")] == ["福建省", "厦门市", "思明区"]
    assert catalog.region_children(session, "350203") == []


def test_unknown_regions_are_named_errors(session: Session) -> None:
    with pytest.raises(catalog.RegionNotFound) as raised:
        catalog.region_children(session, "999999")
    assert raised.value.kind == "not_found"
    assert raised.value.code == "RegionNotFound"


def test_occupation_search(session: Session) -> None:
    found = catalog.search_occupations(session, " 养老护理员 ")
    assert found.query == "养老护理员"
    assert [o.code for o in found.items] == ["4-10-01-05"]
    everything = catalog.search_occupations(session, per_page=100)
    assert everything.total > 1000
    assert everything.pages == -(-everything.total // 100)
    last = catalog.search_occupations(session, page=everything.pages, per_page=100)
    assert 0 < len(last.items) <= 100
    assert catalog.search_occupations(session, page=everything.pages + 1, per_page=100).items == []


def test_paging_limits(session: Session) -> None:
    for page, per_page in ((0, 20), (1, 0), (1, 101)):
        with pytest.raises(catalog.PageOutOfRange):
            catalog.search_occupations(session, page=page, per_page=per_page)


def test_skill_levels(session: Session) -> None:
    assert [level.name_zh for level in catalog.skill_levels(session)] == [
        "初级工",
        "中级工",
        "高级工",
        "技师",
        "高级技师",
    ]
