"""`skillvoucher demo national`: a nationwide data set whose totals are the 2021 figures, made through the product.

Persons come from the demo generator through the registry's bulk path, province by province: first the persons
the province's batches serve, then the persons its class rosters list (so the batches, which serve the lowest ids
first, never reach a roster's worker). Then each year is replayed: in 2020 the pilot cities, in 2021 every province
— its batches (policies with quantity caps, issued by the batch job) and its targeted classes (see national_classes),
each month's in turn. Unused 2020 vouchers expire at the turn of the year. At the end the rollups are compacted (as
the nightly `stats compact` would have) and `stats verify` recomputes every one. The work is split into tasks per
province (national_work) that worker processes share.

Resumable: each task checks what exists (persons per province, policies by name, a class by its policy's key),
and a batch job resumes from its cursor, so a run killed at any point is simply run again.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from queue import Empty
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from skillvoucher.catalog import Region, mark_pilot_cities
from skillvoucher.core import Actor, Conflict, Invalid, replaying
from skillvoucher.db import UnitOfWork
from skillvoucher.demo.national_classes import CityInfo
from skillvoucher.demo.national_plan import PILOT_YEAR, ROLLOUT_YEAR, Plan, national_plan
from skillvoucher.demo.national_steps import DEMO_FUNDING, at
from skillvoucher.demo.national_work import Progress, Regions, Work
from skillvoucher.demo.pilot import pilot_cities
from skillvoucher.demo.population import PROVINCE_POPULATION_WAN
from skillvoucher.identity import PiiCipher
from skillvoucher.reporting import Totals, headline, verify
from skillvoucher.stats import NATIONAL, compact
from skillvoucher.vouchers import VoucherPolicy, expire_lapsed

# Opens the database and the personal-data cipher in a worker process: a module-level function (it is pickled).
WorkerRuntime = Callable[[], tuple[UnitOfWork, PiiCipher]]


@dataclass
class NationalResult:
    plan: Plan
    totals: Totals
    cells_checked: int
    differences: int
    pilot_cities_flagged: bool
    seconds: dict[str, float] = field(default_factory=dict)  # each phase, wall-clock
    task_seconds: dict[str, float] = field(default_factory=dict)  # each kind of task, summed over the workers


def national_plan_for(uow: UnitOfWork, *, scale: float, seed: int = 2021) -> Plan:
    """What `build_national_demo` would make, without making it (refused where it would refuse to make it)."""
    with uow.read() as session:
        _check_database(session)
        return _plan(_regions(session), scale, seed)


def build_national_demo(
    uow: UnitOfWork,
    cipher: PiiCipher,
    *,
    scale: float,
    seed: int = 2021,
    workers: int = 1,
    worker_runtime: WorkerRuntime | None = None,
    on_progress: Progress = lambda what, n: None,
) -> NationalResult:
    """`workers` > 1 runs the provinces' tasks in that many processes, each opening its own `worker_runtime()`."""
    with uow.read() as session:
        _check_database(session)
        regions = _regions(session)
    if not regions.pilot.flagged:  # the demo's stand-in pilot cities get the flag the statistics split on
        with uow.begin() as session:
            mark_pilot_cities(session, sorted(regions.pilot.counties), actor=Actor.system("demo.national"))
    plan = _plan(regions, scale, seed)
    seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds[name] += time.perf_counter() - started

    with _Runner(uow, cipher, plan, regions, on_progress, workers, worker_runtime) as run, _fresh_statistics(uow):
        with phase("persons"):
            run([("persons", p.code, 0) for p in sorted(plan.provinces, key=lambda p: -p.persons)])
        for year in (PILOT_YEAR, ROLLOUT_YEAR):
            provinces = sorted((p for p in plan.provinces if year in p.issued), key=lambda p: -p.issued[year])
            with phase(f"{year}: batches and targeted classes"):
                run([(task, p.code, year) for p in provinces for task in ("classes", "batches")])
            if year == PILOT_YEAR:
                with phase("2021-01-01: 2020 vouchers expire"):
                    _expire(uow, date(ROLLOUT_YEAR, 1, 1))
    with phase("stats compact"):  # what the nightly `stats compact` would have done over the two years
        compact(uow)
    with phase("stats verify"), uow.read() as session:
        checked = verify(session)
        totals = headline(session, NATIONAL)
    return NationalResult(
        plan,
        totals,
        checked.keys_checked,
        len(checked.differences),
        regions.pilot.flagged,
        dict(seconds),
        dict(run.task_seconds),
    )


def _check_database(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise Invalid(
            "全国演示数据只能建在 PostgreSQL 上 / the national demo runs on PostgreSQL only: "
            "set SKILLVOUCHER_DATABASE_URL to a PostgreSQL database of its own"
        )
    foreign = session.scalar(
        select(func.count()).select_from(VoucherPolicy).where(~VoucherPolicy.funding_source.endswith(DEMO_FUNDING))
    )
    if foreign:
        raise Conflict(
            f"全国演示数据需要单独的数据库 / the national demo needs a database of its own: "
            f"{foreign} voucher policies here were not made by it"
        )


def _plan(regions: Regions, scale: float, seed: int) -> Plan:
    shares = {p: regions.pilot.share(p, regions.counties[p]) for p in regions.pilot.provinces}
    return national_plan(scale=scale, seed=seed, population=PROVINCE_POPULATION_WAN, pilot_share=shares)


def _regions(session: Session) -> Regions:
    rows = session.execute(
        select(Region.code, Region.name, Region.level, Region.parent_code, Region.province_code, Region.pilot)
    ).all()
    names = {code: name for code, name, *_ in rows}
    levels = {code: level for code, _, level, *_ in rows}
    counties: dict[str, list[str]] = defaultdict(list)
    by_city: dict[str, list[str]] = defaultdict(list)
    for code, _, level, parent, province, _pilot in sorted(rows):
        if level == "county" and province in PROVINCE_POPULATION_WAN:
            counties[province].append(code)
            by_city[parent if parent and levels.get(parent) == "city" else code].append(code)
    cities = {
        city: CityInfo(city, names[city], tuple(codes), {c: names[c] for c in codes}) for city, codes in by_city.items()
    }
    flagged = sorted(code for code, _, level, _, _, pilot in rows if pilot and level == "city")
    pilot = pilot_cities(flagged, by_city, PROVINCE_POPULATION_WAN)
    return Regions(names, {p: tuple(c) for p, c in counties.items()}, cities, pilot)


# The tables the demo grows by millions of rows. Without statistics the planner guesses their sizes and, for a
# roster's few hundred ids, reads a table of millions from end to end.
GROWING = ("persons", "vouchers", "enrolments", "class_trainees", "classes", "voucher_policies", "stat_counts")
ANALYZE_EVERY = 60.0  # seconds


@contextmanager
def _fresh_statistics(uow: UnitOfWork) -> Iterator[None]:
    """ANALYZE the growing tables every minute while the block runs, and once at its end (before `stats verify`).

    Autovacuum refreshes statistics on its own, but it may be off (it is on some development servers) or fall
    behind a bulk load; ANALYZE reads a sample and changes no data.
    """
    stop = threading.Event()

    def analyze() -> None:
        with uow.begin() as session:
            session.execute(text("ANALYZE " + ", ".join(GROWING)))

    def keep() -> None:
        while not stop.wait(ANALYZE_EVERY):
            analyze()

    keeper = threading.Thread(target=keep, name="demo-national-analyze", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()
    analyze()


def _expire(uow: UnitOfWork, today: date) -> None:
    with replaying(at(today)):
        while True:
            with uow.begin() as session:
                if not expire_lapsed(session, today=today):
                    return


# --- running the tasks ---------------------------------------------------------------------------------------------

Task = tuple[str, str, int]  # what (persons, batches, classes), province, year


class _Runner:
    """Runs lists of tasks: in this process with one worker, else in a pool of processes that report progress
    through a queue this process reads."""

    def __init__(
        self,
        uow: UnitOfWork,
        cipher: PiiCipher,
        plan: Plan,
        regions: Regions,
        progress: Progress,
        workers: int,
        worker_runtime: WorkerRuntime | None,
    ):
        self.progress = progress
        self.local = Work(uow, cipher, plan, regions, progress) if workers <= 1 else None
        if self.local is None and worker_runtime is None:
            raise ValueError("more than one worker needs a worker_runtime")
        self.worker_runtime, self.plan, self.regions = worker_runtime, plan, regions
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.task_seconds: dict[str, float] = defaultdict(float)  # summed over the workers

    def __enter__(self) -> _Runner:
        if self.local is None:
            context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections or locks
            self.queue: Any = context.Queue()
            assert self.worker_runtime is not None
            initargs = (self.worker_runtime, self.plan, self.regions, self.queue, os.getpid())
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_start_worker, initargs=initargs
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __call__(self, tasks: list[Task]) -> None:
        if self.local is not None:
            for task in tasks:
                self._took(task, self.local.run(*task))
            return
        assert self.pool is not None
        done = threading.Event()
        reader = threading.Thread(target=self._relay, args=(done,), daemon=True)
        reader.start()
        try:
            futures = [self.pool.submit(_run_task, *task) for task in tasks]
            finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
            for future in finished:
                future.result()  # the first failure, if any
            for task, future in zip(tasks, futures, strict=True):
                self._took(task, future.result())
        finally:
            done.set()
            reader.join()

    def _took(self, task: Task, seconds: float) -> None:
        what, _, year = task
        self.task_seconds[f"{year} {what}" if year else what] += seconds

    def _relay(self, done: threading.Event) -> None:
        while True:
            try:
                what, n = self.queue.get(timeout=0.2)
            except Empty:
                if done.is_set():
                    return
                continue
            self.progress(what, n)


_worker: Work | None = None


def _start_worker(worker_runtime: WorkerRuntime, plan: Plan, regions: Regions, queue: Any, parent: int) -> None:
    """The pool's initializer: one `Work` per worker process, on its own connections."""
    global _worker
    _die_with(parent)
    uow, cipher = worker_runtime()
    _worker = Work(uow, cipher, plan, regions, lambda what, n: queue.put((what, n)))


def _die_with(parent: int) -> None:
    """A worker left running after its command was killed would race the re-run on the same province: on Linux the
    kernel kills it with its parent (PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def _run_task(task: str, province: str, year: int) -> float:
    assert _worker is not None
    return _worker.run(task, province, year)
