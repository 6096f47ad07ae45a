"""The two catalogues' foundations: regions (GB/T 2260), occupations (2022 classification), skill levels."""

from skillvoucher.catalog.models import Occupation, Region, SkillLevel
from skillvoucher.catalog.reference import OCCUPATION_EDITION, SKILL_LEVELS
from skillvoucher.catalog.service import ReferenceCounts, load_reference_data

__all__ = [
    "OCCUPATION_EDITION",
    "SKILL_LEVELS",
    "Occupation",
    "ReferenceCounts",
    "Region",
    "SkillLevel",
    "load_reference_data",
]
