"""The 2020 pilot (38 cities of 11 provinces): the cities flagged in the regions table, or the demo's own choice.

The reference data may not flag the pilot cities; the national demo then takes the 11 most populous provinces and,
in each, the cities with the most county-level divisions (38 in all), and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PILOT_PROVINCES, PILOT_CITIES = 11, 38


@dataclass(frozen=True)
class PilotCities:
    by_province: Mapping[str, tuple[str, ...]]
    counties: Mapping[str, tuple[str, ...]]  # of each pilot city
    flagged: bool  # read from the regions table, not chosen by the demo

    @property
    def provinces(self) -> list[str]:
        return sorted(self.by_province)

    def cities_of(self, province: str) -> tuple[str, ...]:
        return self.by_province.get(province, ())

    def share(self, province: str, province_counties: Sequence[str]) -> float:
        """The pilot cities' share of the province's county-level divisions (persons are spread evenly over them)."""
        pilot = sum(len(self.counties[city]) for city in self.cities_of(province))
        return pilot / len(province_counties) if province_counties else 0.0


def pilot_cities(
    flagged: Sequence[str], counties_by_city: Mapping[str, Sequence[str]], population: Mapping[str, float]
) -> PilotCities:
    """`flagged`: city codes with the pilot flag; `counties_by_city`: each city's county-level divisions."""
    chosen: dict[str, list[str]] = {}
    if flagged:
        for city in sorted(flagged):
            if counties_by_city.get(city):
                chosen.setdefault(city[:2] + "0000", []).append(city)
    else:
        provinces = sorted(population, key=lambda p: (-population[p], p))[:PILOT_PROVINCES]
        for rank, province in enumerate(provinces):
            cities = [c for c in counties_by_city if c[:2] == province[:2]]
            cities.sort(key=lambda c: (-len(counties_by_city[c]), c))
            take = PILOT_CITIES // PILOT_PROVINCES + (rank < PILOT_CITIES % PILOT_PROVINCES)
            chosen[province] = sorted(cities[:take])
    return PilotCities(
        {p: tuple(cities) for p, cities in chosen.items()},
        {c: tuple(counties_by_city[c]) for cities in chosen.values() for c in cities},
        bool(flagged),
    )
