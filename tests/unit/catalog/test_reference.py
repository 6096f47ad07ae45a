from __future__ import annotations

from collections import Counter

from skillvoucher.catalog import reference


def test_regions_follow_gb_t_2260_counts_and_parents_come_first() -> None:
    rows = list(reference.regions())
    levels = Counter(row.level for row in rows)
    assert levels == {"province": 34, "city": 333, "county": 2845}
    seen: set[str] = set()
    for row in rows:
        assert len(row.code) == 6
        assert row.code.isdigit()
        assert row.parent_code is None or row.parent_code in seen
        seen.add(row.code)
    by_code = {row.code: row for row in rows}
    assert by_code["710000"].name == "台湾省"
    assert by_code["110105"].parent_code == "110000"  # a district of a municipality sits under it directly
    assert by_code["350203"].parent_code == "350200"  # 思明区 under 厦门市
    assert by_code["350200"].province_code == "350000"


def test_occupations_2022_are_unique_with_known_parents() -> None:
    rows = list(reference.occupations())
    codes = [row.code for row in rows]
    assert len(codes) == len(set(codes))
    by_code = {row.code: row for row in rows}
    assert by_code["4-10-01-05"].name == "养老护理员"
    assert by_code["4-10-01-05"].tier == 4
    assert by_code["2-02-12-01"].name == "发电工程技术人员"  # the green-occupation mark L is a flag, not text
    assert by_code["2-02-12-01"].green
    assert by_code["2-02-38-01"].digital
    assert all(row.parent_code in by_code for row in rows if row.parent_code)
    assert sum(row.tier == 4 for row in rows) > 1600


def test_skill_levels_run_from_entry_to_senior_technician() -> None:
    assert [level for level, _, _ in reference.SKILL_LEVELS] == [5, 4, 3, 2, 1]
    assert {lv: zh for lv, zh, _ in reference.SKILL_LEVELS}[1] == "高级技师"
