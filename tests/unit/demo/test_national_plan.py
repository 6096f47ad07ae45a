"""The national demo's plan: exact totals at every scale, batches and classes that add up, rosters that never
overlap, and the pilot cities."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillvoucher.demo.national_plan import (
    LARGEST_CLASS,
    MONTH_WEIGHTS,
    NATIONAL_ISSUED,
    NATIONAL_USED,
    PILOT_YEAR,
    ROLLOUT_YEAR,
    apportion,
    class_sizes,
    national_plan,
    plan_classes,
)
from skillvoucher.demo.pilot import pilot_cities
from skillvoucher.demo.population import PROVINCE_POPULATION_WAN

PILOTS = {"440000": 0.3, "370000": 0.25, "350000": 0.4}


@given(st.integers(0, 10**8), st.lists(st.floats(0.01, 1000), min_size=1, max_size=40))
def test_apportion_adds_up_and_stays_within_one_of_the_share(total: int, weights: list[float]) -> None:
    parts = apportion(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / sum(weights)) < 1 + 1e-6


@pytest.mark.parametrize("scale", [1.0, 0.1, 0.01, 0.001, 0.0001])
def test_the_plan_lands_on_the_scaled_totals(scale: float) -> None:
    plan = national_plan(scale=scale, seed=2021, population=PROVINCE_POPULATION_WAN, pilot_share=PILOTS)
    assert (plan.issued, plan.used) == (round(NATIONAL_ISSUED * scale), round(NATIONAL_USED * scale))
    assert sum(sum(p.issued.values()) for p in plan.provinces) == plan.issued
    assert sum(sum(p.used.values()) for p in plan.provinces) == plan.used
    for province in plan.provinces:
        assert (PILOT_YEAR in province.issued) == (province.code in PILOTS)
        for year, issued in province.issued.items():
            batches = sum(w.cap for w in province.waves if w.year == year)
            assert batches == issued - province.used[year] >= 0  # every other voucher issued is a targeted one
        pilot_months = {w.month for w in province.waves if w.year == PILOT_YEAR}
        assert pilot_months <= {month for month, _ in MONTH_WEIGHTS[PILOT_YEAR]}  # from April 2020
        assert province.batch_persons > 0
        assert province.roster_persons >= province.targeted(ROLLOUT_YEAR)


def test_at_full_scale_the_2021_figures_and_the_pilot_first() -> None:
    plan = national_plan(scale=1.0, seed=2021, population=PROVINCE_POPULATION_WAN, pilot_share=PILOTS)
    assert (plan.issued, plan.used) == (19_267_200, 5_007_200)
    pilot_issued = sum(p.issued.get(PILOT_YEAR, 0) for p in plan.provinces)
    assert 0 < pilot_issued < plan.issued // 5
    guangdong, tibet = (next(p for p in plan.provinces if p.code == c) for c in ("440000", "540000"))
    assert guangdong.issued[ROLLOUT_YEAR] > 30 * tibet.issued[ROLLOUT_YEAR]  # population-weighted
    months = {w.month for p in plan.provinces for w in p.waves if w.year == ROLLOUT_YEAR}
    assert months == set(range(1, 13))  # staggered: batches in every month of 2021


def test_class_sizes_add_up() -> None:
    rng = random.Random(1)
    for total in (1, 99, 100, 250, 999, 12_345):
        sizes = class_sizes(total, rng)
        assert sum(sizes) == total
        assert all(0 < size <= LARGEST_CLASS for size in sizes)


def test_classes_fill_the_targeted_count_from_disjoint_roster_slices() -> None:
    pools = {"440100": 5_000, "440300": 3_000, "445300": 90}
    classes = plan_classes("440000", ROLLOUT_YEAR, 7_777, pools, seed=7)
    assert sum(c.size for c in classes) == 7_777
    assert len({c.key for c in classes}) == len(classes)
    for city, size in pools.items():
        slices = sorted((c.first, c.first + c.size) for c in classes if c.city == city)
        assert all(end <= start for (_, end), (start, _) in itertools.pairwise(slices))
        assert not slices or slices[-1][1] <= size
    assert all(c.size <= c.capacity <= LARGEST_CLASS for c in classes)
    assert {c.month for c in classes} <= set(range(1, 13))
    assert classes == plan_classes("440000", ROLLOUT_YEAR, 7_777, pools, seed=7)  # the same every run


def test_a_pool_too_small_for_the_classes_is_refused() -> None:
    with pytest.raises(ValueError, match="roster persons"):
        plan_classes("540000", PILOT_YEAR, 101, {"540100": 100}, seed=1)


def test_pilot_cities_flagged_or_chosen() -> None:
    counties = {
        f"{p}{c:02d}00": [f"{p}{c:02d}{n:02d}" for n in range(1, c + 2)] for p in ("44", "37") for c in range(1, 9)
    }
    flagged = pilot_cities(["440300", "440500", "370200"], counties, PROVINCE_POPULATION_WAN)
    assert flagged.flagged
    assert flagged.by_province == {"370000": ("370200",), "440000": ("440300", "440500")}
    assert flagged.share("440000", [c for city, cs in counties.items() if city[:2] == "44" for c in cs]) == 10 / 44
    chosen = pilot_cities([], counties, {"440000": 2, "370000": 1})
    assert not chosen.flagged
    assert chosen.by_province == {  # the most populous first; in each, the cities with the most counties
        "440000": ("440500", "440600", "440700", "440800"),
        "370000": ("370500", "370600", "370700", "370800"),
    }
