"""The unit of work: the only place that commits. Entry points (requests, CLI commands, job chunks) own it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


class UnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: commits when the block ends normally, rolls back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only use: whatever happens, nothing is committed."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()
