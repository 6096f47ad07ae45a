"""The two catalogues' foundations: regions (GB/T 2260), occupations (2022 classification), skill levels."""

from skillvoucher.catalog.errors import PageOutOfRange, RegionNotFound
from skillvoucher.catalog.models import Occupation, Region, SkillLevel
from skillvoucher.catalog.queries import (
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    OccupationPage,
    OccupationView,
    RegionView,
    SkillLevelView,
    get_region,
    region_children,
    region_path,
    search_occupations,
    skill_levels,
)
from skillvoucher.catalog.reference import OCCUPATION_EDITION, SKILL_LEVELS
from skillvoucher.catalog.service import ReferenceCounts, load_reference_data, mark_pilot_cities

__all__ = [
    "MAX_PER_PAGE",
    "MAX_QUERY_LENGTH",
    "OCCUPATION_EDITION",
    "SKILL_LEVELS",
    "Occupation",
    "OccupationPage",
    "OccupationView",
    "PageOutOfRange",
    "ReferenceCounts",
    "Region",
    "RegionNotFound",
    "RegionView",
    "SkillLevel",
    "SkillLevelView",
    "get_region",
    "load_reference_data",
    "mark_pilot_cities",
    "region_children",
    "region_path",
    "search_occupations",
    "skill_levels",
]
