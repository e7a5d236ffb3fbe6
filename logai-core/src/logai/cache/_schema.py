"""Tables of the cache database and the start-up check that creates or upgrades them.

Imported only when a cache is opened: it pulls in SQLAlchemy. The schema version lives in its own
one-row table; each step in :data:`_MIGRATIONS` moves the file up one version inside the same
write transaction, so two LogAI processes starting together upgrade it exactly once. Small
columns come before ``payload`` on purpose: SQLite reads a row's columns in order, so expiry and
LRU scans never touch the payload's overflow pages.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    insert,
    inspect,
    select,
    update,
)

__all__ = [
    "SCHEMA_VERSION",
    "SchemaTooNew",
    "counters",
    "entries",
    "prepare_schema",
    "schema_version",
]

SCHEMA_VERSION = 1

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("key", String, primary_key=True),
    Column("source", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("size", Integer, nullable=False),
    Column("raw_size", Integer, nullable=False),
    Column("created_ms", Integer, nullable=False),
    Column("expires_ms", Integer, nullable=False),
    Column("accessed_ms", Integer, nullable=False),
    Column("hits", Integer, nullable=False, default=0),
    Column("meta", String, nullable=False, default="{}"),
    Column("payload", LargeBinary, nullable=False),
    Index("ix_entries_expires", "expires_ms"),
    # Covers the LRU running-total scan of evict(): no table lookups while deciding.
    Index("ix_entries_lru", "accessed_ms", "size"),
)

#: Persistent counters (``hits``, ``misses``) so ``logai cache status`` shows a real hit rate.
counters = Table(
    "counters",
    metadata,
    Column("name", String, primary_key=True),
    Column("value", Integer, nullable=False),
)


class SchemaTooNew(RuntimeError):
    """The file was written by a newer LogAI; it is left alone rather than downgraded."""


def _create_v1(connection: Connection) -> None:
    for table in (entries, counters):
        table.create(connection, checkfirst=True)


#: Step n creates version n from version n - 1.
_MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _create_v1}


def _current_version(connection: Connection) -> int:
    if not inspect(connection).has_table("schema_version"):
        return 0
    version = connection.execute(select(schema_version.c.version)).scalar()
    return int(version or 0)


def prepare_schema(connection: Connection) -> int:
    """Create or upgrade the schema in the caller's (write) transaction; return the version."""
    found = _current_version(connection)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the cache file was written by a newer LogAI (schema {found}, this one knows "
            f"{SCHEMA_VERSION}); run `logai cache clear` or point LOGAI_CACHE_DIR elsewhere"
        )
    if found == SCHEMA_VERSION:
        return found
    if found == 0:
        # A new file, or one whose version table exists but is empty or at 0: leave exactly
        # one row either way, so later updates have something to update.
        schema_version.create(connection, checkfirst=True)
        connection.execute(delete(schema_version))
        connection.execute(insert(schema_version).values(version=0))
    for target in range(found + 1, SCHEMA_VERSION + 1):
        _MIGRATIONS[target](connection)
        connection.execute(update(schema_version).values(version=target))
    return SCHEMA_VERSION
