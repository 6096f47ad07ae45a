"""Storage plumbing shared by every domain: declarative base, engines, the unit of work, migrations."""

from skillvoucher.db.base import Base
from skillvoucher.db.engine import among, create_db_engine, insert_or_skip, is_postgres, is_sqlite, upsert_adding
from skillvoucher.db.uow import UnitOfWork

__all__ = [
    "Base",
    "UnitOfWork",
    "among",
    "create_db_engine",
    "insert_or_skip",
    "is_postgres",
    "is_sqlite",
    "upsert_adding",
]
