"""The national demo's plan: how the 2021 figures split over years, provinces, months, batches and classes.

Pure and deterministic: the same scale and seed give the same plan, so a run resumed after a kill finds the same
steps and skips the ones done. Every split is a largest-remainder apportionment, so the parts add up exactly.

The shape: in 2020 the pilot cities of the pilot provinces issue vouchers (three batches each) and run targeted
classes from April; in 2021 every province issues four batches, a quarter apart and staggered by province, and runs
targeted classes all year. Every used voucher is a targeted one, enrolled with its class's roster.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

NATIONAL_ISSUED = 19_267_200  # vouchers issued by the end of 2021 (Xinhua, 6 February 2022)
NATIONAL_USED = 5_007_200
PILOT_YEAR, ROLLOUT_YEAR = 2020, 2021
PILOT_SHARE_ISSUED, PILOT_SHARE_USED = 0.08, 0.07  # of the two-year totals, in the 2020 pilot

# Targeted enrolments by month: fewer around the Spring Festival and the October holidays.
MONTH_WEIGHTS: dict[int, tuple[tuple[int, int], ...]] = {
    PILOT_YEAR: tuple(zip(range(4, 13), (5, 7, 9, 10, 10, 11, 9, 12, 13), strict=True)),
    ROLLOUT_YEAR: tuple(zip(range(1, 13), (6, 4, 10, 11, 11, 10, 10, 10, 11, 8, 12, 12), strict=True)),
}
# Batches: the share of the province's batch vouchers, the kind, and the face value in fen (None: the course decides).
WAVES: dict[int, tuple[tuple[float, str, int | None], ...]] = {
    PILOT_YEAR: ((0.40, "face_value", 100_000), (0.35, "general", None), (0.25, "face_value", 50_000)),
    ROLLOUT_YEAR: (
        (0.30, "face_value", 100_000),
        (0.25, "general", None),
        (0.25, "face_value", 50_000),
        (0.20, "no_face_value", 150_000),
    ),
}
YEARLY_LIMIT = 2  # batch vouchers a person may get in a year, across policies
# With the shares above and two a year, the batches reach at most half as many persons as they issue vouchers.
BATCH_REACH = 0.55  # persons a province needs per batch voucher, with a margin
ELIGIBLE = 0.93  # the share of generated persons a policy's groups admit (0.96: retirees are not), with a margin
# Trainees in a class: large (online) classes, because each class costs its own policy, rollup rows and ~50 ms of
# actions; a course takes up to LARGEST_CLASS.
CLASS_SIZE, SMALLEST_CLASS, LARGEST_CLASS = 400, 200, 600
CLASSES_PER_INSTITUTION = 12


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up to it (largest remainder)."""
    if total < 0 or not weights or sum(weights) <= 0:
        raise ValueError("a non-negative total and positive weights are needed")
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Wave:
    province: str
    year: int
    number: int  # 1, 2, … within the province's year
    month: int
    kind: str
    value_fen: int | None
    cap: int

    @property
    def day(self) -> date:
        return date(self.year, self.month, 3)


@dataclass(frozen=True)
class ProvincePlan:
    code: str
    issued: Mapping[int, int]  # by year
    used: Mapping[int, int]  # by year: all targeted, all enrolled
    batch_persons: int  # the first persons generated: the batches' pool
    roster_persons: int  # the rest: the targeted classes' rosters
    waves: tuple[Wave, ...]

    @property
    def persons(self) -> int:
        return self.batch_persons + self.roster_persons

    def targeted(self, year: int) -> int:
        return self.used.get(year, 0)


@dataclass(frozen=True)
class Plan:
    scale: float
    seed: int
    issued: int
    used: int
    provinces: tuple[ProvincePlan, ...]


def national_plan(
    *, scale: float, seed: int, population: Mapping[str, float], pilot_share: Mapping[str, float]
) -> Plan:
    """`population`: province → weight; `pilot_share`: pilot province → its pilot cities' share of its persons."""
    if not 0 < scale <= 1:
        raise ValueError("scale must be above 0 and at most 1")
    issued, used = round(NATIONAL_ISSUED * scale), round(NATIONAL_USED * scale)
    pilot_issued, pilot_used = round(issued * PILOT_SHARE_ISSUED), round(used * PILOT_SHARE_USED)
    codes = sorted(population)
    pilots = [code for code in codes if pilot_share.get(code, 0) > 0]
    pilot_weights = [population[code] * pilot_share[code] for code in pilots]
    by_year = {
        ROLLOUT_YEAR: (
            dict(zip(codes, apportion(issued - pilot_issued, [population[c] for c in codes]), strict=True)),
            dict(zip(codes, apportion(used - pilot_used, [population[c] for c in codes]), strict=True)),
        ),
        PILOT_YEAR: (
            dict(zip(pilots, apportion(pilot_issued, pilot_weights), strict=True)) if pilots else {},
            dict(zip(pilots, apportion(pilot_used, pilot_weights), strict=True)) if pilots else {},
        ),
    }
    provinces = []
    for index, code in enumerate(codes):
        years = [y for y in (PILOT_YEAR, ROLLOUT_YEAR) if code in by_year[y][0]]
        issued_by = {y: by_year[y][0][code] for y in years}
        used_by = {y: by_year[y][1][code] for y in years}
        waves = tuple(w for y in years for w in _waves(code, index, y, issued_by[y] - used_by[y]))
        batch, rosters = _persons(issued_by, used_by, pilot_share.get(code, 0.0))
        provinces.append(ProvincePlan(code, issued_by, used_by, batch, rosters, waves))
    return Plan(scale, seed, issued, used, tuple(provinces))


def _waves(code: str, index: int, year: int, batch: int) -> list[Wave]:
    if batch < 0:
        raise ValueError(f"{code} {year}: more used than issued")
    first = 4 + index % 2 if year == PILOT_YEAR else 1 + index % 3  # staggered, so no month takes every batch
    caps = apportion(batch, [share for share, _, _ in WAVES[year]])
    return [
        Wave(code, year, number, first + 3 * (number - 1), kind, value, cap)
        for number, ((_, kind, value), cap) in enumerate(zip(WAVES[year], caps, strict=True), start=1)
        if cap > 0
    ]


def _persons(issued: Mapping[int, int], used: Mapping[int, int], pilot_share: float) -> tuple[int, int]:
    """Persons for the batches (first) and for the rosters (after them), enough in the pilot cities too."""
    batch = math.ceil(BATCH_REACH * (issued[ROLLOUT_YEAR] - used[ROLLOUT_YEAR]) / ELIGIBLE) + 20
    rosters = math.ceil(used[ROLLOUT_YEAR] / ELIGIBLE) + 20
    if PILOT_YEAR in issued:  # the pilot cities hold about `pilot_share` of them: a wider margin for the draw
        pilot_batch = BATCH_REACH * (issued[PILOT_YEAR] - used[PILOT_YEAR])
        batch = max(batch, math.ceil((1.25 * pilot_batch / ELIGIBLE + 40) / pilot_share))
        rosters = max(rosters, math.ceil((1.25 * used[PILOT_YEAR] / ELIGIBLE + 40) / pilot_share))
    return batch, rosters


# --- targeted classes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedClass:
    key: str  # province-year-sequence: names the class's targeted policy, so a re-run finds it
    city: str
    month: int
    apply_day: int
    size: int  # trainees on the roster, every one enrolled
    capacity: int
    first: int  # the roster is the city's pool from here, `size` persons
    institution: int  # the city's n-th demo institution
    course: int  # which of the institution's two courses


def class_sizes(total: int, rng: random.Random) -> list[int]:
    """Classes of about CLASS_SIZE trainees that add up to `total`, a little uneven."""
    count = max(1, round(total / CLASS_SIZE))
    base, extra = divmod(total, count)
    sizes = [base + 1] * extra + [base] * (count - extra)
    for i in range(0, count - 1, 2):
        shift = rng.randint(0, min(100, sizes[i + 1] - 1))
        sizes[i], sizes[i + 1] = sizes[i] + shift, sizes[i + 1] - shift
    return sizes


def plan_classes(province: str, year: int, targeted: int, pools: Mapping[str, int], seed: int) -> list[PlannedClass]:
    """The province's targeted classes of a year: `pools` is each city's count of persons its rosters may list."""
    if targeted > sum(pools.values()):
        raise ValueError(f"{province} {year}: {targeted} targeted vouchers but {sum(pools.values())} roster persons")
    rng = random.Random(f"{seed}-{province}-{year}")
    months = [month for month, _ in MONTH_WEIGHTS[year]]
    by_month = apportion(targeted, [weight for _, weight in MONTH_WEIGHTS[year]])
    taken = dict.fromkeys(sorted(pools), 0)
    classes_in_city = dict.fromkeys(sorted(pools), 0)
    planned: list[PlannedClass] = []
    carry = 0
    for month, count in zip(months, by_month, strict=True):
        carry += count
        if carry == 0 or (carry < SMALLEST_CLASS and month != months[-1]):
            continue  # a small month's trainees join the next month's classes
        queue = class_sizes(carry, rng)
        carry = 0
        while queue:
            size = queue.pop(0)
            room = {city: pools[city] - taken[city] for city in taken if pools[city] > taken[city]}
            fitting = [city for city, left in room.items() if left >= size]
            if fitting:
                city = rng.choices(fitting, weights=[room[c] for c in fitting])[0]
            else:  # no city has that many left: the largest remainder takes a smaller class, the rest goes on
                city = max(room, key=lambda c: (room[c], c))
                queue.insert(0, size - room[city])
                size = room[city]
            index = classes_in_city[city]
            planned.append(
                PlannedClass(
                    key=f"{province[:2]}-{year}-{len(planned) + 1:05d}",
                    city=city,
                    month=month,
                    apply_day=rng.randint(5, 20),
                    size=size,
                    capacity=min(LARGEST_CLASS, -(-size // 10) * 10),
                    first=taken[city],
                    institution=index // CLASSES_PER_INSTITUTION,
                    course=index % 2,
                )
            )
            taken[city] += size
            classes_in_city[city] += 1
    return planned
