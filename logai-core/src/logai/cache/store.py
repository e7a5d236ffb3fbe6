"""The cache store: compressed entries with a TTL and LRU eviction in one SQLite file.

:class:`LogCache` never raises for a cache problem (:class:`~logai.sqlite_store.store.SQLiteStore`
holds the file). A file that is not a database, or is malformed, is moved aside and rebuilt once;
any other failure (locked past the busy timeout, disk full, read-only, unreadable) switches this
cache off with one warning, and from then on every read is a miss and every write a no-op, so the
question is answered from the source.

SQLAlchemy is imported when the cache is first used, not when this module is imported.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logai.cache.janitor import Janitor
from logai.cache.stats import CacheStats
from logai.clock import Clock, from_ms, to_ms, utc_now
from logai.sqlite_store import files
from logai.sqlite_store.store import OpenStores, SQLiteStore, close_open_stores
from logai.sqlite_store.warn import Warn

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["DB_FILENAME", "CacheHit", "LogCache", "close_open_caches"]

#: Name of the database file inside the cache directory.
DB_FILENAME = "cache.sqlite3"
DEFAULT_MAX_BYTES = 500 * 1024 * 1024
#: Payloads larger than this are (de)compressed in a worker thread to keep the event loop free.
_OFF_LOOP_BYTES = 256 * 1024


#: Caches holding an engine (pooled aiosqlite connections), for :func:`close_open_caches`.
_OPEN: OpenStores = OpenStores()


async def close_open_caches() -> None:
    """Close every cache whose connections belong to the running event loop.

    Commands call this last thing inside their loop; why it matters is told at
    :func:`~logai.sqlite_store.store.close_open_stores`.
    """
    await close_open_stores(_OPEN)


@dataclass(frozen=True, slots=True)
class CacheHit:
    """An entry found by :meth:`LogCache.lookup`: which key matched, its metadata, its payload."""

    key: str
    meta: dict[str, Any]
    payload: bytes


async def _maybe_in_thread(function: Callable[..., bytes], data: bytes, *args: Any) -> bytes:
    if len(data) > _OFF_LOOP_BYTES:
        return await asyncio.to_thread(function, data, *args)
    return function(data, *args)


def _parse_meta(text: str) -> dict[str, Any]:
    try:
        meta = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) else {}


class LogCache(SQLiteStore):
    """A size-capped, TTL'd key → bytes store shared safely by several LogAI processes.

    ``now`` is the clock every expiry and LRU decision uses (tests move it by hand); ``warn``
    receives the one-line warnings (default: the process-wide handler, stderr).
    """

    OPEN = _OPEN
    OFF_WARNING = (
        "log cache turned off for this session ({problem}); questions still work "
        "but every fetch goes to the source. Cache file: {path}"
    )
    DAMAGED_WARNING = (
        "log cache file was damaged ({reason}); moved it to {aside} and started a new one"
    )

    def __init__(
        self,
        path: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        now: Clock = utc_now,
        warn: Warn | None = None,
        busy_timeout: float = 3.0,
        cleanup_interval: float = 300.0,
        compression_level: int = 6,
    ) -> None:
        super().__init__(path, now=now, warn=warn, busy_timeout=busy_timeout)
        self.max_bytes = max_bytes
        self._level = compression_level
        self.janitor = Janitor(
            self.cleanup,
            interval=cleanup_interval,
            clock=now,
            byte_budget=max(max_bytes // 10, 1),
        )

    def _prepare_schema(self, connection: Connection) -> int:
        from logai.cache._schema import prepare_schema

        return prepare_schema(connection)

    # -- reading ---------------------------------------------------------------------------

    async def lookup(
        self,
        keys: Sequence[str],
        accept: Callable[[Mapping[str, Any]], bool] | None = None,
    ) -> CacheHit | None:
        """The first fresh entry among ``keys`` whose metadata ``accept`` approves.

        Counts one hit or one miss however many keys were tried, and marks the entry used
        (LRU). A payload that no longer decompresses is deleted and reported as a miss.
        """
        from sqlalchemy import select, update

        from logai.cache._schema import entries

        now_ms = to_ms(self._now())

        async def work(connection: AsyncConnection) -> CacheHit | None:
            for key in keys:
                found = await connection.execute(
                    select(entries.c.meta).where(
                        entries.c.key == key, entries.c.expires_ms > now_ms
                    )
                )
                row = found.first()
                if row is None:
                    continue
                meta = _parse_meta(row[0])
                if accept is not None and not accept(meta):
                    continue
                payload = await connection.scalar(
                    select(entries.c.payload).where(entries.c.key == key)
                )
                await connection.execute(
                    update(entries)
                    .where(entries.c.key == key)
                    .values(accessed_ms=now_ms, hits=entries.c.hits + 1)
                )
                await _bump(connection, "hits")
                return CacheHit(key, meta, bytes(payload or b""))
            await _bump(connection, "misses")
            return None

        return await self._inflated(await self._run(work, None))

    async def read(self, key: str, serves: Callable[[Mapping[str, Any]], bool]) -> CacheHit | None:
        """The fresh entry under ``key`` whatever its metadata says, or None.

        For callers that merge new data into an entry: they need it even when it cannot answer
        the request. ``serves`` tells from the metadata whether it answers at least part of the
        request: that is what is counted as a hit (and marks the entry used) or a miss.
        """
        from sqlalchemy import select, update

        from logai.cache._schema import entries

        now_ms = to_ms(self._now())

        async def work(connection: AsyncConnection) -> CacheHit | None:
            found = await connection.execute(
                select(entries.c.meta, entries.c.payload).where(
                    entries.c.key == key, entries.c.expires_ms > now_ms
                )
            )
            row = found.first()
            meta = {} if row is None else _parse_meta(row[0])
            if row is not None and serves(meta):
                await connection.execute(
                    update(entries)
                    .where(entries.c.key == key)
                    .values(accessed_ms=now_ms, hits=entries.c.hits + 1)
                )
                await _bump(connection, "hits")
            else:
                await _bump(connection, "misses")
            return None if row is None else CacheHit(key, meta, bytes(row[1] or b""))

        return await self._inflated(await self._run(work, None))

    async def _inflated(self, hit: CacheHit | None) -> CacheHit | None:
        """``hit`` with its payload decompressed; an entry that no longer inflates is deleted."""
        if hit is None:
            return None
        try:
            raw = await _maybe_in_thread(zlib.decompress, hit.payload)
        except zlib.error:
            await self.delete(hit.key)
            return None
        return CacheHit(hit.key, hit.meta, raw)

    async def get(self, key: str) -> bytes | None:
        """The payload stored under ``key`` if present and not expired."""
        hit = await self.lookup([key])
        return None if hit is None else hit.payload

    # -- writing ---------------------------------------------------------------------------

    async def set(
        self,
        key: str,
        payload: bytes,
        *,
        source: str,
        kind: str,
        ttl: float,
        meta: Mapping[str, Any] | None = None,
    ) -> bool:
        """Store ``payload`` (compressed) for ``ttl`` seconds; False when not stored.

        An entry larger than the whole size cap is not stored at all: it would evict
        everything else and then itself.
        """
        if self._problem is not None:
            return False
        from sqlalchemy.dialects.sqlite import insert

        from logai.cache._schema import entries

        compressed = await _maybe_in_thread(zlib.compress, payload, self._level)
        if len(compressed) > self.max_bytes:
            return False
        now_ms = to_ms(self._now())
        values = {
            "source": source,
            "kind": kind,
            "size": len(compressed),
            "raw_size": len(payload),
            "created_ms": now_ms,
            "expires_ms": now_ms + int(ttl * 1000),
            "accessed_ms": now_ms,
            "hits": 0,
            "meta": json.dumps(dict(meta or {}), separators=(",", ":")),
            "payload": compressed,
        }
        statement = (
            insert(entries)
            .values(key=key, **values)
            .on_conflict_do_update(index_elements=[entries.c.key], set_=values)
        )

        async def work(connection: AsyncConnection) -> bool:
            await connection.execute(statement)
            return True

        stored = await self._run(work, False)
        if stored:
            self.janitor.note_write(len(compressed))
        return stored

    async def delete(self, key: str) -> bool:
        """Remove one entry; True when it existed."""
        from sqlalchemy import delete

        from logai.cache._schema import entries

        async def work(connection: AsyncConnection) -> bool:
            result = await connection.execute(delete(entries).where(entries.c.key == key))
            return bool(result.rowcount)

        return await self._run(work, False)

    async def delete_expired(self) -> int:
        """Remove every entry past its expiry; returns how many."""
        from sqlalchemy import delete

        from logai.cache._schema import entries

        now_ms = to_ms(self._now())

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(delete(entries).where(entries.c.expires_ms <= now_ms))
            return int(result.rowcount or 0)

        return await self._run(work, 0)

    async def evict(self, max_bytes: int | None = None) -> int:
        """Remove least recently used entries until the rest fit in ``max_bytes``.

        One statement: a running total of sizes from the most recently used entry down, and
        every entry whose running total passes the cap goes.
        """
        from sqlalchemy import delete, func, select

        from logai.cache._schema import entries

        cap = self.max_bytes if max_bytes is None else max_bytes
        running = (
            func.sum(entries.c.size)
            .over(order_by=(entries.c.accessed_ms.desc(), entries.c.key.desc()))
            .label("running")
        )
        ranked = select(entries.c.key, running).subquery()
        doomed = select(ranked.c.key).where(ranked.c.running > cap)

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(delete(entries).where(entries.c.key.in_(doomed)))
            return int(result.rowcount or 0)

        return await self._run(work, 0)

    async def cleanup(self) -> tuple[int, int]:
        """Delete expired entries, then evict down to the cap: ``(expired, evicted)``."""
        expired = await self.delete_expired()
        evicted = await self.evict()
        return expired, evicted

    async def clear(self) -> int:
        """Remove every entry and reset the hit counters; returns how many entries went.

        Also shrinks the file (VACUUM, best effort: another process may be using it) and
        deletes damaged files moved aside earlier.
        """
        from sqlalchemy import delete

        from logai.cache._schema import counters, entries

        async def work(connection: AsyncConnection) -> int:
            result = await connection.execute(delete(entries))
            await connection.execute(delete(counters))
            return int(result.rowcount or 0)

        removed = await self._run(work, 0)
        if self._problem is None:
            await self._shielded(self._vacuum())
        for leftover in self.path.parent.glob(f"{self.path.name}.corrupt-*"):
            leftover.unlink(missing_ok=True)
        return removed

    async def _vacuum(self) -> None:
        from logai.sqlite_store.engine import NO_BEGIN

        try:
            engine = await self._engine_for_loop()
            async with engine.connect() as connection:
                unmanaged = await connection.execution_options(**{NO_BEGIN: True})
                await unmanaged.exec_driver_sql("VACUUM")
        except Exception:  # shrinking the file is a nicety; the entries are gone already
            return

    # -- measuring -------------------------------------------------------------------------

    async def size(self) -> int:
        """Compressed bytes of every stored entry, expired or not."""
        from sqlalchemy import func, select

        from logai.cache._schema import entries

        async def work(connection: AsyncConnection) -> int:
            total = await connection.scalar(select(func.coalesce(func.sum(entries.c.size), 0)))
            return int(total or 0)

        return await self._run(work, 0)

    async def count(self) -> int:
        """Number of stored entries, expired or not."""
        from sqlalchemy import func, select

        from logai.cache._schema import entries

        async def work(connection: AsyncConnection) -> int:
            total = await connection.scalar(select(func.count()).select_from(entries))
            return int(total or 0)

        return await self._run(work, 0)

    async def stats(self) -> CacheStats:
        """Entries, bytes, hit rate, oldest and newest entry."""
        from sqlalchemy import case, func, select

        from logai.cache._schema import counters, entries

        now_ms = to_ms(self._now())
        summary = select(
            func.count(),
            func.coalesce(func.sum(case((entries.c.expires_ms <= now_ms, 1), else_=0)), 0),
            func.coalesce(func.sum(entries.c.size), 0),
            func.coalesce(func.sum(entries.c.raw_size), 0),
            func.min(entries.c.created_ms),
            func.max(entries.c.created_ms),
        )

        async def work(connection: AsyncConnection) -> CacheStats:
            row = (await connection.execute(summary)).one()
            found = await connection.execute(select(counters.c.name, counters.c.value))
            tallies = {str(name): int(value) for name, value in found}
            return CacheStats(
                path=self.path,
                entries=int(row[0]),
                expired=int(row[1]),
                bytes=int(row[2]),
                raw_bytes=int(row[3]),
                max_bytes=self.max_bytes,
                file_bytes=self._file_bytes(),
                hits=int(tallies.get("hits", 0)),
                misses=int(tallies.get("misses", 0)),
                oldest=None if row[4] is None else from_ms(int(row[4])),
                newest=None if row[5] is None else from_ms(int(row[5])),
            )

        fallback = CacheStats(path=self.path, max_bytes=self.max_bytes)
        result = await self._run(work, fallback)
        if self._problem is not None:
            return CacheStats(path=self.path, max_bytes=self.max_bytes, problem=self._problem)
        return result

    def _file_bytes(self) -> int:
        total = 0
        for member in files.companions(self.path):
            try:
                total += member.stat().st_size
            except OSError:
                continue
        return total

    async def _before_close(self) -> None:
        await self.janitor.aclose()


async def _bump(connection: AsyncConnection, name: str) -> None:
    from sqlalchemy.dialects.sqlite import insert

    from logai.cache._schema import counters

    statement = (
        insert(counters)
        .values(name=name, value=1)
        .on_conflict_do_update(
            index_elements=[counters.c.name], set_={"value": counters.c.value + 1}
        )
    )
    await connection.execute(statement)
