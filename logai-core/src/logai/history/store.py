"""The history store: every conversation, turn by turn, in one private SQLite file.

It runs on the same footing as the log cache (:mod:`logai.cache.store`), whose file helpers,
engine and error sorting it shares: a 0700 directory and a 0600 file, WAL and ``BEGIN
IMMEDIATE`` so several LogAI processes write at once, a schema version table migrated forward,
each unit of work a shielded transaction (a cancelled caller never leaves half a write), a lock
refused without waiting retried, and a damaged file moved aside with one warning. Any other
failure switches the history off for the session with one warning: a question is never lost
because its record could not be written.

The file lives in ``LOGAI_HISTORY_DIR``, not the cache directory: ``logai cache clear`` never
touches it. SQLAlchemy is imported when the store is first used.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from logai.cache import _files
from logai.cache._errors import describe_failure, is_corruption, is_transient_lock
from logai.cache._warn import Warn, emit_warning
from logai.cache.clock import Clock, from_ms, to_ms, utc_now
from logai.history.records import (
    ConversationSummary,
    SavedConversation,
    SavedToolCall,
    SavedTurn,
    SavedUsage,
)
from logai.sanitize import PlaceholderEntry

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

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

T = TypeVar("T")

#: Name of the database file inside the history directory.
DB_FILENAME = "history.sqlite3"
_LOCK_RETRIES = 5
_LOCK_RETRY_PAUSE = 0.1

#: Stores holding an engine, for :func:`close_open_histories`.
_OPEN: weakref.WeakSet[HistoryStore] = weakref.WeakSet()


async def close_open_histories() -> None:
    """Close every store whose connections belong to the running loop (as the cache does)."""
    loop = asyncio.get_running_loop()
    for store in list(_OPEN):
        if store._engine_loop is loop:
            await store.aclose()


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


class HistoryStore:
    """Saved conversations, shared safely by several LogAI processes.

    Methods never raise for a database problem: reads return their fallback, writes report
    False or None, and :attr:`problem` says what went wrong (a command checks it).
    """

    def __init__(
        self,
        path: Path,
        *,
        now: Clock = utc_now,
        warn: Warn | None = None,
        busy_timeout: float = 5.0,
    ) -> None:
        self.path = Path(path)
        self._now = now
        self._warn = warn
        self._busy_timeout = busy_timeout
        self._engine: AsyncEngine | None = None
        self._engine_loop: asyncio.AbstractEventLoop | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._open_lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._schema_ready = False
        self._recovered = False
        self._problem: str | None = None

    # -- state -----------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self._problem is None

    @property
    def problem(self) -> str | None:
        """Why the history is off, or None."""
        return self._problem

    def exists(self) -> bool:
        """Whether the database file is there (looking must not create it)."""
        return self.path.exists()

    def _say(self, message: str) -> None:
        with contextlib.suppress(Exception):
            (self._warn or emit_warning)(message)

    def _disable(self, exc: BaseException) -> None:
        if self._problem is not None:
            return
        self._problem = describe_failure(exc)
        self._say(
            f"conversation history turned off for this session ({self._problem}); answers "
            f"still work but are not saved. History file: {self.path}"
        )

    # -- opening ---------------------------------------------------------------------------

    def _lock_for(self, loop: asyncio.AbstractEventLoop) -> asyncio.Lock:
        if self._open_lock is None or self._lock_loop is not loop:
            self._open_lock, self._lock_loop = asyncio.Lock(), loop
        return self._open_lock

    def _move_aside(self, reason: str) -> None:
        self._recovered = True
        self._schema_ready = False
        aside = _files.move_aside(self.path, self._now())
        self._say(
            f"history file was damaged ({reason}); moved it to {aside.name} and started a new one"
        )

    async def _engine_for_loop(self) -> AsyncEngine:
        loop = asyncio.get_running_loop()
        if self._engine is not None and self._engine_loop is loop:
            return self._engine
        async with self._lock_for(loop):
            if self._engine is not None and self._engine_loop is loop:
                return self._engine
            await self._dispose()
            from logai.cache._engine import create_cache_engine
            from logai.history._schema import prepare_schema

            _files.ensure_private_dir(self.path.parent)
            if _files.has_foreign_header(self.path):
                self._move_aside("not an SQLite database")
            _files.ensure_private_file(self.path)
            engine = create_cache_engine(self.path, busy_timeout=self._busy_timeout)
            try:
                if not self._schema_ready:
                    async with engine.begin() as connection:
                        await connection.run_sync(prepare_schema)
                    self._schema_ready = True
            except BaseException:
                await engine.dispose()
                raise
            self._engine, self._engine_loop = engine, loop
            _OPEN.add(self)
            return engine

    async def _dispose(self) -> None:
        engine, self._engine, self._engine_loop = self._engine, None, None
        _OPEN.discard(self)
        if engine is not None:
            with contextlib.suppress(Exception):
                await engine.dispose()

    async def open(self) -> bool:
        """Create or upgrade the file now rather than on first use; True when usable."""

        async def nothing(_connection: AsyncConnection) -> None:
            return None

        await self._run(nothing, None)
        return self.available

    # -- running one unit of work ----------------------------------------------------------

    async def _run(self, work: Callable[[AsyncConnection], Awaitable[T]], fallback: T) -> T:
        """Run ``work`` in one write transaction, shielded from the caller's cancellation."""
        task = asyncio.ensure_future(self._run_now(work, fallback))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return await asyncio.shield(task)

    async def _run_now(self, work: Callable[[AsyncConnection], Awaitable[T]], fallback: T) -> T:
        lock_retries = _LOCK_RETRIES
        attempt = 0
        while attempt < 2:
            if self._problem is not None:
                return fallback
            started = time.monotonic()
            try:
                engine = await self._engine_for_loop()
                async with engine.begin() as connection:
                    return await work(connection)
            except Exception as exc:
                waited = time.monotonic() - started
                if lock_retries and waited < self._busy_timeout / 2 and is_transient_lock(exc):
                    lock_retries -= 1
                    await asyncio.sleep(_LOCK_RETRY_PAUSE * (_LOCK_RETRIES - lock_retries))
                    continue
                attempt += 1
                if attempt == 1 and not self._recovered and is_corruption(exc):
                    await self._dispose()
                    try:
                        self._move_aside(describe_failure(exc))
                    except OSError as move_error:
                        self._disable(move_error)
                        return fallback
                    continue
                self._disable(exc)
                return fallback
        return fallback

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

    # -- shutting down ---------------------------------------------------------------------

    async def aclose(self) -> None:
        """Wait for writes under way, then close the connections. Safe to call more than once."""
        closing = asyncio.ensure_future(self._close())
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            await closing
            raise

    async def _close(self) -> None:
        loop = asyncio.get_running_loop()
        running = [task for task in self._running if task.get_loop() is loop]
        if running:
            await asyncio.wait(running)
        await self._dispose()


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
