"""First start: bring the database to the newest schema, load reference data, and (in development or demo mode)
a small demo data set once. Safe to run at every start."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import exists, select

from skillvoucher.app import Runtime
from skillvoucher.audit import AuditEvent, record
from skillvoucher.catalog import load_reference_data
from skillvoucher.core import Actor
from skillvoucher.db.migrate import upgrade
from skillvoucher.demo import generate_demo_persons

DEMO_PERSONS = 200
DEMO_LOADED = "demo.loaded"


def prepare(runtime: Runtime, *, echo: Callable[[str], None] = lambda line: None) -> None:
    actor = Actor.system("bootstrap")
    upgrade(runtime.engine)
    with runtime.uow.begin() as session:
        counts = load_reference_data(session, actor=actor)
    if counts.added:
        echo(f"loaded reference data: {counts.regions} regions, {counts.occupations} occupations")
    if runtime.settings.is_development and runtime.settings.load_demo_data and not demo_loaded(runtime):
        result = generate_demo_persons(
            runtime.uow, runtime.cipher, count=DEMO_PERSONS, today=runtime.clock.now().date(), actor=actor
        )
        with runtime.uow.begin() as session:
            record(
                session,
                actor=actor,
                action=DEMO_LOADED,
                subject_type="demo",
                subject_id="persons",
                data={"persons": result.added},
            )
        echo(f"loaded the demo data set: {result.added} persons")


def demo_loaded(runtime: Runtime) -> bool:
    with runtime.uow.read() as session:
        return bool(session.scalar(select(exists().where(AuditEvent.action == DEMO_LOADED))))
