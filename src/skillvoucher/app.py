"""The composition root: turns settings into the running parts every entry point (web, CLI, jobs) shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from skillvoucher.core.clock import Clock, SystemClock
from skillvoucher.db import UnitOfWork, create_db_engine
from skillvoucher.identity import PiiCipher
from skillvoucher.settings import Settings, load_settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    uow: UnitOfWork
    cipher: PiiCipher
    clock: Clock = field(default_factory=SystemClock)

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings | None = None, *, engine: Engine | None = None) -> Runtime:
    settings = settings or load_settings()
    if engine is None:
        if settings.database_url is None:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_db_engine(settings.effective_database_url)
    keys = settings.keys
    return Runtime(
        settings=settings,
        engine=engine,
        uow=UnitOfWork(engine),
        cipher=PiiCipher(encryption_key=keys.pii_key, lookup_key=keys.lookup_key),
    )
