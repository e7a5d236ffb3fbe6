"""Tables of the cache database and the start-up check that creates or upgrades them.

Imported only when a cache is opened: it pulls in SQLAlchemy. Each step in :data:`_MIGRATIONS`
moves the file up one version (:func:`~logai.sqlite_store.schema.upgrade_schema`). Small columns
come before ``payload`` on purpose: SQLite reads a row's columns in order, so expiry and LRU
scans never touch the payload's overflow pages.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, LargeBinary, MetaData, String, Table

from logai.sqlite_store.schema import Migration, SchemaTooNew, SchemaVersion

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

_VERSIONING = SchemaVersion(
    metadata, kind="cache", remedy="run `logai cache clear` or point LOGAI_CACHE_DIR elsewhere"
)
schema_version = _VERSIONING.table

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


def _create_v1(connection: Connection) -> None:
    for table in (entries, counters):
        table.create(connection, checkfirst=True)


#: Step n creates version n from version n - 1.
_MIGRATIONS: dict[int, Migration] = {1: _create_v1}


def prepare_schema(connection: Connection) -> int:
    """Create or upgrade the schema in the caller's (write) transaction; return the version."""
    return _VERSIONING.upgrade(connection, latest=SCHEMA_VERSION, migrations=_MIGRATIONS)
