"""Benchmark: batch issuance of a face-value policy to N persons on PostgreSQL, against a plain INSERT … SELECT.

    .venv/bin/python bench/issuance.py                      # 1,000,000 persons, a fresh database dropped after
    .venv/bin/python bench/issuance.py --small              # 20,000 persons
    .venv/bin/python bench/issuance.py --persons 1000000 --keep   # keep (and reuse) the prepared database
    .venv/bin/python bench/issuance.py --chunk-persons 50000 --explain
    .venv/bin/python bench/issuance.py --database-url postgresql://user@host:5432/   # another server

The persons are made through the product's own bulk path (`generate_demo_persons`, what `skillvoucher demo
generate` calls: chunked COPY) in a child process, all in one province, so that neither their build time nor its
memory counts. A face-value policy for that province is defined through `define_policy`; then the measured figure
is batch issuance end to end, exactly as `skillvoucher vouchers issue` runs it: `start_batch` in one transaction,
then `run_job(uow, job.id, batch_step())` until the job has finished. Afterwards: N vouchers, N distinct persons,
N distinct codes.

The reference, timed in the same run on the same server: one `INSERT … SELECT` of N rows of the same nine columns
from `generate_series` into a copy of the `vouchers` table (`LIKE vouchers INCLUDING ALL`: the same columns,
defaults, checks and indexes, without the foreign keys), codes made the way the product makes them. It runs once
before and once after the issuance (each after VACUUM ANALYZE and CHECKPOINT, as the issuance is, so none pays for
another's dirty pages); the better of the two counts, the machine's noise weighing more on the shorter run.

Then the claim race: a claimable policy with a quantity cap; `--claimers` threads, each with its own connection,
claim for their own slices of persons (twice the cap in all) through `claim_from_policy`, one transaction per
claim; exactly `--cap` vouchers must exist and the policy's issued_count must equal the cap.

Peak memory is the process's ru_maxrss (the persons are built in a child process, which it does not count).
Prints a table, then exactly one JSON line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import psycopg
from pydantic import SecretStr
from sqlalchemy import Connection, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from skillvoucher.app import Runtime, build_runtime
from skillvoucher.catalog import load_reference_data
from skillvoucher.core import Actor, utc_now
from skillvoucher.db import UnitOfWork
from skillvoucher.db.engine import create_db_engine
from skillvoucher.db.migrate import upgrade
from skillvoucher.demo import generate_demo_persons
from skillvoucher.identity import Person, Principal, Role
from skillvoucher.jobs import Job, run_job
from skillvoucher.settings import Settings, new_key
from skillvoucher.vouchers import (
    DEFAULT_CHUNK_PERSONS,
    CapReached,
    Eligibility,
    FixedValue,
    PolicyKind,
    PolicyTerms,
    Validity,
    Voucher,
    VoucherPolicy,
    batch_step,
    claim_from_policy,
    define_policy,
    start_batch,
)

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"  # the server; the database is made here
PROVINCE = "440000"  # 广东省: the most populous province, 100+ county-level regions
SEED = 2021
GOAL = 1.5
FACE_VALUE_FEN = 100_000
REFERENCE_TABLE = "bench_vouchers_reference"
# The nine columns batch issuance writes (vouchers.issuance._INSERTED), made the way the product makes them.
REFERENCE_INSERT = f"""
INSERT INTO {REFERENCE_TABLE}
    (code, policy_id, person_id, state, value_fen, expires_on, issued_year, issued_at, job_id)
SELECT replace(gen_random_uuid()::text, '-', ''), %(policy_id)s, g, 'issued', %(value_fen)s, %(expires_on)s,
       %(year)s, now(), %(job_id)s
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
"""


def plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_exists(server_url: str, name: str) -> bool:
    with psycopg.connect(plain_dsn(server_url), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def create_database(server_url: str, name: str) -> None:
    with psycopg.connect(plain_dsn(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(plain_dsn(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_database(server_url: str, count: int, *, keep: bool) -> Iterator[tuple[str, bool]]:
    """(url, reused): a scratch database dropped afterwards, or with `keep` one named after N, kept and reused."""
    scratch = f"skillvoucher_bench_{os.getpid()}_{secrets.token_hex(3)}"
    name = f"skillvoucher_bench_issuance_{count}" if keep else scratch
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    reused = keep and database_exists(server_url, name) and persons_in(url) == count
    if not reused:
        create_database(server_url, name)
    try:
        yield url, reused
    finally:
        if not keep:
            drop_database(server_url, name)


def persons_in(url: str) -> int:
    try:
        with psycopg.connect(plain_dsn(url)) as connection:
            row = connection.execute("SELECT count(*) FROM persons").fetchone()
    except psycopg.Error:
        return -1
    return int(row[0]) if row else -1


def settings_for(url: str) -> Settings:
    return Settings(
        mode="development",
        database_url=url,
        load_demo_data=False,
        pii_key=SecretStr(new_key()),
        lookup_key=SecretStr(new_key()),
        session_secret=SecretStr(new_key()),
    )


def build_persons(url: str, count: int, province: str, today: date) -> None:
    """Runs in a child process: the persons, through the product's bulk path (what `demo generate` calls)."""
    runtime = build_runtime(settings_for(url))
    try:
        result = generate_demo_persons(
            runtime.uow,
            runtime.cipher,
            count=count,
            today=today,
            seed=SEED,
            actor=Actor.system("bench"),
            within=province,
        )
    finally:
        runtime.close()
    if result.added + result.existing != count:
        raise SystemExit(f"the demo generator made {result} instead of {count} persons")


def prepare(url: str, count: int, province: str, today: date, *, reused: bool) -> float:
    """Schema, reference data and N persons (unless reused); returns the seconds the persons took."""
    runtime = build_runtime(settings_for(url))
    try:
        upgrade(runtime.engine)
        with runtime.uow.begin() as session:
            load_reference_data(session, actor=Actor.system("bench"))
    finally:
        runtime.close()
    if reused:
        # A kept database: drop what earlier runs issued, so every run starts from an empty vouchers table.
        with psycopg.connect(plain_dsn(url)) as connection:
            connection.execute("TRUNCATE vouchers, voucher_policies CASCADE")  # and enrolments, empty here
            connection.execute("DELETE FROM jobs WHERE kind = 'vouchers.issue'")
        return 0.0
    started = time.perf_counter()
    # A child process, so the generator's memory (it remembers every ID number it made) is not the bench's.
    child = multiprocessing.get_context("spawn").Process(target=build_persons, args=(url, count, province, today))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"building the persons failed (exit status {child.exitcode})")
    seconds = time.perf_counter() - started
    if (made := persons_in(url)) != count:
        raise SystemExit(f"{made} persons in the database, expected {count}")
    return seconds


def settle(url: str) -> None:
    """The same starting line for every measured run: fresh statistics, no dead rows, no dirty pages."""
    with psycopg.connect(plain_dsn(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute("CHECKPOINT")


def policy_terms(name: str, province: str, today: date, **changes: Any) -> PolicyTerms:
    base: dict[str, Any] = {
        "name": name,
        "kind": PolicyKind.FACE_VALUE,
        "region_code": province,
        "funding_source": "就业补助资金",
        "opens_on": today,
        "closes_on": today + timedelta(days=180),
        "value": FixedValue(FACE_VALUE_FEN),
        "validity": Validity(until=today + timedelta(days=365)),
        "eligibility": Eligibility(),  # everyone registered in the policy's region
    }
    return PolicyTerms(**{**base, **changes})


def define(uow: UnitOfWork, terms: PolicyTerms, today: date) -> int:
    with uow.begin() as session:
        return define_policy(session, terms=terms, today=today, by=None).id


@dataclass
class Reference:
    seconds: float
    rows: int


def reference_insert(url: str, count: int, first_person: int, today: date) -> Reference:
    """INSERT … SELECT of N voucher rows into a faithful copy of the vouchers table, timed with its commit."""
    with psycopg.connect(plain_dsn(url)) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {REFERENCE_TABLE}")
        # LIKE … INCLUDING ALL copies columns, defaults, checks and every index of vouchers: the primary key, the
        # unique code, unique (policy_id, person_id), (person_id, issued_year) and the partial lapsing index on
        # expires_on for live states. Foreign keys are never copied (the product's batch checks two per row:
        # policy_id and person_id).
        connection.execute(f"CREATE TABLE {REFERENCE_TABLE} (LIKE vouchers INCLUDING ALL)")
        connection.commit()
        settle(url)
        started = time.perf_counter()
        cursor = connection.execute(
            REFERENCE_INSERT,
            {
                "policy_id": 1,
                "value_fen": FACE_VALUE_FEN,
                "expires_on": today + timedelta(days=365),
                "year": today.year,
                "job_id": 1,
                "first": first_person,
                "last": first_person + count - 1,
            },
        )
        connection.commit()
        seconds = time.perf_counter() - started
        rows = cursor.rowcount
        connection.execute(f"DROP TABLE {REFERENCE_TABLE}")
        connection.commit()
    return Reference(seconds, rows)


class RssSampler:
    """The resident set size, sampled every 50 ms on a thread."""

    def __init__(self) -> None:
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self.samples.append(rss())
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(rss())

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.samples.append(rss())


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


@dataclass
class Issuance:
    seconds: float
    start_seconds: float
    chunk_seconds: list[float]
    job: Job
    vouchers: int
    persons: int
    codes: int
    rss_before_mb: float
    rss_max_mb: float
    rss_end_mb: float
    chunk_sql: tuple[str, dict[str, Any]] | None
    statement_seconds: dict[str, float]  # time in the database by statement (its first 60 characters)


def issue(runtime: Runtime, policy_id: int, today: date, chunk_persons: int) -> Issuance:
    """The measured figure: start_batch, then run_job with batch_step until finished, as the CLI does."""
    step = batch_step(chunk_persons)
    chunk_seconds: list[float] = []

    def timed_step(session: Session, job: Job) -> bool:  # the product's step, with a stopwatch around it
        started = time.perf_counter()
        finished = step(session, job)
        chunk_seconds.append(time.perf_counter() - started)
        return finished

    captured: list[tuple[str, dict[str, Any]]] = []
    statement_seconds: dict[str, float] = {}
    statement_started: list[float] = []

    def capture(_conn: Connection, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if not captured and " ".join(statement.split()).startswith(
            ("INSERT INTO vouchers", "WITH inserted AS (INSERT INTO vouchers", "WITH chosen AS")
        ):
            captured.append((statement, dict(parameters)))
        statement_started.append(time.perf_counter())

    def clock(_conn: Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool) -> None:
        kind = " ".join(statement.split())[:60]
        statement_seconds[kind] = statement_seconds.get(kind, 0.0) + time.perf_counter() - statement_started.pop()

    event.listen(runtime.engine, "before_cursor_execute", capture)
    event.listen(runtime.engine, "after_cursor_execute", clock)
    try:
        with RssSampler() as sampler:
            started = time.perf_counter()
            with runtime.uow.begin() as session:
                job_id = start_batch(session, policy_id=policy_id, today=today, by=None).id
            start_seconds = time.perf_counter() - started
            job = run_job(runtime.uow, job_id, timed_step)
            seconds = time.perf_counter() - started
    finally:
        event.remove(runtime.engine, "before_cursor_execute", capture)
        event.remove(runtime.engine, "after_cursor_execute", clock)
    with runtime.uow.read() as session:
        vouchers, persons, codes = session.execute(
            select(func.count(), func.count(func.distinct(Voucher.person_id)), func.count(func.distinct(Voucher.code)))
            .select_from(Voucher)
            .where(Voucher.policy_id == policy_id)
        ).one()
    return Issuance(
        seconds=seconds,
        start_seconds=start_seconds,
        chunk_seconds=chunk_seconds,
        job=job,
        vouchers=vouchers,
        persons=persons,
        codes=codes,
        rss_before_mb=sampler.samples[0] / 2**20,
        rss_max_mb=max(sampler.samples) / 2**20,
        rss_end_mb=sampler.samples[-1] / 2**20,
        chunk_sql=captured[0] if captured else None,
        statement_seconds=statement_seconds,
    )


@dataclass
class Race:
    claimers: int
    cap: int
    attempts: int = 0
    accepted: int = 0
    refused_cap: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    seconds_to_cap: float = 0.0
    vouchers: int = 0
    issued_count: int = 0

    @property
    def ok(self) -> bool:
        return self.vouchers == self.cap and self.issued_count == self.cap and self.accepted == self.cap

    @property
    def claims_per_second(self) -> float:
        """Accepted claims per second, until the cap was reached."""
        return self.accepted / self.seconds_to_cap if self.seconds_to_cap else 0.0


def claim_race(url: str, runtime: Runtime, province: str, today: date, claimers: int, cap: int) -> Race:
    terms = policy_terms("广东省职业技能培训券（申领）", province, today, claimable=True, quantity_cap=cap)
    policy_id = define(runtime.uow, terms, today)
    each = -(-2 * cap // claimers)  # twice the cap try, in all
    with runtime.uow.read() as session:
        person_ids = list(session.scalars(select(Person.id).order_by(Person.id).limit(each * claimers)))
    if len(person_ids) < cap + 1:
        raise SystemExit(f"the race needs more than {cap} persons; there are {len(person_ids)}")
    race = Race(claimers=claimers, cap=cap)
    lock = threading.Lock()
    barrier = threading.Barrier(claimers + 1)
    accepted_at: list[float] = []
    started = 0.0

    def claimer(slice_ids: list[int]) -> None:
        engine = create_db_engine(url, pool_size=1, max_overflow=0)  # its own connection
        uow = UnitOfWork(engine)
        with uow.read() as session:  # connect before the start line
            session.execute(text("SELECT 1"))
        barrier.wait()
        try:
            for person_id in slice_ids:
                outcome = "error"
                try:
                    with uow.begin() as session:
                        claim_from_policy(
                            session,
                            policy_id=policy_id,
                            person_id=person_id,
                            today=today,
                            by=Principal(Role.WORKER, person_id),
                        )
                    outcome = "accepted"
                except CapReached:
                    outcome = "cap"
                except Exception as error:  # counted and shown: the race must not hide a failure
                    outcome = f"{type(error).__name__}: {str(error)[:200]}"
                with lock:
                    race.attempts += 1
                    if outcome == "accepted":
                        race.accepted += 1
                        accepted_at.append(time.perf_counter())
                    elif outcome == "cap":
                        race.refused_cap += 1
                    else:
                        race.errors.append(outcome)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=claimer, args=(person_ids[i * each : (i + 1) * each],)) for i in range(claimers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    race.seconds = time.perf_counter() - started
    race.seconds_to_cap = (max(accepted_at) - started) if accepted_at else 0.0
    with runtime.uow.read() as session:
        race.vouchers = session.scalar(select(func.count()).where(Voucher.policy_id == policy_id)) or 0
        policy = session.get(VoucherPolicy, policy_id)
        race.issued_count = policy.issued_count if policy else -1
    return race


def explain_chunk(runtime: Runtime, url: str, province: str, today: date, chunk: tuple[str, dict[str, Any]]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the first chunk's INSERT … SELECT, for a fresh policy, rolled back."""
    statement, parameters = chunk
    old = next(v for name, v in parameters.items() if name.startswith(("policy_id", "param")) and isinstance(v, int))
    fresh = define(runtime.uow, policy_terms("广东省职业技能培训券（EXPLAIN）", province, today), today)
    renamed = {
        name: fresh if (name.startswith(("param", "policy_id")) and value == old) else value
        for name, value in parameters.items()
    }
    with psycopg.connect(plain_dsn(url)) as connection:
        rows = connection.execute(f"EXPLAIN (ANALYZE, BUFFERS, VERBOSE OFF) {statement}", renamed).fetchall()
        connection.rollback()
    return "\n".join(str(row[0]) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons to build and issue to")
    parser.add_argument("--small", action="store_true", help="20,000 persons (a quick check)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SKILLVOUCHER_BENCH_POSTGRES_URL", DEFAULT_URL),
        help="the PostgreSQL server (its database part is replaced by a scratch database made and dropped here)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the prepared database and reuse it next time")
    parser.add_argument("--province", default=PROVINCE, help="where the persons live and the policy applies")
    parser.add_argument("--chunk-persons", type=int, default=DEFAULT_CHUNK_PERSONS, help="batch_step(chunk_persons)")
    parser.add_argument("--claimers", type=int, default=32, help="threads in the claim race (0: no race)")
    parser.add_argument("--cap", type=int, default=1000, help="the claim race's quantity cap")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of one chunk")
    args = parser.parse_args()
    count = 20_000 if args.small else args.persons
    cap = min(args.cap, count // 2) if args.small else args.cap
    today = utc_now().date()  # as the CLI's clock gives it

    with bench_database(args.database_url, count, keep=args.keep) as (url, reused):
        build_seconds = prepare(url, count, args.province, today, reused=reused)
        runtime = build_runtime(settings_for(url))
        try:
            with runtime.uow.read() as session:
                first_person = session.scalar(select(func.min(Person.id))) or 1
            with psycopg.connect(plain_dsn(url)) as connection:
                shared_buffers = str((connection.execute("SHOW shared_buffers").fetchone() or ["?"])[0])
            policy_id = define(runtime.uow, policy_terms("广东省职业技能培训券", args.province, today), today)
            before = reference_insert(url, count, first_person, today)
            settle(url)
            issued = issue(runtime, policy_id, today, args.chunk_persons)
            after = reference_insert(url, count, first_person, today)
            race = claim_race(url, runtime, args.province, today, args.claimers, cap) if args.claimers else None
            plan = None
            if args.explain and issued.chunk_sql is not None:
                plan = explain_chunk(runtime, url, args.province, today, issued.chunk_sql)
        finally:
            runtime.close()
    report(
        count=count,
        build_seconds=build_seconds,
        reused=reused,
        issued=issued,
        references=(before, after),
        race=race,
        chunk_persons=args.chunk_persons,
        shared_buffers=shared_buffers,
        plan=plan,
    )
    problems = [
        f"{what}: {got} ≠ {count}"
        for what, got in (
            ("vouchers", issued.vouchers),
            ("distinct persons", issued.persons),
            ("distinct codes", issued.codes),
            ("reference rows", min(before.rows, after.rows)),
        )
        if got != count
    ]
    if race is not None and not race.ok:
        problems.append(f"claim race: {race.vouchers} vouchers, issued_count {race.issued_count}, cap {race.cap}")
    if problems:
        print("FAILED: " + "; ".join(problems), file=sys.stderr)
        raise SystemExit(1)


def report(
    *,
    count: int,
    build_seconds: float,
    reused: bool,
    issued: Issuance,
    references: tuple[Reference, Reference],
    race: Race | None,
    chunk_persons: int,
    shared_buffers: str,
    plan: str | None,
) -> None:
    reference = min(r.seconds for r in references)
    seconds = issued.seconds
    chunks = issued.chunk_seconds
    peak = peak_rss_mb()
    lines = [
        ("persons", f"{count:,}" + (" (reused database)" if reused else f" (built in {build_seconds:.1f} s)")),
        ("batch issuance", f"{seconds:.2f} s  ({count / seconds:,.0f} vouchers/s)"),
        ("  start_batch", f"{issued.start_seconds:.2f} s"),
        (
            "  chunks (steps)",
            f"{len(chunks)} of {chunk_persons:,} persons: first {chunks[0]:.2f} s, median "
            f"{statistics.median(chunks):.2f} s, last {chunks[-1]:.2f} s, sum {sum(chunks):.2f} s",
        )
        if chunks
        else ("  chunks", "none"),
        ("checks", f"{issued.vouchers:,} vouchers, {issued.persons:,} persons, {issued.codes:,} codes"),
        (
            "INSERT … SELECT reference",
            f"{reference:.2f} s  (before {references[0].seconds:.2f} s, after {references[1].seconds:.2f} s)",
        ),
        (f"ratio (goal ≤ {GOAL})", f"{seconds / reference:.2f} ×"),
        (
            "RSS before / max / end",
            f"{issued.rss_before_mb:.0f} / {issued.rss_max_mb:.0f} / {issued.rss_end_mb:.0f} MB",
        ),
        ("peak RSS of the process", f"{peak:.0f} MB (ru_maxrss)"),
        ("CPUs, shared_buffers", f"{os.cpu_count()}, {shared_buffers}"),
    ]
    if race is not None:
        lines += [
            (
                "claim race",
                f"{race.claimers} threads, {race.attempts} claims in {race.seconds:.2f} s: {race.accepted} accepted,"
                f" {race.refused_cap} refused at the cap, {len(race.errors)} errors",
            ),
            ("  after the race", f"{race.vouchers} vouchers, issued_count {race.issued_count} (cap {race.cap})"),
            ("  accepted claims/s", f"{race.claims_per_second:,.0f} (until the cap was reached)"),
        ]
    slowest = sorted(issued.statement_seconds.items(), key=lambda item: -item[1])[:3]
    lines += [("  in SQL", f"{spent:.2f} s  {statement}") for statement, spent in slowest]
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    if race is not None and race.errors:
        for error in sorted(set(race.errors))[:5]:
            print(f"  race error: {error}")
    if plan is not None:
        print("EXPLAIN (ANALYZE, BUFFERS) of the first chunk's INSERT … SELECT, for a fresh policy:")
        print(plan)
    figures: dict[str, Any] = {
        "bench": "issuance",
        "n": count,
        "seconds": round(seconds, 3),
        "reference": "INSERT … SELECT from generate_series into a copy of vouchers (LIKE INCLUDING ALL)",
        "reference_seconds": round(reference, 3),
        "ratio": round(seconds / reference, 2),
        "goal": GOAL,
        "peak_rss_mb": round(peak, 1),
        "chunk_persons": chunk_persons,
        "vouchers_per_second": round(count / seconds),
    }
    if race is not None:
        figures |= {
            "race_claimers": race.claimers,
            "race_cap": race.cap,
            "race_vouchers": race.vouchers,
            "race_ok": race.ok,
            "claims_per_second": round(race.claims_per_second, 1),
        }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
