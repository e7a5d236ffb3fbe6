"""One private SQLite file behind a store that never raises for a database problem.

Both the log cache and the conversation history sit on this: a 0700 directory and a 0600 file,
WAL and ``BEGIN IMMEDIATE`` so several LogAI processes write at once, an engine per event loop
(an aiosqlite connection lives in the loop that opened it), each unit of work a shielded
transaction, a lock refused without waiting retried, a damaged file moved aside once and rebuilt,
and any other failure switching the store off with one warning. A subclass brings its schema and
the wording of its two warnings; everything here is the same for both.

SQLAlchemy is imported when a store is first used, not when this module is imported, and in a
worker thread: its import takes a few tenths of a second that the event loop spends streaming the
answer meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
import time
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from logai.sqlite_store import files
from logai.sqlite_store.errors import describe_failure, is_corruption, is_transient_lock
from logai.sqlite_store.warn import Warn, emit_warning

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["SQLiteStore", "close_open_stores"]

T = TypeVar("T")

#: Retries of a lock SQLite refused without waiting, and the pause before the first (seconds;
#: it grows with each retry, about 1.5 s in all).
_LOCK_RETRIES = 5
_LOCK_RETRY_PAUSE = 0.1

#: The module that brings SQLAlchemy and aiosqlite in.
_ENGINE_MODULE = "logai.sqlite_store.engine"

#: Stores holding an engine (pooled aiosqlite connections), for :func:`close_open_stores`.
OpenStores = weakref.WeakSet["SQLiteStore"]


async def _import_off_the_loop(name: str) -> None:
    """Import module ``name`` in a worker thread unless it is imported already.

    A first import of SQLAlchemy holds the thread that runs it for ~0.3 s; on the event loop
    that would freeze an answer streaming to the terminal (the history's first write happens
    while it does). Python's per-module import locks make this safe beside imports elsewhere.
    """
    if name not in sys.modules:
        await asyncio.to_thread(importlib.import_module, name)


async def close_open_stores(registry: OpenStores) -> None:
    """Close every store of ``registry`` whose connections belong to the running event loop.

    An aiosqlite connection lives in the loop that opened it. If the loop closes first,
    ``asyncio.run`` cancels whatever store work is still running (a background sweep, say) and
    the connection is handed back to SQLAlchemy's pool with a ``CancelledError`` in the middle
    of its reset, which the pool prints as a traceback. Commands call this last thing inside
    their loop, so that can only happen to a store someone forgot to close, and not even then.
    """
    loop = asyncio.get_running_loop()
    for store in list(registry):
        if store._engine_loop is loop:
            await store.aclose()


class SQLiteStore:
    """The file, its engine and the running of work; subclasses add the queries.

    ``now`` stamps the name of a file moved aside (and the subclass's own rows); ``warn``
    receives the one-line warnings (default: the process-wide handler, stderr).
    """

    #: Where this kind of store registers while it holds an engine (its own, so that closing
    #: the caches leaves the history alone).
    OPEN: ClassVar[OpenStores]
    #: The warning when a failure switches the store off: ``{problem}`` and ``{path}``.
    OFF_WARNING: ClassVar[str]
    #: The warning when a damaged file is moved aside: ``{reason}`` and ``{aside}`` (its name).
    DAMAGED_WARNING: ClassVar[str]

    def __init__(
        self,
        path: Path,
        *,
        now: Callable[[], datetime],
        warn: Warn | None,
        busy_timeout: float,
    ) -> None:
        self.path = Path(path)
        self._now = now
        self._warn = warn
        self._busy_timeout = busy_timeout
        self._engine: AsyncEngine | None = None
        self._engine_loop: asyncio.AbstractEventLoop | None = None
        #: Units of work under way; closing waits for them (see :meth:`_run`).
        self._running: set[asyncio.Task[Any]] = set()
        self._open_lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._schema_ready = False
        self._recovered = False
        self._problem: str | None = None

    def _prepare_schema(self, connection: Connection) -> object:
        """Create or upgrade the subclass's tables (imports its schema module, and SQLAlchemy)."""
        raise NotImplementedError

    # -- state -----------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False once a failure has switched this store off."""
        return self._problem is None

    @property
    def problem(self) -> str | None:
        """Why the store is off, or None."""
        return self._problem

    def _say(self, message: str) -> None:
        # A broken warning sink must not break a question.
        with contextlib.suppress(Exception):
            (self._warn or emit_warning)(message)

    def _disable(self, exc: BaseException) -> None:
        if self._problem is not None:
            return
        self._problem = describe_failure(exc)
        self._say(self.OFF_WARNING.format(problem=self._problem, path=self.path))

    # -- opening ---------------------------------------------------------------------------

    def _lock_for(self, loop: asyncio.AbstractEventLoop) -> asyncio.Lock:
        # asyncio locks belong to one event loop; a CLI may run several loops in a row.
        if self._open_lock is None or self._lock_loop is not loop:
            self._open_lock, self._lock_loop = asyncio.Lock(), loop
        return self._open_lock

    def _move_aside(self, reason: str) -> None:
        self._recovered = True
        self._schema_ready = False
        aside = files.move_aside(self.path, self._now())
        self._say(self.DAMAGED_WARNING.format(reason=reason, aside=aside.name))

    def _prepare_files(self) -> None:
        files.ensure_private_dir(self.path.parent)
        if files.has_foreign_header(self.path):
            self._move_aside("not an SQLite database")
        files.ensure_private_file(self.path)

    async def _engine_for_loop(self) -> AsyncEngine:
        loop = asyncio.get_running_loop()
        if self._engine is not None and self._engine_loop is loop:
            return self._engine
        async with self._lock_for(loop):
            if self._engine is not None and self._engine_loop is loop:
                return self._engine
            await self._dispose()
            await _import_off_the_loop(_ENGINE_MODULE)
            from logai.sqlite_store.engine import create_cache_engine

            self._prepare_files()
            engine = create_cache_engine(self.path, busy_timeout=self._busy_timeout)
            try:
                if not self._schema_ready:
                    async with engine.begin() as connection:
                        await connection.run_sync(self._prepare_schema)
                    self._schema_ready = True
            except BaseException:
                await engine.dispose()
                raise
            self._engine, self._engine_loop = engine, loop
            self.OPEN.add(self)
            return engine

    async def _dispose(self) -> None:
        engine, self._engine, self._engine_loop = self._engine, None, None
        self.OPEN.discard(self)
        if engine is not None:
            # Connections of an event loop that is gone: nothing to save if closing fails.
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
        """Run ``work`` in one write transaction; on failure recover or switch off.

        The transaction runs in its own task, shielded: a caller that is cancelled (Ctrl+C, a
        cancelled answer) stops waiting at once, but the short transaction still commits or
        rolls back and hands its connection back to the pool in one piece. Cancelling it
        half-way would leave the pool resetting a connection whose driver call was cancelled,
        which SQLAlchemy reports with a traceback. :meth:`aclose` waits for these tasks.
        """
        return await self._shielded(self._run_now(work, fallback))

    async def _shielded(self, operation: Awaitable[T]) -> T:
        task = asyncio.ensure_future(operation)
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
                    # Refused at once, not after the busy timeout: another process is in a
                    # step where SQLite does not wait. A moment later it is through.
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

    # -- shutting down ---------------------------------------------------------------------

    async def aclose(self) -> None:
        """Wait for work under way, then close the connections. Safe to call more than once.

        Runs to the end even when the caller is cancelled meanwhile (a second Ctrl+C): closing
        half-way is what leaves connections to be reset during the loop's shutdown.
        """
        closing = asyncio.ensure_future(self._close())
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            await closing
            raise

    async def _before_close(self) -> None:
        """Stop what would start new work (the cache's background sweep) before waiting."""

    async def _close(self) -> None:
        await self._before_close()
        loop = asyncio.get_running_loop()
        running = [task for task in self._running if task.get_loop() is loop]
        if running:
            await asyncio.wait(running)
        await self._dispose()
