"""Benchmark: public course search over N courses on PostgreSQL, against a plain indexed lookup.

    .venv/bin/python bench/course_search.py                 # 50,000 courses, a fresh database dropped after
    .venv/bin/python bench/course_search.py --small         # 5,000 courses
    .venv/bin/python bench/course_search.py --database-url postgresql://…   # an existing, empty database

The data is made through the product's actions: institutions registered, accredited (a few suspended) and given a
registered scope; a province-level demand catalogue; courses published; classes applied for and approved (some
courses have open enrolment instead). Then a mix of realistic searches runs through `training.search_courses`, the
function the API calls: pinyin initials, full pinyin and Chinese keywords, region (province, city, county),
occupation and level, price ranges, start dates, sorted by start, price and distance, pages 1-3.
The reference, timed in the same run on the same server: the first page of courses of one county by the plain
index on (status, region_code), no joins.

Prints a table, then exactly one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg
from pydantic import SecretStr
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from skillvoucher.app import build_runtime
from skillvoucher.catalog import OCCUPATION_EDITION, Occupation, load_reference_data
from skillvoucher.catalog.reference import regions
from skillvoucher.core import Actor
from skillvoucher.db import UnitOfWork
from skillvoucher.db.migrate import upgrade
from skillvoucher.settings import Settings, new_key
from skillvoucher.training import (
    ClassPlan,
    CourseDetails,
    CourseQuery,
    DemandTerms,
    InstitutionDetails,
    SessionPlan,
    Teacher,
    apply_for_class,
    change_accreditation,
    decide_class,
    publish_course,
    register_institution,
    search_courses,
    set_demand_entry,
    set_registered_scope,
)

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TODAY = date(2026, 12, 1)
COURSES_PER_INSTITUTION = 25
OCCUPATIONS = 40
SEARCHES = 400
NAMES = ("鹭岛", "闽南", "海峡", "东方", "华夏", "育才", "启航", "远航", "金桥", "新星", "红星", "长城", "德馨")
KINDS = ("职业培训学校", "职业技能培训中心", "技工学校", "培训学院")
MODES = ("in_person", "in_person", "mixed", "online")


def plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    name = f"skillvoucher_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(plain_dsn(admin_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(plain_dsn(admin_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def uscc_for(number: int, county: str) -> str:
    from stdnum.cn import uscc

    body = f"52{county}MJ{number:07d}"
    return body + uscc.calc_check_digit(body)


@dataclass
class World:
    counties: list[str]
    occupations: list[tuple[str, str]]  # code, name


def build(uow: UnitOfWork, count: int, rng: random.Random) -> World:
    """Everything through the actions, one transaction per institution."""
    counties = [r.code for r in regions() if r.level == "county"]
    with uow.begin() as session:
        occupations = [
            (o.code, o.name)
            for o in session.scalars(
                select(Occupation).where(Occupation.edition == OCCUPATION_EDITION, Occupation.tier == 4)
            )
        ]
        rng.shuffle(occupations)
        occupations = occupations[:OCCUPATIONS]
        provinces = sorted({r.code for r in regions() if r.level == "province"})
        for province in provinces:
            for code, _ in occupations:
                for level in range(1, 6):
                    standard = (70_000, 100_000, 150_000, 200_000, 300_000)[5 - level]
                    flag = rng.choice(("none", "none", "shortage", "key"))
                    set_demand_entry(
                        session,
                        terms=DemandTerms(
                            province,
                            code,
                            level,
                            standard,
                            40 + 20 * (5 - level),
                            date(2026, 1, 1),
                            flag=flag,
                            uplift_percent={"none": 0, "shortage": 20, "key": 30}[flag],
                        ),
                        by=None,
                    )
    institutions = -(-count // COURSES_PER_INSTITUTION)
    made = 0
    for number in range(institutions):
        county = rng.choice(counties)
        scope = [(code, level) for code, _ in rng.sample(occupations, 4) for level in (3, 4, 5)]
        with uow.begin() as session:
            institution = register_institution(
                session,
                details=InstitutionDetails(
                    name=f"{rng.choice(NAMES)}{rng.choice(NAMES)}{rng.choice(KINDS)}{number}",
                    uscc=uscc_for(number, county),
                    kind="private_school",
                    address="测试路1号",
                    region_code=county,
                    contact_name="联系人",
                    contact_phone="0592-0000000",
                ),
                by=None,
            )
            change_accreditation(session, institution_id=institution.id, to="accredited", reason="bench", by=None)
            set_registered_scope(session, institution_id=institution.id, scope=scope, by=None)
            for _ in range(min(COURSES_PER_INSTITUTION, count - made)):
                code, level = rng.choice(scope)
                name = dict(occupations)[code]
                course = publish_course(
                    session,
                    details=CourseDetails(
                        institution_id=institution.id,
                        occupation_code=code,
                        level=level,
                        title=f"{name}（{level}级）{rng.choice(('周末班', '晚班', '脱产班', '提升班'))}",
                        description="理论与实操",
                        hours=rng.choice((40, 60, 80, 120)),
                        price_fen=rng.randrange(50_000, 400_000, 1_000),
                        mode=rng.choice(MODES),
                        address="测试路1号",
                        region_code=county,
                        capacity=rng.choice((30, 40, 50)),
                        open_enrolment=rng.random() < 0.2,
                    ),
                    today=TODAY,
                    by=None,
                )
                made += 1
                if rng.random() < 0.8:
                    start = TODAY + timedelta(days=rng.randrange(1, 240))
                    at = datetime(start.year, start.month, start.day, 1, tzinfo=UTC)
                    applied = apply_for_class(
                        session,
                        plan=ClassPlan(
                            course.id,
                            start,
                            start + timedelta(days=30),
                            30,
                            "第三方评价",
                            [SessionPlan(at, at + timedelta(hours=3), "理论", "教室")],
                            [Teacher("王老师", "高级技师")],
                        ),
                        today=TODAY,
                        by=None,
                    )
                    decide_class(session, class_id=applied.id, approve=rng.random() < 0.9, reason="材料不全", by=None)
            if number % 20 == 19:
                change_accreditation(
                    session, institution_id=institution.id, to="payments_suspended", reason="bench", by=None
                )
    return World(counties, occupations)


MIX = (
    "initials, nationwide",
    "full pinyin, province",
    "Chinese, city, by price",
    "county, by distance",
    "occupation + level, by distance",
    "price + start dates, province",
    "initials + mode, page 2",
    "everything, page 3, by start",
)


def queries(world: World, rng: random.Random) -> list[CourseQuery]:
    """SEARCHES queries; query i is of the kind MIX[i % len(MIX)]."""
    mix: list[CourseQuery] = []
    for i in range(SEARCHES):
        county = rng.choice(world.counties)
        code, name = rng.choice(world.occupations)
        from pypinyin import Style, lazy_pinyin

        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
        kind = i % 8
        if kind == 0:
            mix.append(CourseQuery(keyword=initials))
        elif kind == 1:
            mix.append(CourseQuery(keyword="".join(lazy_pinyin(name)), region_code=county[:2] + "0000"))
        elif kind == 2:
            mix.append(CourseQuery(keyword=name[:3], region_code=county[:4] + "00", sort="price"))
        elif kind == 3:
            mix.append(CourseQuery(region_code=county, sort="distance", near_region=county))
        elif kind == 4:
            mix.append(
                CourseQuery(occupation_code=code, level=rng.choice((3, 4, 5)), sort="distance", near_region=county)
            )
        elif kind == 5:
            mix.append(
                CourseQuery(
                    price_min_fen=100_000,
                    price_max_fen=200_000,
                    region_code=county[:2] + "0000",
                    start_from=TODAY,
                    start_to=TODAY + timedelta(days=60),
                )
            )
        elif kind == 6:
            mix.append(CourseQuery(keyword=initials, mode="in_person", page=2))
        else:
            mix.append(CourseQuery(page=3, sort="start"))
    return mix


def timed(run: Callable[[], object], times: int) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        out.append(time.perf_counter() - started)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def run(url: str, count: int) -> dict[str, object]:
    settings = Settings(
        mode="development",
        database_url=url,
        pii_key=SecretStr(new_key()),
        lookup_key=SecretStr(new_key()),
        session_secret=SecretStr(new_key()),
        load_demo_data=False,
    )
    runtime = build_runtime(settings)
    try:
        upgrade(runtime.engine)
        with runtime.uow.begin() as session:
            load_reference_data(session, actor=Actor.system("bench"))
        rng = random.Random(20201216)
        started = time.perf_counter()
        world = build(runtime.uow, count, rng)
        setup = time.perf_counter() - started
        with runtime.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        mix = queries(world, rng)
        with runtime.uow.read() as session:
            for query in mix[:50]:  # warm the caches as a running server would be
                search_courses(session, query, today=TODAY)
            search = []
            hits = 0
            for query in mix:
                started = time.perf_counter()
                page = search_courses(session, query, today=TODAY)
                search.append(time.perf_counter() - started)
                hits += len(page.items)
            counties = iter(world.counties * 2)
            reference = timed(
                lambda: session.execute(
                    text(
                        "SELECT id, title, price_fen FROM courses WHERE status = 'published' AND region_code = :r "
                        "ORDER BY id LIMIT 20"
                    ),
                    {"r": next(counties)},
                ).all(),
                SEARCHES,
            )
            total = session.scalar(text("SELECT count(*) FROM courses"))
    finally:
        runtime.close()
    return {
        "n": total,
        "setup": setup,
        "search": search,
        "reference": reference,
        "hits": hits,
        "searches": len(mix),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--courses", type=int, default=50_000)
    parser.add_argument("--small", action="store_true", help="5,000 courses (a quick check)")
    parser.add_argument("--database-url", help="an existing empty PostgreSQL database (default: a fresh one)")
    parser.add_argument("--admin-url", default=ADMIN_URL, help="where to create the fresh database")
    args = parser.parse_args()
    count = 5_000 if args.small else args.courses
    if args.database_url:
        figures = run(args.database_url, count)
    else:
        with fresh_database(args.admin_url) as url:
            figures = run(url, count)
    report(figures)


def report(f: dict[str, object]) -> None:
    search, reference = f["search"], f["reference"]
    assert isinstance(search, list)
    assert isinstance(reference, list)
    p50, p95 = percentile(search, 0.5) * 1000, percentile(search, 0.95) * 1000
    r95 = percentile(reference, 0.95) * 1000
    per_kind = [
        (f"  p95 {name}", f"{percentile(search[k :: len(MIX)], 0.95) * 1000:.1f} ms") for k, name in enumerate(MIX)
    ]
    lines = [
        ("courses", f"{f['n']:,}"),
        ("made through the actions in", f"{f['setup']:.1f} s"),
        ("searches", f"{f['searches']} (mean {statistics.mean(search) * 1000:.1f} ms, {f['hits']} hits in all)"),
        ("search p50 / p95 / max", f"{p50:.1f} / {p95:.1f} / {max(search) * 1000:.1f} ms  (goal p95 < 100 ms)"),
        *per_kind,
        ("reference p50 / p95", f"{percentile(reference, 0.5) * 1000:.2f} / {r95:.2f} ms  (indexed county lookup)"),
        ("ratio p95", f"{p95 / r95:.1f} ×"),
    ]
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {value}")
    print(
        json.dumps(
            {
                "bench": "course_search",
                "n": f["n"],
                "seconds": round(p95 / 1000, 4),
                "reference": "first page of one county's courses by the (status, region_code) index",
                "reference_seconds": round(r95 / 1000, 5),
                "ratio": round(p95 / r95, 1),
                "goal": 100,
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
