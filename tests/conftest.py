"""Test harness: every integration test runs on SQLite and on a real PostgreSQL server.

PostgreSQL comes from SKILLVOUCHER_TEST_POSTGRES_URL or the server on 127.0.0.1:5432 (user postgres). Each test run
creates its own database and drops it at the end. When no server answers, PostgreSQL tests are skipped and the
reason is printed in the summary.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from skillvoucher.app import Runtime, build_runtime
from skillvoucher.catalog import load_reference_data
from skillvoucher.core import Actor
from skillvoucher.db import create_db_engine, is_postgres
from skillvoucher.db.migrate import upgrade
from skillvoucher.identity.pii import PiiCipher
from skillvoucher.logging import configure_logging
from skillvoucher.settings import Settings, new_key

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = ["sqlite", "postgresql"]
# Tables that tests fill; reference data (regions, occupations, skill levels) stays loaded for the whole run.
REFERENCE_TABLES = {"regions", "occupations", "skill_levels", "alembic_version"}


def postgres_admin_url() -> str:
    return os.environ.get("SKILLVOUCHER_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def pytest_configure(config: pytest.Config) -> None:
    # The product's logging (masked, plain tracebacks): structlog's default would print local variables.
    configure_logging("console")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgres_only` tests race real connections, which SQLite runs one writer at a time by design: their SQLite
    instances are deselected (not skipped: nothing is hidden, there is nothing to run)."""
    sqlite_runs = [item for item in items if item.get_closest_marker("postgres_only") and _on_sqlite(item)]
    if sqlite_runs:
        config.hook.pytest_deselected(items=sqlite_runs)
        deselected = {id(item) for item in sqlite_runs}
        items[:] = [item for item in items if id(item) not in deselected]


def _on_sqlite(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("database_url") == "sqlite"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    admin = postgres_admin_url()
    try:
        connection = psycopg.connect(_plain_dsn(admin), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        if os.environ.get("SKILLVOUCHER_REQUIRE_POSTGRES") == "1":  # CI: a missing server is a failure
            pytest.fail(f"PostgreSQL required but not reachable: {reason}")
        pytest.skip(f"PostgreSQL not reachable at {make_url(admin).render_as_string()}: {reason}")
    name = f"skillvoucher_test_{os.getpid()}_{secrets.token_hex(3)}"
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_plain_dsn(admin), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database with reference data loaded."""
    engine = create_db_engine(database_url)
    upgrade(engine)
    from skillvoucher.db import UnitOfWork

    with UnitOfWork(engine).begin() as session:
        load_reference_data(session, actor=Actor.system("tests"))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (services may flush, never commit)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture(scope="session")
def cipher() -> PiiCipher:
    """Personal-data encryption with throwaway keys (for tests on the rolled-back `session`; never mix that
    fixture with `runtime`, whose clean-up would wait on the open transaction)."""
    return PiiCipher(encryption_key=os.urandom(32), lookup_key=os.urandom(32))


def settings_for_tests(data_dir: Path, database_url: str | None = None) -> Settings:
    return Settings(
        mode="development",
        data_dir=data_dir,
        database_url=database_url,
        pii_key=SecretStr(new_key()),
        lookup_key=SecretStr(new_key()),
        session_secret=SecretStr(new_key()),
        load_demo_data=False,
    )


@pytest.fixture
def runtime(engine: Engine, tmp_path: Path) -> Iterator[Runtime]:
    """The real runtime on the test database, for code that commits (imports, CLI, web).

    Everything but reference data is deleted afterwards, so tests stay independent.
    """
    current = build_runtime(
        settings_for_tests(tmp_path, engine.url.render_as_string(hide_password=False)), engine=engine
    )
    try:
        yield current
    finally:
        _delete_test_data(engine)


def _delete_test_data(engine: Engine) -> None:
    from skillvoucher.migrations.metadata import target_metadata

    tables = [t for t in reversed(target_metadata().sorted_tables) if t.name not in REFERENCE_TABLES]
    with engine.begin() as connection:
        connection.execute(text("UPDATE regions SET pilot = false WHERE pilot"))  # set by a test, kept by no other
        if is_postgres(engine):
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY"))
        else:
            for table in tables:
                connection.execute(table.delete())
