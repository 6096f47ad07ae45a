"""The national demo's tasks, each for one province: its persons, its batches of a year, its classes of a year.

A task runs in a worker process (or in the command's own, with one worker) and reports progress through a callback.
Tasks of different provinces never touch the same rows; a province's batches serve its first persons and its classes
list its last ones, so even those two run side by side. Every task checks what exists first, so it can run again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from itertools import islice

from sqlalchemy import func, select

from skillvoucher.core import Actor, replaying
from skillvoucher.db import UnitOfWork
from skillvoucher.demo.national_classes import CityInfo, classes_done, run_class
from skillvoucher.demo.national_plan import PILOT_YEAR, Plan, ProvincePlan, plan_classes
from skillvoucher.demo.national_steps import WORKING_GROUPS, at, ensure_demand, run_wave, wave_name
from skillvoucher.demo.persons import county_weights, generate_persons
from skillvoucher.demo.pilot import PilotCities
from skillvoucher.demo.service import store_demo_persons
from skillvoucher.identity import Person, PiiCipher
from skillvoucher.vouchers import Eligibility, PersonFacts, VoucherPolicy

BORN_BEFORE = date(2020, 1, 1)  # the persons' ages are as of this day
ACTOR = Actor.operator("demo national")

Progress = Callable[[str, int], None]  # (what, how many more): "persons", "batch", "targeted"


@dataclass(frozen=True)
class Regions:
    names: Mapping[str, str]
    counties: Mapping[str, Sequence[str]]  # by province, sorted
    cities: Mapping[str, CityInfo]  # by city (or county directly under a province) code
    pilot: PilotCities


class Work:
    def __init__(self, uow: UnitOfWork, cipher: PiiCipher, plan: Plan, regions: Regions, progress: Progress):
        self.uow, self.cipher, self.plan, self.regions, self.progress = uow, cipher, plan, regions, progress
        self.city_of = {county: city.code for city in regions.cities.values() for county in city.counties}
        self.courses: dict[tuple[str, int], list[int]] = {}  # the demo institutions' courses, by city and number
        self.provinces = {plan.code: plan for plan in plan.provinces}

    def run(self, task: str, province: str, year: int) -> float:
        """Run one task; returns how many seconds it took."""
        started = time.perf_counter()
        plan = self.provinces[province]
        {"persons": self.persons, "batches": self.batches, "classes": self.classes}[task](plan, year)
        return time.perf_counter() - started

    def _counted(self, what: str) -> Callable[[int], None]:
        """A callback given running totals that reports the increments."""
        last = 0

        def report(total: int) -> None:
            nonlocal last
            self.progress(what, total - last)
            last = total

        return report

    def persons(self, plan: ProvincePlan, _year: int) -> None:
        """The province's persons: first those its batches serve, then those its rosters list (higher ids)."""
        with self.uow.read() as session:
            counties = self.regions.counties[plan.code]
            have = session.scalar(select(func.count()).select_from(Person).where(Person.region_code.in_(counties)))
        if (have or 0) >= plan.persons:
            self.progress("persons", plan.persons)
            return
        seed = self.plan.seed * 100 + int(plan.code[:2])
        weights = county_weights({plan.code: list(self.regions.counties[plan.code])})
        records = generate_persons(plan.persons, regions=weights, today=BORN_BEFORE, seed=seed)
        with replaying(at(BORN_BEFORE + timedelta(days=1))):
            for part in (islice(records, plan.batch_persons), records):  # a part's chunks take ids in order
                store_demo_persons(
                    self.uow, self.cipher, part, actor=ACTOR, seed=seed, on_progress=self._counted("persons")
                )

    def batches(self, plan: ProvincePlan, year: int) -> None:
        with self.uow.read() as session:
            rows = session.execute(
                select(VoucherPolicy.name, VoucherPolicy.id).where(VoucherPolicy.region_code == plan.code)
            )
            policies = {str(name): int(policy_id) for name, policy_id in rows}
        pilot = self.regions.pilot.cities_of(plan.code) if year == PILOT_YEAR else ()
        for wave in sorted((w for w in plan.waves if w.year == year), key=lambda w: w.month):
            name = wave_name(wave, self.regions.names[plan.code])
            run_wave(self.uow, wave, name, policies.get(name), pilot, partial(self.progress, "batch"))

    def classes(self, plan: ProvincePlan, year: int) -> None:
        if not plan.targeted(year):
            return
        with replaying(at(BORN_BEFORE)), self.uow.begin() as session:
            ensure_demand(session, plan.code)  # the courses' occupations and levels, priced, from January 2020
        with self.uow.read() as session:
            done = classes_done(session, plan.code)
        pools = self._roster_pools(plan, year)
        sizes = {city: len(persons) for city, persons in pools.items()}
        for planned in plan_classes(plan.code, year, plan.targeted(year), sizes, self.plan.seed):
            roster = pools[planned.city][planned.first : planned.first + planned.size]

            def numbers(roster: list[tuple[int, bytes]] = roster) -> list[str]:
                return [self.cipher.decrypt("id_number", encrypted) for _, encrypted in roster]

            city = self.regions.cities[planned.city]
            run_class(
                self.uow, self.cipher, planned, year, city, numbers, self.plan.seed, self.courses, done.get(planned.key)
            )
            self.progress("targeted", planned.size)

    def _roster_pools(self, plan: ProvincePlan, year: int) -> dict[str, list[tuple[int, bytes]]]:
        """The province's roster persons (its highest ids) whom a targeted policy admits, by city, lowest id first."""
        with self.uow.read() as session:
            rows = session.execute(
                select(
                    Person.id,
                    Person.region_code,
                    Person.gender,
                    Person.birth_date,
                    Person.population_groups,
                    Person.employment_status,
                    Person.id_number_encrypted,
                )
                .where(Person.region_code.in_(self.regions.counties[plan.code]))
                .order_by(Person.id.desc())
                .limit(plan.roster_persons)
            ).all()
        cities = set(self.regions.pilot.cities_of(plan.code)) if year == PILOT_YEAR else None
        rule, on = Eligibility(groups=WORKING_GROUPS), date(year, 1, 1)
        pools: dict[str, list[tuple[int, bytes]]] = defaultdict(list)
        for person_id, region, gender, birth, groups, status, encrypted in reversed(rows):
            city = self.city_of[region]
            if (cities is None or city in cities) and rule.admits(
                PersonFacts(region, gender, birth, groups, status), on
            ):
                pools[city].append((person_id, encrypted))
        return dict(pools)
