"""First start: bring the database to the newest schema, load reference data, and (in development or demo mode)
a small demo data set once: persons in Fujian and one staff account of every role. Safe to run at every start."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import exists, select

from skillvoucher.app import Runtime
from skillvoucher.audit import AuditEvent, record
from skillvoucher.catalog import load_reference_data
from skillvoucher.core import Actor
from skillvoucher.db.migrate import upgrade
from skillvoucher.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_REGION,
    create_demo_accounts,
    generate_demo_catalogue,
    generate_demo_persons,
    generate_demo_vouchers,
)
from skillvoucher.identity import list_persons
from skillvoucher.reporting import rebuild, rollups_missing
from skillvoucher.vouchers import active_key

DEMO_PERSONS = 200
DEMO_INSTITUTIONS = 4  # with 3 courses each: first start stays fast
DEMO_LOADED = "demo.loaded"


def prepare(runtime: Runtime, *, echo: Callable[[str], None] = lambda line: None) -> None:
    actor = Actor.system("bootstrap")
    upgrade(runtime.engine)
    with runtime.uow.begin() as session:
        counts = load_reference_data(session, actor=actor)
    if counts.added:
        echo(f"loaded reference data: {counts.regions} regions, {counts.occupations} occupations")
    with runtime.uow.begin() as session:
        # Publish a voucher signing key before the first QR code is shown, so an institution that fetched the key
        # set early (and caches it) can verify that code offline.
        active_key(session, runtime.cipher, now=runtime.clock.now())
    with runtime.uow.begin() as session:
        if rollups_missing(session):  # vouchers from before the statistics existed: count them once
            echo(f"statistics rollups rebuilt: {rebuild(session)} cells")
    settings = runtime.settings
    if not (settings.is_development and settings.load_demo_data):
        return
    if not demo_loaded(runtime):
        result = generate_demo_persons(
            runtime.uow,
            runtime.cipher,
            count=DEMO_PERSONS,
            today=runtime.clock.now().date(),
            actor=actor,
            within=DEMO_REGION,
        )
        catalogue = generate_demo_catalogue(
            runtime.uow,
            institutions=DEMO_INSTITUTIONS,
            courses_per_institution=3,
            today=runtime.clock.now().date(),
            within=DEMO_REGION,
        )
        vouchers = generate_demo_vouchers(runtime.uow, today=runtime.clock.now().date(), region_code=DEMO_REGION)
        with runtime.uow.begin() as session:
            accounts = create_demo_accounts(session, runtime.cipher)
            record(
                session,
                actor=actor,
                action=DEMO_LOADED,
                subject_type="demo",
                subject_id="first-start",
                data={
                    "persons": result.added,
                    "accounts": accounts,
                    "courses": catalogue.courses,
                    "vouchers": vouchers.issued,
                },
            )
        echo(
            f"loaded the demo data set: {result.added} persons in Fujian, {len(accounts)} staff accounts, "
            f"{catalogue.institutions} institutions with {catalogue.courses} courses, "
            f"{vouchers.policies} voucher policies with {vouchers.issued} vouchers issued"
        )
    explain_demo_sign_in(runtime, echo)


def demo_loaded(runtime: Runtime) -> bool:
    with runtime.uow.read() as session:
        return bool(session.scalar(select(exists().where(AuditEvent.action == DEMO_LOADED))))


def explain_demo_sign_in(runtime: Runtime, echo: Callable[[str], None]) -> None:
    """How to sign in as each demo role, and which workers the e-SSC emulator can sign in (development only)."""
    echo(f"demo staff accounts (password {DEMO_PASSWORD}; second-factor codes: `skillvoucher demo totp USERNAME`):")
    for demo in DEMO_ACCOUNTS:
        scope = demo.binding.region_code or "all regions"
        echo(f"  {demo.username:<16} {demo.binding.role.value:<18} {scope}  {demo.display_name}")
    with runtime.uow.read() as session:
        workers = list_persons(session, cipher=runtime.cipher, limit=3)
    if workers:
        names = ", ".join(f"{w.name} ({w.id_number_masked})" for w in workers)
        echo(f"demo workers sign in through the e-SSC emulator (PIN 123456), e.g. {names}")
