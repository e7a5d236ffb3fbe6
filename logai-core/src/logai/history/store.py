"""The history store: every conversation, turn by turn, in one private SQLite file.

It runs on the same footing as the log cache (:class:`~logai.sqlite_store.store.SQLiteStore`): a
0700 directory and a 0600 file, WAL and ``BEGIN IMMEDIATE`` so several LogAI processes write at
once, a schema version table migrated forward, each unit of work a shielded transaction (a cancelled
caller never leaves half a write), a lock refused without waiting retried, and a damaged file moved
aside with one warning. Any other failure switches the history off for the session with one warning:
a question is never lost because its record could not be written.

The file lives in ``LOGAI_HISTORY_DIR``, not the cache directory: ``logai cache clear`` never
touches it. SQLAlchemy is imported when the store is first used.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logai.clock import Clock, from_ms, to_ms, utc_now
from logai.history.records import (
    ConversationSummary,
    SavedConversation,
    SavedToolCall,
    SavedTurn,
    SavedUsage,
)
from logai.sanitize import PlaceholderEntry
from logai.sqlite_store.store import OpenStores, SQLiteStore, close_open_stores
from logai.sqlite_store.warn import Warn

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection

    from logai.config import LogAISettings

__all__ = [
    "DB_FILENAME",
    "HistoryStore",
    "NewToolCall",
    "NewUsage",
    "TurnOutcome",
    "close_open_histories",
    "open_history",
]

#: Name of the database file inside the history directory.
DB_FILENAME = "history.sqlite3"


#: Stores holding an engine, for :func:`close_open_histories`.
_OPEN: OpenStores = OpenStores()


async def close_open_histories() -> None:
    """Close every store whose connections belong to the running loop (as the cache does)."""
    await close_open_stores(_OPEN)


def open_history(
    settings: LogAISettings, *, now: Clock = utc_now, warn: Warn | None = None
) -> HistoryStore:
    """The store configured by ``LOGAI_HISTORY_DIR``. Nothing is opened until used."""
    return HistoryStore(settings.history_dir / DB_FILENAME, now=now, warn=warn)


@dataclass(frozen=True)
class NewToolCall:
    """A tool call to record (from a ``ToolCallFinished`` event)."""

    call_id: str
    name: str
    arguments: dict[str, Any]
    ok: bool
    summary: str
    duration_s: float
    events: int | None
    cache: str | None


@dataclass(frozen=True)
class NewUsage:
    """One LLM call's usage to record (from a ``Usage`` event)."""

    model: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    at: datetime


@dataclass(frozen=True)
class TurnOutcome:
    """How a question ended, with everything its turn row needs."""

    status: str
    answer: str
    error: str | None
    system: str
    messages: list[dict[str, Any]]
    redactions: dict[str, int]
    iterations: int
    tool_calls: Sequence[NewToolCall]
    usage: Sequence[NewUsage]
    placeholders: Sequence[PlaceholderEntry]
    source: str | None = None
    """The data source's name and target as learnt during the answer (None: keep)."""
    target: str | None = None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _parsed(text: str | None, fallback: Any) -> Any:
    try:
        value = json.loads(text or "")
    except ValueError:
        return fallback
    return value if isinstance(value, type(fallback)) else fallback


class HistoryStore(SQLiteStore):
    """Saved conversations, shared safely by several LogAI processes.

    Methods never raise for a database problem: reads return their fallback, writes report
    False or None, and :attr:`problem` says what went wrong (a command checks it).
    """

    OPEN = _OPEN
    OFF_WARNING = (
        "conversation history turned off for this session ({problem}); answers "
        "still work but are not saved. History file: {path}"
    )
    DAMAGED_WARNING = (
        "history file was damaged ({reason}); moved it to {aside} and started a new one"
    )

    def __init__(
        self,
        path: Path,
        *,
        now: Clock = utc_now,
        warn: Warn | None = None,
        busy_timeout: float = 5.0,
    ) -> None:
        super().__init__(path, now=now, warn=warn, busy_timeout=busy_timeout)

    def _prepare_schema(self, connection: Connection) -> int:
        from logai.history._schema import prepare_schema

        return prepare_schema(connection)

    def exists(self) -> bool:
        """Whether the database file is there (looking must not create it)."""
        return self.path.exists()

    # -- writing ---------------------------------------------------------------------------

    async def start_conversation(self, *, title: str, frontend: str) -> int | None:
        """A new conversation's id (None when the history is off)."""
        from sqlalchemy import insert

        from logai.history._schema import conversations

        now_ms = to_ms(self._now())

        async def work(connection: AsyncConnection) -> int | None:
            result = await connection.execute(
                insert(conversations).values(
                    started_ms=now_ms, updated_ms=now_ms, title=title, frontend=frontend
                )
            )
            key = result.inserted_primary_key
            return None if key is None else int(key[0])

        return await self._run(work, None)

    async def start_turn(
        self, conversation_id: int, *, question: str, model: str, source: str, target: str
    ) -> int | None:
        """Record a question as it is asked (status "running"); its turn id, or None."""
        from sqlalchemy import func, insert, select, update

        from logai.history._schema import conversations, turns

        now_ms = to_ms(self._now())

        async def work(connection: AsyncConnection) -> int | None:
            seq = await connection.scalar(
                select(func.coalesce(func.max(turns.c.seq), 0)).where(
                    turns.c.conversation_id == conversation_id
                )
            )
            result = await connection.execute(
                insert(turns).values(
                    conversation_id=conversation_id,
                    seq=int(seq or 0) + 1,
                    started_ms=now_ms,
                    status="running",
                    question=question,
                    model=model,
                    source=source,
                    target=target,
                )
            )
            await connection.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(updated_ms=now_ms)
            )
            key = result.inserted_primary_key
            return None if key is None else int(key[0])

        return await self._run(work, None)

    async def finish_turn(self, conversation_id: int, turn_id: int, outcome: TurnOutcome) -> bool:
        """Commit a finished question: its messages, calls, usage and new placeholders at once."""
        from sqlalchemy import insert, update
        from sqlalchemy.dialects.sqlite import insert as upsert

        from logai.history._schema import conversations, placeholders, tool_calls, turns, usage

        now_ms = to_ms(self._now())

        async def work(connection: AsyncConnection) -> bool:
            await connection.execute(
                update(turns)
                .where(turns.c.id == turn_id)
                .values(
                    finished_ms=now_ms,
                    status=outcome.status,
                    answer=outcome.answer,
                    error=outcome.error,
                    system=outcome.system,
                    messages=_json(outcome.messages),
                    redactions=_json(outcome.redactions),
                    iterations=outcome.iterations,
                    **{
                        name: value
                        for name, value in (("source", outcome.source), ("target", outcome.target))
                        if value is not None
                    },
                )
            )
            if outcome.tool_calls:
                await connection.execute(
                    insert(tool_calls),
                    [
                        {
                            "conversation_id": conversation_id,
                            "turn_id": turn_id,
                            "call_id": call.call_id,
                            "name": call.name,
                            "arguments": _json(call.arguments),
                            "ok": call.ok,
                            "summary": call.summary,
                            "duration_s": call.duration_s,
                            "events": call.events,
                            "cache": call.cache,
                        }
                        for call in outcome.tool_calls
                    ],
                )
            if outcome.usage:
                await connection.execute(
                    insert(usage),
                    [
                        {
                            "conversation_id": conversation_id,
                            "turn_id": turn_id,
                            "model": row.model,
                            "prompt_tokens": row.prompt_tokens,
                            "completion_tokens": row.completion_tokens,
                            "cost_usd": row.cost_usd,
                            "created_ms": to_ms(row.at),
                        }
                        for row in outcome.usage
                    ],
                )
            for entry in outcome.placeholders:
                values = {"key": entry.key, "original": entry.original}
                await connection.execute(
                    upsert(placeholders)
                    .values(
                        conversation_id=conversation_id,
                        kind=entry.kind,
                        number=entry.number,
                        **values,
                    )
                    .on_conflict_do_update(
                        index_elements=["conversation_id", "kind", "number"], set_=values
                    )
                )
            await connection.execute(
                update(conversations)
                .where(conversations.c.id == conversation_id)
                .values(updated_ms=now_ms)
            )
            return True

        return await self._run(work, False)

    async def delete(self, conversation_id: int) -> bool:
        """Remove one conversation and everything recorded with it; True when it existed."""
        return bool(await self._delete_where(lambda table: table.c.id == conversation_id))

    async def purge(self, older_than: datetime | None = None) -> int:
        """Remove conversations last active before ``older_than`` (all when None); how many."""
        if older_than is None:
            return await self._delete_where(None)
        cutoff = to_ms(older_than)
        return await self._delete_where(lambda table: table.c.updated_ms < cutoff)

    async def _delete_where(self, condition: Callable[[Any], Any] | None) -> int:
        from sqlalchemy import delete, select

        from logai.history._schema import CONVERSATION_TABLES, conversations

        async def work(connection: AsyncConnection) -> int:
            query = select(conversations.c.id)
            if condition is not None:
                query = query.where(condition(conversations))
            doomed = [int(row[0]) for row in await connection.execute(query)]
            if not doomed:
                return 0
            for table in CONVERSATION_TABLES:
                await connection.execute(delete(table).where(table.c.conversation_id.in_(doomed)))
            await connection.execute(delete(conversations).where(conversations.c.id.in_(doomed)))
            return len(doomed)

        return await self._run(work, 0)

    # -- reading ---------------------------------------------------------------------------

    async def latest_id(self) -> int | None:
        """The conversation most recently added to, or None."""
        from sqlalchemy import select

        from logai.history._schema import conversations

        async def work(connection: AsyncConnection) -> int | None:
            found = await connection.scalar(
                select(conversations.c.id)
                .order_by(conversations.c.updated_ms.desc(), conversations.c.id.desc())
                .limit(1)
            )
            return None if found is None else int(found)

        return await self._run(work, None)

    async def list(self, limit: int | None = None) -> list[ConversationSummary]:
        """Conversations, most recently active first, with their question and usage totals."""
        from sqlalchemy import func, select

        from logai.history._schema import conversations, turns, usage

        asked = (
            select(
                turns.c.conversation_id.label("cid"),
                func.count().label("questions"),
                func.max(turns.c.id).label("last_turn"),
            )
            .group_by(turns.c.conversation_id)
            .subquery()
        )
        spent = (
            select(
                usage.c.conversation_id.label("cid"),
                func.sum(usage.c.prompt_tokens).label("prompt"),
                func.sum(usage.c.completion_tokens).label("completion"),
                func.sum(usage.c.cost_usd).label("cost"),
            )
            .group_by(usage.c.conversation_id)
            .subquery()
        )
        last_model = select(turns.c.model).where(turns.c.id == asked.c.last_turn).scalar_subquery()
        query = (
            select(
                conversations.c.id,
                conversations.c.started_ms,
                conversations.c.updated_ms,
                conversations.c.title,
                func.coalesce(asked.c.questions, 0),
                last_model,
                spent.c.prompt,
                spent.c.completion,
                spent.c.cost,
            )
            .outerjoin(asked, asked.c.cid == conversations.c.id)
            .outerjoin(spent, spent.c.cid == conversations.c.id)
            .order_by(conversations.c.updated_ms.desc(), conversations.c.id.desc())
        )
        if limit is not None:
            query = query.limit(limit)

        async def work(connection: AsyncConnection) -> list[ConversationSummary]:
            return [
                ConversationSummary(
                    id=int(row[0]),
                    started=from_ms(int(row[1])),
                    updated=from_ms(int(row[2])),
                    title=str(row[3] or ""),
                    questions=int(row[4] or 0),
                    model=str(row[5] or ""),
                    prompt_tokens=None if row[6] is None else int(row[6]),
                    completion_tokens=None if row[7] is None else int(row[7]),
                    cost_usd=None if row[8] is None else float(row[8]),
                )
                for row in await connection.execute(query)
            ]

        return await self._run(work, [])

    async def load(self, conversation_id: int) -> SavedConversation | None:
        """One conversation with every turn, call, usage row and its placeholder mapping."""
        from sqlalchemy import select

        from logai.history._schema import conversations, placeholders, tool_calls, turns, usage

        async def work(connection: AsyncConnection) -> SavedConversation | None:
            head = (
                await connection.execute(
                    select(conversations).where(conversations.c.id == conversation_id)
                )
            ).first()
            if head is None:
                return None
            calls: dict[int, list[SavedToolCall]] = {}
            for row in await connection.execute(
                select(tool_calls)
                .where(tool_calls.c.conversation_id == conversation_id)
                .order_by(tool_calls.c.id)
            ):
                calls.setdefault(int(row.turn_id), []).append(
                    SavedToolCall(
                        call_id=row.call_id,
                        name=row.name,
                        arguments=_parsed(row.arguments, {}),
                        ok=bool(row.ok),
                        summary=row.summary,
                        duration_s=float(row.duration_s),
                        events=row.events,
                        cache=row.cache,
                    )
                )
            spent: dict[int, list[SavedUsage]] = {}
            for row in await connection.execute(
                select(usage).where(usage.c.conversation_id == conversation_id).order_by(usage.c.id)
            ):
                spent.setdefault(int(row.turn_id), []).append(
                    SavedUsage(
                        model=row.model,
                        prompt_tokens=int(row.prompt_tokens),
                        completion_tokens=int(row.completion_tokens),
                        cost_usd=row.cost_usd,
                        at=from_ms(int(row.created_ms)),
                    )
                )
            saved_turns = [
                _turn(row, calls.get(int(row.id), []), spent.get(int(row.id), []))
                for row in await connection.execute(
                    select(turns)
                    .where(turns.c.conversation_id == conversation_id)
                    .order_by(turns.c.seq)
                )
            ]
            mapping = [
                PlaceholderEntry(row.kind, int(row.number), row.key, row.original)
                for row in await connection.execute(
                    select(placeholders).where(placeholders.c.conversation_id == conversation_id)
                )
            ]
            return SavedConversation(
                id=int(head.id),
                started=from_ms(int(head.started_ms)),
                updated=from_ms(int(head.updated_ms)),
                title=head.title,
                frontend=head.frontend,
                turns=saved_turns,
                placeholders=mapping,
            )

        return await self._run(work, None)


def _turn(row: Any, calls: Iterable[SavedToolCall], spent: Iterable[SavedUsage]) -> SavedTurn:
    status = "unfinished" if row.status == "running" else str(row.status)
    return SavedTurn(
        seq=int(row.seq),
        started=from_ms(int(row.started_ms)),
        finished=None if row.finished_ms is None else from_ms(int(row.finished_ms)),
        status=status,
        question=row.question,
        answer=row.answer or "",
        error=row.error,
        model=row.model or "",
        source=row.source or "",
        target=row.target or "",
        system=row.system or "",
        messages=_parsed(row.messages, []),
        redactions=_parsed(row.redactions, {}),
        iterations=int(row.iterations or 0),
        tool_calls=list(calls),
        usage=list(spent),
    )
