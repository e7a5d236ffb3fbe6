"""The SQLAlchemy async engine over aiosqlite, configured for several processes at once.

Imported only when a store (the log cache, the history) is opened. Every connection gets a busy
timeout and WAL mode (readers never block the writer), and every transaction starts with ``BEGIN
IMMEDIATE``: the sqlite3 driver's default deferred BEGIN would let two processes both read, then
both try to upgrade to a write lock, and one of them would fail at once with "database is locked"
instead of waiting. The driver's own transaction handling is switched off (``isolation_level =
None``) so that SQLAlchemy's BEGIN is the only one, the recipe SQLAlchemy documents for
pysqlite/aiosqlite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

__all__ = ["NO_BEGIN", "create_cache_engine"]

#: Execution option for statements that must run outside a transaction (VACUUM).
NO_BEGIN = "logai_no_begin"

#: The WAL file is truncated back to this size after a checkpoint (bytes).
_JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024


def create_cache_engine(path: Path, *, busy_timeout: float) -> AsyncEngine:
    """An engine for the database at ``path`` whose connections wait ``busy_timeout`` s on locks."""
    url = URL.create("sqlite+aiosqlite", database=str(path))
    engine = create_async_engine(
        url,
        connect_args={"timeout": busy_timeout},
        # SQLite has one writer; a few connections serve concurrent tool calls, more only queue.
        pool_size=2,
        max_overflow=6,
        pool_timeout=max(busy_timeout * 2, 5.0),
    )
    busy_ms = int(busy_timeout * 1000)

    @event.listens_for(engine.sync_engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA journal_size_limit = {_JOURNAL_SIZE_LIMIT}")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin_immediate(connection: Any) -> None:
        if not connection.get_execution_options().get(NO_BEGIN):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
