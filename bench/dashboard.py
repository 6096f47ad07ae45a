"""Benchmark: the statistics dashboard API on the national data set, against a GROUP BY over the voucher table.

    .venv/bin/python bench/dashboard.py --database skillvoucher_national   # a database `demo national` built
    .venv/bin/python bench/dashboard.py --small                            # builds `demo national --scale 0.001`
    .venv/bin/python bench/dashboard.py --scale 0.01 --keep                # builds (and keeps) another scale

The data set is `skillvoucher demo national` (19,267,200 vouchers issued, 5,007,200 used, made through the
product's services); `--database` names one already built on the server, otherwise a scratch database is built at
`--scale` by that command (not timed) and dropped afterwards.

The server is real: `uvicorn --factory skillvoucher.web.app:create_app_from_environment` on 127.0.0.1 against
that database. An administrator account is made with `create_staff` and signs in over HTTP (password, then the
authenticator code). Then, measured: for each scope — the nation (000000), one province, one of its cities — what
the dashboard page asks for: GET /api/v1/statistics/{code} (the headline) and /{code}/{table} for months, regions,
kinds, groups and pilot; `--rounds` rounds after one warm-up round, one keep-alive client, each request
timed on its own. p50/p95 over every request, and per scope. The long detail tables (every policy, occupation,
institution of the scope) are timed too, in fewer rounds, and reported apart, in full and as the page reads them
(`?limit=20`); so is the first screen narrowed by a
kind and a range of months, and the whole HTML page.

The reference, in the same run on the same database: `SELECT left(region_code, 2), count(*) FROM vouchers JOIN
voucher_policies … GROUP BY 1` — the count by province a dashboard without rollups would have to run — the median
of three runs.

Prints a table, then exactly one JSON line (`goal` is the p95 in ms, not a ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import pyotp
from sqlalchemy.engine import make_url

from enrolment import _CSRF_FIELD, DEFAULT_URL, plain_dsn, scratch_database, server_environment, settings_for
from enrolment import uvicorn_server as _uvicorn_server
from skillvoucher.app import build_runtime
from skillvoucher.identity import Binding, Role, begin_totp_enrolment, confirm_totp_enrolment, create_staff, get_staff
from skillvoucher.settings import Settings

GOAL_P95_MS = 50.0
TABLES = ("months", "regions", "kinds", "groups", "pilot")  # what the dashboard's first screen draws
DETAIL_TABLES = ("policies", "occupations", "institutions")  # long lists (every policy …): timed, reported apart
LARGEST = "?limit=20"  # the detail tables as the page reads them: their 20 largest rows
FILTERS = "?kind=targeted&from=2021-03&to=2021-08"  # an officer narrowing the first screen: timed, reported apart
PASSWORD = "Dashboard-bench-2021"


@contextmanager
def data_set(server_url: str, database: str | None, scale: float, keep: bool) -> Iterator[str]:
    if database:
        yield make_url(server_url).set(database=database).render_as_string(hide_password=False)
        return
    with scratch_database(server_url, "skillvoucher_bench_dashboard", keep=keep) as url:
        started = time.monotonic()
        build(url, scale)
        print(f"built demo national --scale {scale} in {time.monotonic() - started:.0f} s", file=sys.stderr)
        yield url


def build(url: str, scale: float) -> None:
    settings = settings_for(url)
    environment = server_environment(settings, url)
    skillvoucher = [sys.executable, "-m", "skillvoucher"]
    with tempfile.TemporaryDirectory() as cwd:
        for command in (["db", "upgrade"], ["reference", "load"], ["demo", "national", "--scale", str(scale)]):
            subprocess.run([*skillvoucher, *command], env=environment, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def administrator(settings: Settings) -> tuple[str, str]:
    """An administrator with a password and an authenticator; returns (username, TOTP secret)."""
    runtime = build_runtime(settings)
    username = f"bench.admin.{os.getpid()}"
    try:
        with runtime.uow.begin() as session:
            account, _ = create_staff(
                session,
                username=username,
                display_name="Bench",
                binding=Binding(Role.ADMIN),
                by=None,
                password=PASSWORD,
            )
            account_id = account.id
        with runtime.uow.begin() as session:
            uri = begin_totp_enrolment(session, account=get_staff(session, account_id), cipher=runtime.cipher)
        secret = pyotp.parse_uri(uri).secret
        totp = pyotp.TOTP(secret)
        previous = totp.generate_otp(int(time.time() // totp.interval) - 1)  # the sign-in then uses the current one
        with runtime.uow.begin() as session:
            confirm_totp_enrolment(
                session, account=get_staff(session, account_id), cipher=runtime.cipher, code=previous
            )
    finally:
        runtime.close()
    return username, secret


def sign_in(client: httpx.Client, username: str, secret: str) -> None:
    def csrf(path: str) -> str:
        found = _CSRF_FIELD.search(client.get(path).text)
        assert found, f"no CSRF token on {path}"
        return str(found.group(1))

    form = {"username": username, "password": PASSWORD, "next": "", "csrf_token": csrf("/sign-in/staff")}
    answer = client.post("/sign-in/staff", data=form)
    assert answer.status_code == 303, answer.text
    if answer.headers["location"].startswith("/sign-in/staff/code"):
        code = {"code": pyotp.TOTP(secret).now(), "next": "", "csrf_token": csrf(answer.headers["location"])}
        answer = client.post("/sign-in/staff/code", data=code)
        assert answer.status_code == 303, answer.text
    assert client.get("/api/v1/me").status_code == 200


def scopes(url: str) -> list[tuple[str, str]]:
    """The nation, the province with the most vouchers, and that province's city with the most."""
    with psycopg.connect(plain_dsn(url)) as connection:
        rows = connection.execute(
            "SELECT region_code FROM stat_counts WHERE dimension = 'all' AND region_code LIKE '__0000' "
            "AND region_code <> '000000' GROUP BY region_code ORDER BY sum(issued) DESC LIMIT 1"
        ).fetchall()
        province = rows[0][0] if rows else "440000"
        rows = connection.execute(
            "SELECT s.region_code FROM stat_counts s JOIN regions r ON r.code = s.region_code "
            "WHERE s.dimension = 'all' AND r.level = 'city' AND r.province_code = %s "
            "GROUP BY s.region_code ORDER BY sum(s.issued) DESC LIMIT 1",
            (province,),
        ).fetchall()
        city = rows[0][0] if rows else province[:2] + "0100"
    return [("national", "000000"), ("province", province), ("city", city)]


def measure(
    client: httpx.Client,
    scope_codes: list[tuple[str, str]],
    rounds: int,
    tables: tuple[str, ...],
    headline: bool,
    query: str = "",
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {name: [] for name, _ in scope_codes}
    for round_number in range(rounds + 1):  # round 0 warms the caches and is not counted
        for name, code in scope_codes:
            paths = [f"/api/v1/statistics/{code}/{t}{query}" for t in tables]
            for path in [f"/api/v1/statistics/{code}{query}"] * headline + paths:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:200]}"
                if round_number:
                    timings[name].append(elapsed)
    return timings


def measure_pages(client: httpx.Client, scope_codes: list[tuple[str, str]], rounds: int) -> list[float]:
    """The whole HTML page (every table, read and rendered on the server), as an officer opens it."""
    timings: list[float] = []
    for round_number in range(rounds + 1):
        for _, code in scope_codes:
            started = time.perf_counter()
            response = client.get(f"/stats/{code}")
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, f"/stats/{code}: {response.status_code}"
            if round_number:
                timings.append(elapsed)
    return timings


def reference(url: str) -> tuple[float, int]:
    """Median seconds of a count by province over the voucher table, and the vouchers it counted."""
    query = (
        "SELECT left(p.region_code, 2), count(*) FROM vouchers v "
        "JOIN voucher_policies p ON p.id = v.policy_id GROUP BY 1"
    )
    runs: list[float] = []
    total = 0
    with psycopg.connect(plain_dsn(url)) as connection:
        for _ in range(3):
            started = time.perf_counter()
            rows = connection.execute(query).fetchall()
            runs.append(time.perf_counter() - started)
            total = sum(int(n) for _, n in rows)
    return statistics.median(runs), total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("SKILLVOUCHER_BENCH_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--database", help="an existing database `skillvoucher demo national` built on the server")
    parser.add_argument("--scale", type=float, default=1.0, help="build `demo national --scale S` when no --database")
    parser.add_argument("--small", action="store_true", help="--scale 0.001 and 10 rounds (a quick check)")
    parser.add_argument("--rounds", type=int, default=30, help="measured rounds of every scope's requests")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database that was built")
    args = parser.parse_args()
    scale, rounds = (0.001, 10) if args.small else (args.scale, args.rounds)

    with data_set(args.database_url, args.database, scale, args.keep) as url:
        settings = settings_for(url)  # the server's keys: the administrator's authenticator is sealed with them
        username, secret = administrator(settings)
        reference_seconds, vouchers = reference(url)
        scope_codes = scopes(url)
        environment = server_environment(settings, url)
        with (
            tempfile.TemporaryDirectory() as logs,
            _uvicorn_server(environment, 1, Path(logs) / "uvicorn.log") as (base, _pid),
            httpx.Client(base_url=base, timeout=60) as client,
        ):
            sign_in(client, username, secret)
            timings = measure(client, scope_codes, rounds, TABLES, headline=True)
            details = measure(client, scope_codes, max(1, rounds // 5), DETAIL_TABLES, headline=False)
            largest = measure(client, scope_codes, max(1, rounds // 5), DETAIL_TABLES, headline=False, query=LARGEST)
            filtered = measure(client, scope_codes, max(1, rounds // 5), TABLES, headline=True, query=FILTERS)
            pages = measure_pages(client, scope_codes, max(1, rounds // 5))
        reference_after, _ = reference(url)
    reference_seconds = min(reference_seconds, reference_after)
    every = [t for values in timings.values() for t in values]
    p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
    print(f"{'vouchers in the data set':<28}{vouchers:,}")
    print(f"{'requests measured':<28}{len(every):,} ({rounds} rounds × 3 scopes × {1 + len(TABLES)} calls)")
    for (name, code), values in zip(scope_codes, timings.values(), strict=True):
        print(
            f"  {name + ' ' + code:<26}p50 {percentile(values, 0.5):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
        )
    print(f"{'all requests':<28}p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   (goal p95 < {GOAL_P95_MS:.0f} ms)")
    detail = [t for values in details.values() for t in values]
    print(
        f"{'detail tables':<28}p50 {percentile(detail, 0.5):6.1f} ms   p95 {percentile(detail, 0.95):6.1f} ms"
        f"   ({', '.join(DETAIL_TABLES)}; not in the figures above)"
    )
    top = [t for values in largest.values() for t in values]
    print(
        f"{'detail tables, 20 largest':<28}p50 {percentile(top, 0.5):6.1f} ms   p95 {percentile(top, 0.95):6.1f} ms"
        f"   ({LARGEST}, as the page reads them; not in the figures above)"
    )
    narrowed = [t for values in filtered.values() for t in values]
    narrowed_p50, narrowed_p95 = percentile(narrowed, 0.5), percentile(narrowed, 0.95)
    print(
        f"{'first screen, filtered':<28}p50 {narrowed_p50:6.1f} ms   p95 {narrowed_p95:6.1f} ms"
        f"   ({FILTERS}; not in the figures above)"
    )
    print(
        f"{'HTML page /stats/{code}':<28}p50 {percentile(pages, 0.5):6.1f} ms   p95 {percentile(pages, 0.95):6.1f} ms"
        "   (every table, rendered; not in the figures above)"
    )
    print(f"{'GROUP BY province reference':<28}{reference_seconds * 1000:,.1f} ms")
    line = {
        "bench": "dashboard",
        "n": vouchers,
        "seconds": round(p95 / 1000, 5),
        "reference": "SELECT count(*) over vouchers JOIN voucher_policies GROUP BY province",
        "reference_seconds": round(reference_seconds, 5),
        "ratio": round(p95 / 1000 / reference_seconds, 4) if reference_seconds else None,
        "goal": GOAL_P95_MS,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "detail_p95_ms": round(percentile(detail, 0.95), 2),
        "detail_top20_p95_ms": round(percentile(top, 0.95), 2),
        "filtered_p95_ms": round(narrowed_p95, 2),
        "page_p95_ms": round(percentile(pages, 0.95), 2),
        "scopes": {
            code: round(percentile(values, 0.95), 2)
            for (_, code), values in zip(scope_codes, timings.values(), strict=True)
        },
    }
    print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
