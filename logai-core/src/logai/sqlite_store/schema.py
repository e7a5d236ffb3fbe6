"""The schema version every store's file carries, and moving a file up to the current one.

The version lives in its own one-row table; each migration step moves the file up one version
inside the caller's write transaction (``BEGIN IMMEDIATE``), so two LogAI processes starting
together upgrade it exactly once. A file from a newer LogAI is left alone rather than downgraded.
Imported only when a store is opened: it pulls in SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    delete,
    insert,
    inspect,
    select,
    update,
)

__all__ = ["Migration", "SchemaTooNew", "SchemaVersion"]

#: One step: creates version n from version n - 1, in the caller's transaction.
Migration = Callable[[Connection], None]


class SchemaTooNew(RuntimeError):
    """The file was written by a newer LogAI; it is left alone rather than downgraded."""


class SchemaVersion:
    """One store's ``schema_version`` table, and how that store words a file too new for it.

    ``kind`` names the file ("cache") and ``remedy`` the way out, since only the store knows
    which command or setting helps.
    """

    def __init__(self, metadata: MetaData, *, kind: str, remedy: str) -> None:
        self.table = Table("schema_version", metadata, Column("version", Integer, nullable=False))
        self._kind = kind
        self._remedy = remedy

    def _current(self, connection: Connection) -> int:
        if not inspect(connection).has_table(self.table.name):
            return 0
        version = connection.execute(select(self.table.c.version)).scalar()
        return int(version or 0)

    def upgrade(
        self, connection: Connection, *, latest: int, migrations: Mapping[int, Migration]
    ) -> int:
        """Create or upgrade the schema to ``latest`` in the caller's (write) transaction.

        ``migrations[n]`` creates version n from version n - 1. Returns the version.
        """
        found = self._current(connection)
        if found > latest:
            raise SchemaTooNew(
                f"the {self._kind} file was written by a newer LogAI (schema {found}, this one "
                f"knows {latest}); {self._remedy}"
            )
        if found == latest:
            return found
        if found == 0:
            # A new file, or one whose version table exists but is empty or at 0: leave exactly
            # one row either way, so later updates have something to update.
            self.table.create(connection, checkfirst=True)
            connection.execute(delete(self.table))
            connection.execute(insert(self.table).values(version=0))
        for target in range(found + 1, latest + 1):
            migrations[target](connection)
            connection.execute(update(self.table).values(version=target))
        return latest
