"""Engines for both databases. SQLite gets WAL, foreign keys and write transactions that start immediately."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, any_, create_engine, event, literal
from sqlalchemy.engine import make_url


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def is_postgres(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "postgresql"


def normalize_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and always use the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_db_engine(url: str, **options: Any) -> Engine:
    url = normalize_url(url)
    if is_sqlite(url):
        engine = create_engine(url, **options)
        _configure_sqlite(engine)
        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", 10)
    options.setdefault("max_overflow", 20)
    return create_engine(url, **options)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions start (so BEGIN IMMEDIATE works).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock at the start: a read-then-write transaction can never fail half-way
        # with SQLITE_BUSY when another writer committed in between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _skipping_insert(session_or_connection: Any, table: Any) -> Any:
    """This database's INSERT … ON CONFLICT DO NOTHING: the constraint decides, not a prior SELECT."""
    bind = session_or_connection.get_bind() if hasattr(session_or_connection, "get_bind") else session_or_connection
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def insert_ignoring_conflicts(session_or_connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows a unique constraint does not already hold, on either database."""
    if rows:
        session_or_connection.execute(_skipping_insert(session_or_connection, table), rows)


def insert_or_skip(session_or_connection: Any, table: Any, columns: list[str], select: Any) -> Any:
    """INSERT … SELECT … ON CONFLICT DO NOTHING on either database (the statement, to execute)."""
    return _skipping_insert(session_or_connection, table).from_select(columns, select)


def upsert_adding(session_or_connection: Any, table: Any, key: list[str], rows: list[dict[str, Any]]) -> None:
    """Insert the rows; where the key already exists, add each non-key value to the stored one (counters)."""
    if not rows:
        return
    bind = session_or_connection.get_bind() if hasattr(session_or_connection, "get_bind") else session_or_connection
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    statement = dialect_insert(table)
    added = {name: table.c[name] + statement.excluded[name] for name in rows[0] if name not in key}
    session_or_connection.execute(statement.on_conflict_do_update(index_elements=key, set_=added), rows)


def among(session_or_connection: Any, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values` for a long list: on PostgreSQL `= ANY(array)`, one parameter, so the statement's text is
    the same for any number of values and neither the driver nor the server parses and plans it anew each time."""
    bind = session_or_connection.get_bind() if hasattr(session_or_connection, "get_bind") else session_or_connection
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(literal(list(values), ARRAY(column.type)))
    return column.in_(list(values))
