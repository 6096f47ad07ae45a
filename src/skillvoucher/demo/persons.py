"""Synthetic workers: realistic names, valid resident ID numbers of existing regions, ages that fit each group.

Pure and fast (about a million persons in a few seconds): draws are made in bulk with `random.choices`, and the
same seed always yields the same people, so generating twice adds no one the second time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from skillvoucher.demo.population import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    PHONE_PREFIXES,
    PROVINCE_POPULATION_WAN,
    SURNAMES,
)
from skillvoucher.identity import EmploymentStatus, PersonRecord, PopulationGroup, check_character

G = PopulationGroup
S = EmploymentStatus
NO_GROUP = PopulationGroup(0)


@dataclass(frozen=True)
class Profile:
    """A kind of person the vouchers are for, how common it is, its ages and its employment."""

    weight: int
    groups: PopulationGroup
    min_age: int
    max_age: int  # for women the working-age limit is lower, see _age_range
    statuses: tuple[EmploymentStatus, ...]
    extra_group: PopulationGroup = NO_GROUP  # sometimes also in this group


PROFILES: tuple[Profile, ...] = (
    Profile(30, G.RURAL_MIGRANT, 18, 59, (S.EMPLOYED, S.EMPLOYED, S.UNEMPLOYED)),
    Profile(28, G.ENTERPRISE_EMPLOYEE, 18, 59, (S.EMPLOYED,)),
    Profile(14, G.UNEMPLOYED, 18, 59, (S.UNEMPLOYED,), extra_group=G.RURAL_MIGRANT),
    Profile(8, G.GRADUATING_STUDENT, 21, 24, (S.STUDENT,)),
    Profile(7, G.LIFTED_FROM_POVERTY, 18, 59, (S.EMPLOYED, S.UNEMPLOYED), extra_group=G.RURAL_MIGRANT),
    Profile(6, G.FLEXIBLE_WORKER, 20, 59, (S.SELF_EMPLOYED,)),
    Profile(2, G.VETERAN, 20, 50, (S.EMPLOYED, S.UNEMPLOYED)),
    Profile(1, G.DISABLED, 18, 59, (S.EMPLOYED, S.UNEMPLOYED)),
    Profile(4, NO_GROUP, 60, 75, (S.RETIRED,)),  # retirees: not eligible for most vouchers, present in real registries
)
FEMALE_WORKING_AGE_LIMIT = 54


@dataclass(frozen=True)
class RegionWeights:
    codes: Sequence[str]
    cumulative: Sequence[float]


def county_weights(counties_by_province: dict[str, list[str]]) -> RegionWeights:
    """Spread each province's census population evenly over its county-level regions."""
    codes: list[str] = []
    weights: list[float] = []
    for province, counties in sorted(counties_by_province.items()):
        population = PROVINCE_POPULATION_WAN.get(province)
        if not population or not counties:
            continue
        codes.extend(counties)
        weights.extend([population / len(counties)] * len(counties))
    if not codes:
        raise ValueError("no county-level regions to place persons in; load reference data first")
    return RegionWeights(codes, list(accumulate(weights)))


def generate_persons(count: int, *, regions: RegionWeights, today: date, seed: int = 2021) -> Iterator[PersonRecord]:
    """Yield `count` distinct persons; the same arguments always give the same persons."""
    rng = random.Random(seed)
    seen: set[str] = set()
    batch = 10_000
    produced = 0
    while produced < count:
        for person in _batch(rng, min(batch, count - produced), regions, today):
            if person.id_number in seen:
                continue  # two draws gave the same region, birthday and sequence number
            seen.add(person.id_number)
            produced += 1
            yield person
            if produced == count:
                return


def _batch(rng: random.Random, size: int, regions: RegionWeights, today: date) -> Iterator[PersonRecord]:
    surnames = rng.choices([s for s, _ in SURNAMES], cum_weights=list(accumulate(w for _, w in SURNAMES)), k=size)
    profiles = rng.choices(PROFILES, cum_weights=list(accumulate(p.weight for p in PROFILES)), k=size)
    counties = rng.choices(regions.codes, cum_weights=regions.cumulative, k=size)
    prefixes = rng.choices(PHONE_PREFIXES, k=size)
    births = {
        (profile, male): _birth_span(today, *_age_range(profile, male))
        for profile in PROFILES
        for male in (True, False)
    }
    draw = rng.random
    for surname, profile, county, prefix in zip(surnames, profiles, counties, prefixes, strict=True):
        male = draw() < 0.52
        oldest, span = births[profile, male]
        birth = oldest + timedelta(days=int(draw() * span))
        sequence = int(draw() * 500) * 2 + male  # the 17th digit is odd for men, even for women
        body = f"{county}{birth:%Y%m%d}{sequence:03d}"
        groups = profile.groups
        if profile.extra_group and draw() < 0.3:
            groups |= profile.extra_group
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        given = pool[int(draw() * len(pool))]
        if draw() < 0.7:
            given += pool[int(draw() * len(pool))]
        yield PersonRecord(
            name=surname + given,
            id_number=body + check_character(body),
            phone=f"{prefix}{int(draw() * 100_000_000):08d}" if draw() < 0.95 else None,
            region_code=county,
            gender="M" if male else "F",
            birth_date=birth,
            population_groups=int(groups),
            employment_status=profile.statuses[int(draw() * len(profile.statuses))].value,
        )


def _age_range(profile: Profile, male: bool) -> tuple[int, int]:
    if not male and profile.max_age == 59:
        return profile.min_age, FEMALE_WORKING_AGE_LIMIT
    return profile.min_age, profile.max_age


def _birth_span(today: date, min_age: int, max_age: int) -> tuple[date, int]:
    """The earliest birth date, and the number of days after it, that make a person min_age..max_age today."""
    youngest = _years_before(today, min_age)
    oldest = _years_before(today, max_age + 1) + timedelta(days=1)
    return oldest, (youngest - oldest).days + 1


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
