"""Tables of the history database and the start-up check that creates or upgrades them.

Imported only when the history is opened: it pulls in SQLAlchemy. As in the cache, each step of
:data:`_MIGRATIONS` moves the file up one version
(:func:`~logai.sqlite_store.schema.upgrade_schema`).

Every row carries its conversation's id, so removing a conversation is one delete per table
(no reliance on SQLite's foreign-key switch, which is off by default).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

from logai.sqlite_store.schema import Migration, SchemaTooNew, SchemaVersion

__all__ = [
    "SCHEMA_VERSION",
    "SchemaTooNew",
    "conversations",
    "placeholders",
    "prepare_schema",
    "tool_calls",
    "turns",
    "usage",
]

SCHEMA_VERSION = 1

metadata = MetaData()

_VERSIONING = SchemaVersion(
    metadata, kind="history", remedy="upgrade LogAI or point LOGAI_HISTORY_DIR elsewhere"
)
schema_version = _VERSIONING.table

#: One row per conversation. ``title`` is its first question, sanitized.
conversations = Table(
    "conversations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_ms", Integer, nullable=False),
    Column("updated_ms", Integer, nullable=False),
    Column("title", String, nullable=False, default=""),
    Column("frontend", String, nullable=False, default=""),
    Index("ix_conversations_updated", "updated_ms"),
    sqlite_autoincrement=True,  # an id is never reused: `history show 7` always means one thing
)

#: One row per question. ``status`` is "running" until the answer ends: a row still "running"
#: after its process died is an interrupted question. ``messages`` is the JSON list of the
#: messages this turn added to the conversation, sanitized, exactly as the LLM was sent them.
turns = Table(
    "turns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("started_ms", Integer, nullable=False),
    Column("finished_ms", Integer),
    Column("status", String, nullable=False),
    Column("question", String, nullable=False),
    Column("answer", String, nullable=False, default=""),
    Column("error", String),
    Column("model", String, nullable=False, default=""),
    Column("source", String, nullable=False, default=""),
    Column("target", String, nullable=False, default=""),
    Column("system", String, nullable=False, default=""),
    Column("messages", String, nullable=False, default="[]"),
    Column("redactions", String, nullable=False, default="{}"),
    Column("iterations", Integer, nullable=False, default=0),
    Index("ix_turns_conversation", "conversation_id", "seq"),
    sqlite_autoincrement=True,
)

tool_calls = Table(
    "tool_calls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, nullable=False),
    Column("turn_id", Integer, nullable=False),
    Column("call_id", String, nullable=False),
    Column("name", String, nullable=False),
    Column("arguments", String, nullable=False, default="{}"),
    Column("ok", Boolean, nullable=False),
    Column("summary", String, nullable=False, default=""),
    Column("duration_s", Float, nullable=False, default=0.0),
    Column("events", Integer),
    Column("cache", String),
    Index("ix_tool_calls_turn", "turn_id"),
    Index("ix_tool_calls_conversation", "conversation_id"),
)

#: One row per LLM call, as the provider reported it; ``cost_usd`` is NULL when unknown.
usage = Table(
    "usage",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Integer, nullable=False),
    Column("turn_id", Integer, nullable=False),
    Column("model", String, nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("cost_usd", Float),
    Column("created_ms", Integer, nullable=False),
    Index("ix_usage_conversation", "conversation_id"),
)

#: The placeholder mapping of each conversation (as sensitive as raw logs: docs/history.md).
placeholders = Table(
    "placeholders",
    metadata,
    Column("conversation_id", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("number", Integer, nullable=False),
    Column("key", String, nullable=False),
    Column("original", String, nullable=False),
    PrimaryKeyConstraint("conversation_id", "kind", "number"),
)

#: Tables whose rows belong to one conversation, children first.
CONVERSATION_TABLES = (placeholders, usage, tool_calls, turns)


def _create_v1(connection: Connection) -> None:
    for table in (conversations, turns, tool_calls, usage, placeholders):
        table.create(connection, checkfirst=True)


#: Step n creates version n from version n - 1.
_MIGRATIONS: dict[int, Migration] = {1: _create_v1}


def prepare_schema(connection: Connection) -> int:
    """Create or upgrade the schema in the caller's (write) transaction; return the version."""
    return _VERSIONING.upgrade(connection, latest=SCHEMA_VERSION, migrations=_MIGRATIONS)
