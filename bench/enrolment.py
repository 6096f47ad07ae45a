"""Benchmark: enrolments per second through the HTTP API on PostgreSQL, 32 clients, against pgbench (TPC-B).

    .venv/bin/python bench/enrolment.py                          # 4,000 enrolments per server configuration
    .venv/bin/python bench/enrolment.py --small                  # 200 enrolments, pgbench -T 5 (what `make bench` runs)
    .venv/bin/python bench/enrolment.py --enrolments 5000 --server-workers 2
    .venv/bin/python bench/enrolment.py --database-url postgresql://user@host:5432/   # another server
    .venv/bin/python bench/enrolment.py --keep                   # keep the scratch database (its name is printed)

A scratch database on the server is migrated and given the reference data; everything else is made through the
product's own actions and is not timed: a province-level demand catalogue entry, listed institutions (registered,
accredited, with a registered scope), one published course each and approved classes of `--capacity` seats, an
API key per institution (`create_api_key`), persons (`generate_demo_persons`), `--vouchers-per-worker` claimable
face-value policies and each worker's voucher of each claimed (`claim_from_policy`; one voucher per person per
policy, so one worker makes several enrolments, into different classes).

The server is real: `uvicorn --factory skillvoucher.web.app:create_app_from_environment --workers W` in a
subprocess on 127.0.0.1 (development mode, so the e-SSC emulator is mounted; fresh random keys). Each worker signs
in over HTTP through the emulator's device flow (the site's QR page, the phone page, PIN, the site's poll): a
real-name confirmation, so the confirm's step-up passes. Then, measured: `--clients` threads, each with its own
keep-alive httpx.Client, each enrolment being two calls — POST /api/v1/classes/{id}/enrolments/verify with the
institution's bearer key, then POST /api/v1/me/enrolments/{id}/confirm with the worker's session cookie and
X-CSRF-Token. tps = confirmed enrolments / wall seconds. Each configuration of `--server-workers` gets its own
classes, vouchers and workers; the best counts. Checked afterwards in SQL: enrolled enrolments = successes,
reserved vouchers = successes, no class over capacity, every class's enrolled_count = its enrolled rows.

While it runs, pg_stat_activity is sampled (what the server's connections are doing: running, waiting for a lock
and on which statement, idle in a transaction while the application works, committing) and CPU is read from /proc
(the uvicorn processes, this client, the whole machine), to say where the time goes.

The reference, in the same run on the same server: `pgbench -i -s 10` into its own scratch database, then
`pgbench -c 32 -j 2 -T 30 -M prepared` (TPC-B), its "tps = … (without initial connection time)"; dropped after.

Prints a table, then exactly one JSON line.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.engine import make_url

from skillvoucher.app import Runtime, build_runtime
from skillvoucher.catalog import load_reference_data
from skillvoucher.catalog.reference import regions
from skillvoucher.core import Actor, utc_now
from skillvoucher.db.migrate import upgrade
from skillvoucher.demo import generate_demo_persons
from skillvoucher.essc.emulator import DEMO_PIN
from skillvoucher.identity import Person, Principal, Role, create_api_key
from skillvoucher.settings import Settings, new_key
from skillvoucher.training import (
    ClassPlan,
    CourseDetails,
    DemandTerms,
    InstitutionDetails,
    SessionPlan,
    Teacher,
    apply_for_class,
    change_accreditation,
    decide_class,
    publish_course,
    register_institution,
    set_demand_entry,
    set_registered_scope,
)
from skillvoucher.vouchers import (
    FixedValue,
    NotEligible,
    PolicyKind,
    PolicyTerms,
    Validity,
    claim_from_policy,
    define_policy,
)

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/"  # the server; the databases are made here
PROVINCE = "440000"  # 广东省
CITY = "440100"  # 广州市: the institutions and their courses
OCCUPATION = ("4-10-01-05", 4)  # 养老护理员, level 4
SEED = 2020
GOAL = 0.5
CLIENTS = 32
CLASSES_PER_INSTITUTION = 10
FACE_VALUE_FEN = 150_000
OFFICER = Principal(Role.BUREAU_OFFICER, 1, region_code=PROVINCE)
SESSION_COOKIE = "sv_session"
PGBENCH = shutil.which("pgbench") or "/usr/bin/pgbench"
_USER_CODE = re.compile(r'id="user-code">([A-Z0-9-]+)<')
_VERIFICATION = re.compile(r'id="verification-link" href="([^"]+)"')
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_TPS = re.compile(r"tps = ([0-9.]+) \((?:without initial connection time|excluding connections establishing)\)")


# --- databases ------------------------------------------------------------------------------------------------------


def plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def admin(server_url: str, statement: str) -> None:
    with psycopg.connect(plain_dsn(make_url(server_url).set(database="postgres").render_as_string(False))) as c:
        c.autocommit = True
        c.execute(statement)


@contextmanager
def scratch_database(server_url: str, prefix: str, *, keep: bool = False) -> Iterator[str]:
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settings_for(url: str) -> Settings:
    return Settings(
        mode="development",  # the e-SSC emulator is mounted
        database_url=url,
        load_demo_data=False,
        pii_key=SecretStr(new_key()),
        lookup_key=SecretStr(new_key()),
        session_secret=SecretStr(new_key()),
    )


def server_environment(settings: Settings, url: str) -> dict[str, str]:
    def secret(value: SecretStr | None) -> str:
        assert value is not None
        return value.get_secret_value()

    keep = {k: v for k, v in os.environ.items() if not k.startswith("SKILLVOUCHER_")}
    return keep | {
        "SKILLVOUCHER_MODE": settings.mode,
        "SKILLVOUCHER_DATABASE_URL": url,
        "SKILLVOUCHER_LOAD_DEMO_DATA": "false",
        "SKILLVOUCHER_PII_KEY": secret(settings.pii_key),
        "SKILLVOUCHER_LOOKUP_KEY": secret(settings.lookup_key),
        "SKILLVOUCHER_SESSION_SECRET": secret(settings.session_secret),
        "SKILLVOUCHER_LOG_FORMAT": "json",
    }


# --- the world, through the actions (not timed) ---------------------------------------------------------------------


@dataclass
class Item:
    """One enrolment to make: a worker's voucher into a class, verified with the class's institution's key."""

    worker: int  # index into Phase.persons
    code: str
    class_id: int
    key: str


@dataclass
class Phase:
    server_workers: int
    persons: list[int]
    class_ids: list[int]
    voucher_ids: list[int]
    items: list[Item]
    capacity: int


def uscc_for(number: int) -> str:
    from stdnum.cn import uscc

    body = f"52440103MJ{number:07d}"
    return body + uscc.calc_check_digit(body)


def counties() -> list[str]:
    return sorted(r.code for r in regions() if r.level == "county" and r.code.startswith(CITY[:4]))


def build_classes(
    runtime: Runtime, count: int, capacity: int, today: date, first_number: int
) -> tuple[list[int], dict[int, str]]:
    """Approved classes of listed institutions (CLASSES_PER_INSTITUTION each); an API key per institution."""
    class_ids: list[int] = []
    key_of_class: dict[int, str] = {}
    places = counties()
    start = today + timedelta(days=14)
    at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)
    number = first_number
    while len(class_ids) < count:
        county = places[number % len(places)]
        with runtime.uow.begin() as session:
            institution = register_institution(
                session,
                details=InstitutionDetails(
                    name=f"广州启航职业培训学校{number}",
                    uscc=uscc_for(number),
                    kind="private_school",
                    address="广州市测试路1号",
                    region_code=county,
                    contact_name="陈老师",
                    contact_phone="020-0000000",
                ),
                by=None,
            )
            change_accreditation(session, institution_id=institution.id, to="accredited", reason="bench", by=None)
            set_registered_scope(session, institution_id=institution.id, scope=[OCCUPATION], by=None)
            staff = Principal(Role.INSTITUTION_STAFF, 1, institution_id=institution.id)
            course = publish_course(
                session,
                details=CourseDetails(
                    institution_id=institution.id,
                    occupation_code=OCCUPATION[0],
                    level=OCCUPATION[1],
                    title="养老护理员（四级）周末班",
                    description="理论与实操",
                    hours=6,
                    price_fen=200_000,
                    mode="in_person",
                    address="广州市测试路1号",
                    region_code=county,
                    capacity=capacity,
                ),
                today=today,
                by=staff,
            )
            _, key = create_api_key(session, institution_id=institution.id, name="教务系统", by=staff, now=utc_now())
            for _ in range(min(CLASSES_PER_INSTITUTION, count - len(class_ids))):
                plan = ClassPlan(
                    course.id,
                    start,
                    start + timedelta(days=5),
                    capacity,
                    "第三方评价",
                    [SessionPlan(at, at + timedelta(hours=3), "理论", "301")],
                    [Teacher("王老师", "技师")],
                )
                applied = apply_for_class(session, plan=plan, today=today, by=staff)
                decide_class(session, class_id=applied.id, approve=True, by=OFFICER)
                class_ids.append(applied.id)
                key_of_class[applied.id] = key
        number += 1
    return class_ids, key_of_class


def build_world(runtime: Runtime, *, per_phase: int, phases: list[int], per_worker: int, capacity: int) -> list[Phase]:
    today = runtime.clock.now().date()
    with runtime.uow.begin() as session:
        set_demand_entry(
            session,
            terms=DemandTerms(PROVINCE, OCCUPATION[0], OCCUPATION[1], 150_000, 120, today - timedelta(days=30)),
            by=None,
        )
        policies = [
            define_policy(
                session,
                terms=PolicyTerms(
                    name=f"广东省职业技能培训券（第{i + 1}批）",
                    kind=PolicyKind.FACE_VALUE,
                    region_code=PROVINCE,
                    funding_source="就业补助资金",
                    opens_on=today,
                    closes_on=today + timedelta(days=180),
                    value=FixedValue(FACE_VALUE_FEN),
                    validity=Validity(until=today + timedelta(days=365)),
                    once_per_occupation_level=False,
                    claimable=True,
                ),
                today=today,
                by=OFFICER,
            ).id
            for i in range(per_worker)
        ]
    workers = -(-per_phase // per_worker)
    wanted = workers * len(phases)
    result = generate_demo_persons(
        runtime.uow,
        runtime.cipher,
        count=wanted * 2,  # some are of an age the policies do not admit
        today=today,
        actor=Actor.system("bench"),
        seed=SEED,
        within=PROVINCE,
    )
    if result.added < wanted:
        raise SystemExit(f"the demo generator made {result}")
    with runtime.uow.read() as session:
        candidates = list(session.scalars(select(Person.id).order_by(Person.id)))
    holders: list[tuple[int, list[tuple[int, str]]]] = []  # person, [(voucher id, code)] one per policy
    for person_id in candidates:
        if len(holders) == wanted:
            break
        worker = Principal(Role.WORKER, person_id)
        try:
            with runtime.uow.begin() as session:
                claimed = [
                    claim_from_policy(session, policy_id=p, person_id=person_id, today=today, by=worker)
                    for p in policies
                ]
                holders.append((person_id, [(v.id, v.code) for v in claimed]))
        except NotEligible:  # of an age the policy does not admit, say: the next person
            continue
    if len(holders) < wanted:
        raise SystemExit(f"only {len(holders)} of {wanted} persons could claim")
    out = []
    rng = random.Random(SEED)
    number = 1
    for p, server_workers in enumerate(phases):
        mine = holders[p * workers : (p + 1) * workers]
        classes = max(-(-per_phase // capacity), per_worker)  # a worker enrols in different classes
        class_ids, key_of = build_classes(runtime, classes, capacity, today, number)
        number += -(-classes // CLASSES_PER_INSTITUTION)
        seats = dict.fromkeys(class_ids, capacity)
        items: list[Item] = []
        pointer = 0
        for slot in range(per_worker):  # each worker's vouchers into different classes, classes filled evenly
            for w, (_, vouchers) in enumerate(mine):
                if len(items) == per_phase:
                    break
                used = {i.class_id for i in items if i.worker == w} if slot else set()
                for _ in range(len(class_ids)):
                    candidate = class_ids[pointer % len(class_ids)]
                    pointer += 1
                    if seats[candidate] and candidate not in used:
                        break
                else:
                    raise SystemExit("no class with a free seat left for a worker")
                seats[candidate] -= 1
                items.append(Item(w, vouchers[slot][1], candidate, key_of[candidate]))
        rng.shuffle(items)
        out.append(
            Phase(
                server_workers=server_workers,
                persons=[person for person, _ in mine],
                class_ids=class_ids,
                voucher_ids=[v for _, vs in mine for v, _ in vs],
                items=items,
                capacity=capacity,
            )
        )
    return out


# --- the server -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def uvicorn_server(environment: dict[str, str], workers: int, log: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "skillvoucher.web.app:create_app_from_environment",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with open(log, "ab") as out, tempfile.TemporaryDirectory() as cwd:  # no .env of the checkout
        process = subprocess.Popen(command, env=environment, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"uvicorn exited with {process.returncode}; see {log}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"uvicorn did not answer within 60 s; see {log}")
                time.sleep(0.2)
            yield base, process.pid
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class WorkerSession:
    cookie: str
    csrf: str


def session_csrf(cookie: str) -> str:
    """The CSRF token of a Starlette session cookie (signed base64 JSON, readable by its holder)."""
    payload = cookie.split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    token = data.get("csrf_token")
    assert isinstance(token, str), "no CSRF token in the session"
    return token


def sign_in(base: str, person_id: int) -> WorkerSession:
    """The e-SSC device flow over HTTP, as a browser and a phone do it."""
    with httpx.Client(base_url=base, timeout=60) as browser, httpx.Client(base_url=base, timeout=60) as phone:
        page = browser.get("/sign-in/worker")
        page.raise_for_status()
        code, link, token = _USER_CODE.search(page.text), _VERIFICATION.search(page.text), _CSRF_FIELD.search(page.text)
        assert code, "no user code on the sign-in page"
        assert link, "no verification link on the sign-in page"
        assert token, "no CSRF token on the sign-in page"
        confirm_page = phone.get(link.group(1).replace("&amp;", "&"))
        phone_token = _CSRF_FIELD.search(confirm_page.text)
        assert phone_token, "the phone page has no CSRF token"
        answered = phone.post(
            "/essc-emulator/device",
            data={
                "csrf_token": phone_token.group(1),
                "user_code": code.group(1),
                "holder": str(person_id),
                "pin": DEMO_PIN,
                "action": "pin",
            },
        )
        if answered.status_code != 200:
            raise RuntimeError(f"the phone's answer: {answered.status_code} {answered.text[:200]}")
        polled = browser.post("/sign-in/worker/poll", headers={"HX-Request": "true", "X-CSRF-Token": token.group(1)})
        if polled.headers.get("HX-Redirect") is None:
            raise RuntimeError(f"the poll did not sign in: {polled.status_code} {polled.text[:200]}")
        cookie = browser.cookies.get(SESSION_COOKIE)
        assert cookie, "no session cookie after signing in"
        home = browser.get("/me")  # where the poll sends the browser; its forms carry the new session's token
        found = _CSRF_FIELD.search(home.text)
        return WorkerSession(cookie, found.group(1) if found else session_csrf(cookie))


def sign_in_all(base: str, persons: list[int], clients: int) -> list[WorkerSession]:
    sessions: list[WorkerSession | None] = [None] * len(persons)
    errors: list[str] = []
    cursor = iter(range(len(persons)))
    lock = threading.Lock()

    def run() -> None:
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                return
            try:
                sessions[index] = sign_in(base, persons[index])
            except Exception as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} sign-ins failed, e.g. {errors[0]}")
    return [s for s in sessions if s is not None]


# --- measuring ------------------------------------------------------------------------------------------------------


def cpu_seconds_of_tree(root: int) -> float:
    """utime + stime of a process and all its descendants (live ones), from /proc."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += times.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def machine_cpu() -> tuple[float, float]:
    """(busy, total) seconds of all CPUs, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


class ActivitySampler:
    """What the server's connections to the database are doing, every 50 ms (pg_stat_activity)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.samples = 0
        self.states: Counter[str] = Counter()
        self.lock_waits: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ActivitySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(plain_dsn(self.url), autocommit=True) as connection:
            name = make_url(self.url).database
            while not self._stop.wait(0.05):
                rows = connection.execute(
                    "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                    (name,),
                ).fetchall()
                self.samples += 1
                for state, wait_type, wait, query in rows:
                    what = describe(state, wait_type, wait)
                    self.states[what] += 1
                    if wait_type == "Lock":
                        self.lock_waits[f"{wait}: {' '.join(str(query).split())[:70]}"] += 1


def describe(state: str | None, wait_type: str | None, wait: str | None) -> str:
    if state == "active":
        return "running a statement (CPU)" if wait_type is None else f"active, waiting on {wait_type}:{wait}"
    if state == "idle in transaction":
        return "idle in transaction (the application's turn)"
    return str(state)


@dataclass
class Run:
    server_workers: int
    n: int
    sign_in_seconds: float
    workers: int = 0
    seconds: float = 0.0
    successes: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    verify_ms: list[float] = field(default_factory=list)
    confirm_ms: list[float] = field(default_factory=list)
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    machine_busy: float = 0.0
    machine_total: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0
    commits: int = 0
    activity: ActivitySampler | None = None
    checks: dict[str, int] = field(default_factory=dict)

    @property
    def tps(self) -> float:
        return self.successes / self.seconds if self.seconds else 0.0


def database_commits(url: str) -> int:
    with psycopg.connect(plain_dsn(url)) as connection:
        row = connection.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


def measure(url: str, base: str, server_pid: int, phase: Phase, sessions: list[WorkerSession], clients: int) -> Run:
    run = Run(server_workers=phase.server_workers, n=len(phase.items), sign_in_seconds=0.0)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    shares = [phase.items[i::clients] for i in range(clients)]

    def client(share: list[Item]) -> None:
        verify_ms, confirm_ms, errors, done = [], [], Counter[str](), 0
        with httpx.Client(base_url=base, timeout=120, headers={"Accept": "application/json"}) as http:
            http.get("/healthz")  # the keep-alive connection, before the start line
            barrier.wait()
            for item in share:
                started = time.perf_counter()
                verified = http.post(
                    f"/api/v1/classes/{item.class_id}/enrolments/verify",
                    json={"presented": item.code},
                    headers={"Authorization": f"Bearer {item.key}"},
                )
                verify_ms.append((time.perf_counter() - started) * 1000)
                if not verified.is_success:
                    errors[f"verify {verified.status_code} {verified.text[:120]}"] += 1
                    continue
                session = sessions[item.worker]
                started = time.perf_counter()
                confirmed = http.post(
                    f"/api/v1/me/enrolments/{verified.json()['enrolment_id']}/confirm",
                    headers={"Cookie": f"{SESSION_COOKIE}={session.cookie}", "X-CSRF-Token": session.csrf},
                )
                confirm_ms.append((time.perf_counter() - started) * 1000)
                if not confirmed.is_success or confirmed.json().get("state") != "enrolled":
                    errors[f"confirm {confirmed.status_code} {confirmed.text[:120]}"] += 1
                    continue
                done += 1
        with lock:
            run.verify_ms += verify_ms
            run.confirm_ms += confirm_ms
            run.errors += errors
            run.successes += done

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    commits = database_commits(url)
    run.load_before = os.getloadavg()[0]
    server_before, client_before, (busy_before, total_before) = (
        cpu_seconds_of_tree(server_pid),
        sum(os.times()[:2]),
        machine_cpu(),
    )
    with ActivitySampler(url) as sampler:
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        run.seconds = time.perf_counter() - started
    busy_after, total_after = machine_cpu()
    run.server_cpu = cpu_seconds_of_tree(server_pid) - server_before
    run.client_cpu = sum(os.times()[:2]) - client_before
    run.machine_busy, run.machine_total = busy_after - busy_before, total_after - total_before
    run.load_after = os.getloadavg()[0]
    run.commits = database_commits(url) - commits
    run.activity = sampler
    return run


def check(url: str, phase: Phase) -> dict[str, int]:
    with psycopg.connect(plain_dsn(url)) as connection:

        def one(query: str, *args: Any) -> int:
            row = connection.execute(query, args).fetchone()
            return int(row[0]) if row and row[0] is not None else 0

        return {
            "enrolled": one(
                "SELECT count(*) FROM enrolments WHERE state = 'enrolled' AND class_id = ANY(%s)", phase.class_ids
            ),
            "pending": one(
                "SELECT count(*) FROM enrolments WHERE state = 'pending' AND class_id = ANY(%s)", phase.class_ids
            ),
            "reserved": one(
                "SELECT count(*) FROM vouchers WHERE state = 'reserved' AND id = ANY(%s)", phase.voucher_ids
            ),
            "over_capacity": one(
                "SELECT count(*) FROM classes WHERE id = ANY(%s) AND enrolled_count > capacity", phase.class_ids
            ),
            "count_mismatch": one(
                "SELECT count(*) FROM classes c WHERE c.id = ANY(%s) AND c.enrolled_count <> "
                "(SELECT count(*) FROM enrolments e WHERE e.class_id = c.id AND e.state = 'enrolled')",
                phase.class_ids,
            ),
        }


# --- the reference --------------------------------------------------------------------------------------------------


@dataclass
class Pgbench:
    tps: float
    seconds: int
    load_before: float
    load_after: float
    output: str


def pgbench(server_url: str, clients: int, seconds: int) -> Pgbench:
    with scratch_database(server_url, "skillvoucher_bench_pgbench") as url:
        parts = make_url(url)
        environment = os.environ | ({"PGPASSWORD": parts.password} if parts.password else {})
        target = [
            "-h",
            parts.host or "127.0.0.1",
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "postgres",
        ]
        assert parts.database
        subprocess.run(
            [PGBENCH, "-i", "-s", "10", "-q", *target, parts.database],
            env=environment,
            check=True,
            capture_output=True,
        )
        load_before = os.getloadavg()[0]
        done = subprocess.run(
            [PGBENCH, "-c", str(clients), "-j", "2", "-T", str(seconds), "-M", "prepared", *target, parts.database],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        found = _TPS.search(done.stdout)
        if not found:
            raise SystemExit(f"no tps in pgbench's output:\n{done.stdout}\n{done.stderr}")
        return Pgbench(float(found.group(1)), seconds, load_before, os.getloadavg()[0], done.stdout)


# --- main -----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enrolments", type=int, default=4000, help="enrolments per server configuration")
    parser.add_argument("--small", action="store_true", help="200 enrolments, pgbench -T 5 (a quick check)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SKILLVOUCHER_BENCH_POSTGRES_URL", DEFAULT_URL),
        help="the PostgreSQL server (scratch databases are made and dropped there)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent client threads (and pgbench -c)")
    parser.add_argument("--server-workers", default="1,2", help="uvicorn --workers to try, comma-separated")
    parser.add_argument("--vouchers-per-worker", type=int, default=4, help="claimable policies: enrolments per worker")
    parser.add_argument("--capacity", type=int, default=50, help="seats per class")
    parser.add_argument("--pgbench-seconds", type=int, default=30)
    args = parser.parse_args()
    count = 200 if args.small else args.enrolments
    pgbench_seconds = 5 if args.small else args.pgbench_seconds
    configurations = [int(w) for w in args.server_workers.split(",")]

    runs: list[Run] = []
    with scratch_database(args.database_url, "skillvoucher_bench_enrolment", keep=args.keep) as url:
        settings = settings_for(url)
        runtime = build_runtime(settings)
        try:
            upgrade(runtime.engine)
            with runtime.uow.begin() as session:
                load_reference_data(session, actor=Actor.system("bench"))
            started = time.perf_counter()
            phases = build_world(
                runtime,
                per_phase=count,
                phases=configurations,
                per_worker=args.vouchers_per_worker,
                capacity=args.capacity,
            )
            build_seconds = time.perf_counter() - started
        finally:
            runtime.close()
        with psycopg.connect(plain_dsn(url), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
            shared_buffers = str((connection.execute("SHOW shared_buffers").fetchone() or ["?"])[0])
            server_version = str((connection.execute("SHOW server_version").fetchone() or ["?"])[0])
        environment = server_environment(settings, url)
        log = Path(tempfile.gettempdir()) / f"bench_enrolment_uvicorn_{os.getpid()}.log"
        for phase in phases:
            with uvicorn_server(environment, phase.server_workers, log) as (base, pid):
                started = time.perf_counter()
                sessions = sign_in_all(base, phase.persons, args.clients)
                sign_in_seconds = time.perf_counter() - started
                run = measure(url, base, pid, phase, sessions, args.clients)
                run.sign_in_seconds, run.workers = sign_in_seconds, len(sessions)
            run.checks = check(url, phase)
            runs.append(run)
            print(f"… {phase.server_workers} server worker(s): {run.tps:.1f} enrolments/s", file=sys.stderr)
        reference = pgbench(args.database_url, args.clients, pgbench_seconds)
    report(runs, reference, args.clients, build_seconds, shared_buffers, server_version, args.vouchers_per_worker)
    problems = [
        f"{r.server_workers} worker(s): {problem}"
        for r in runs
        for problem in ([f"{sum(r.errors.values())} errors"] if r.errors else [])
        + (
            [f"enrolled {r.checks['enrolled']} ≠ successes {r.successes}"]
            if r.checks["enrolled"] != r.successes
            else []
        )
        + (
            [f"reserved {r.checks['reserved']} ≠ successes {r.successes}"]
            if r.checks["reserved"] != r.successes
            else []
        )
        + ([f"{r.checks['over_capacity']} classes over capacity"] if r.checks["over_capacity"] else [])
        + ([f"{r.checks['count_mismatch']} enrolled_count mismatches"] if r.checks["count_mismatch"] else [])
    ]
    log.unlink(missing_ok=True)
    if problems:
        print("FAILED: " + "; ".join(problems), file=sys.stderr)
        raise SystemExit(1)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def report(
    runs: list[Run],
    reference: Pgbench,
    clients: int,
    build_seconds: float,
    shared_buffers: str,
    server_version: str,
    per_worker: int,
) -> None:
    best = max(runs, key=lambda r: r.tps)
    lines: list[tuple[str, str]] = [
        ("prepared through the actions in", f"{build_seconds:.1f} s ({per_worker} vouchers per worker)"),
        ("machine", f"{os.cpu_count()} CPUs; PostgreSQL {server_version}, shared_buffers {shared_buffers}"),
    ]
    for r in runs:
        e = r.successes or 1
        lines += [
            (
                f"uvicorn --workers {r.server_workers}",
                f"{r.tps:.1f} enrolments/s  ({r.successes} in {r.seconds:.2f} s)",
            ),
            ("  sign-ins over HTTP (not timed)", f"{r.workers} workers in {r.sign_in_seconds:.1f} s"),
            ("  errors", ", ".join(f"{n}× {what}" for what, n in r.errors.most_common(3)) or "none"),
            (
                "  verify p50 / p95 / max",
                f"{percentile(r.verify_ms, 0.5):.0f} / {percentile(r.verify_ms, 0.95):.0f} / "
                f"{max(r.verify_ms, default=0):.0f} ms",
            ),
            (
                "  confirm p50 / p95 / max",
                f"{percentile(r.confirm_ms, 0.5):.0f} / {percentile(r.confirm_ms, 0.95):.0f} / "
                f"{max(r.confirm_ms, default=0):.0f} ms",
            ),
            (
                "  CPU per enrolment",
                f"uvicorn {r.server_cpu / e * 1000:.1f} ms, clients {r.client_cpu / e * 1000:.1f} ms, "
                f"rest of the machine (PostgreSQL, others) "
                f"{(r.machine_busy - r.server_cpu - r.client_cpu) / e * 1000:.1f} ms",
            ),
            (
                "  machine busy",
                f"{r.machine_busy / r.machine_total * 100 if r.machine_total else 0:.0f} % of "
                f"{os.cpu_count()} CPUs; load average {r.load_before:.2f} → {r.load_after:.2f}",
            ),
            ("  database commits per enrolment", f"{r.commits / e:.1f}"),
            (
                "  checks",
                f"enrolled {r.checks['enrolled']}, reserved {r.checks['reserved']}, pending left "
                f"{r.checks['pending']}, classes over capacity {r.checks['over_capacity']}, "
                f"enrolled_count mismatches {r.checks['count_mismatch']}",
            ),
        ]
        if r.activity is not None and r.activity.samples:
            s = r.activity
            connections = sum(s.states.values()) / s.samples
            lines.append(("  server connections (mean)", f"{connections:.1f}, by what they were doing:"))
            lines += [("", f"  {n / s.samples:4.1f}  {what}") for what, n in s.states.most_common(6)]
            lines += [
                ("  waiting for a lock", f"  {n / s.samples:4.1f}  {what}") for what, n in s.lock_waits.most_common(4)
            ]
    lines += [
        (
            f"pgbench TPC-B -c {clients} -j 2 -T {reference.seconds}",
            f"{reference.tps:.1f} tps (scale 10; load average "
            f"{reference.load_before:.2f} → {reference.load_after:.2f})",
        ),
        (
            f"ratio, best (goal ≥ {GOAL})",
            f"{best.tps / reference.tps:.3f} ×  (uvicorn --workers {best.server_workers})",
        ),
    ]
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    print(
        json.dumps(
            {
                "bench": "enrolment",
                "n": best.successes,
                "seconds": round(best.seconds, 2),
                "tps": round(best.tps, 1),
                "reference": f"pgbench TPC-B -c {clients}",
                "reference_tps": round(reference.tps, 1),
                "ratio": round(best.tps / reference.tps, 3),
                "goal": GOAL,
                "clients": clients,
                "server_workers": best.server_workers,
                "errors": sum(best.errors.values()),
                "tps_by_server_workers": {str(r.server_workers): round(r.tps, 1) for r in runs},
                "load_average": round(best.load_after, 2),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
