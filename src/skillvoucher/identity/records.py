"""A person as the registry stores it, once validated and normalized. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PersonRecord:
    name: str
    id_number: str  # normalized 18-character resident ID (clear text: only ever in memory)
    phone: str | None  # normalized 11-digit mobile number
    region_code: str  # region of household registration (户籍地), a GB/T 2260 code
    gender: str  # "M" / "F", from the ID number
    birth_date: date  # from the ID number
    population_groups: int  # PopulationGroup bits
    employment_status: str  # EmploymentStatus value
