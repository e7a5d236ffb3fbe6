"""The TUI's window onto the local log cache: figures for the status bar and ``/cache``.

The cache lives in core (:mod:`logai.cache`, SQLAlchemy + aiosqlite). SQLAlchemy costs more to
import than the whole first paint, and its async engine belongs to one event loop, so
:class:`LocalCache` does each job in a worker thread with its own short event loop: open,
read or clear, close. That also matches ``logai cache status|clear``: looking at a cache that
does not exist yet creates no file, and both work when caching is switched off, so a user can
still see and delete what an earlier session stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from logai.cache import CacheStats, LogCache
    from logai.config import LogAISettings

__all__ = ["CacheAccess", "LocalCache"]


class CacheAccess(Protocol):
    """Read the figures of, and empty, the cache."""

    @property
    def enabled(self) -> bool:
        """False when the user turned caching off (``LOGAI_CACHE_ENABLED=false``)."""
        ...

    async def stats(self) -> CacheStats:
        """Current figures (``problem`` says why the cache is unusable, when it is)."""
        ...

    async def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        ...


class LocalCache:
    """The cache configured by ``LOGAI_CACHE_DIR``; warnings go to ``warn``, never stderr."""

    def __init__(
        self, settings: LogAISettings, *, warn: Callable[[str], None] | None = None
    ) -> None:
        self._settings = settings
        self._warn = warn

    @property
    def enabled(self) -> bool:
        return self._settings.cache_enabled

    def _open(self) -> LogCache | None:
        """The cache, or None when its file does not exist (so nothing is created)."""
        from logai.cache import DB_FILENAME, open_cache

        if not (self._settings.cache_dir / DB_FILENAME).exists():
            return None
        return open_cache(self._settings, warn=self._warn or (lambda _message: None))

    def _empty(self) -> CacheStats:
        from logai.cache import DB_FILENAME, CacheStats

        return CacheStats(
            path=self._settings.cache_dir / DB_FILENAME,
            max_bytes=self._settings.cache_max_mb * 1024 * 1024,
        )

    def _read_stats(self) -> CacheStats:
        cache = self._open()
        if cache is None:
            return self._empty()

        async def read(cache: LogCache) -> CacheStats:
            try:
                return await cache.stats()
            finally:
                await cache.aclose()

        return asyncio.run(read(cache))

    def _clear(self) -> int:
        cache = self._open()
        if cache is None:
            return 0

        async def clear(cache: LogCache) -> int:
            try:
                return await cache.clear()
            finally:
                await cache.aclose()

        removed = asyncio.run(clear(cache))
        if cache.problem:
            raise RuntimeError(cache.problem)
        return removed

    async def stats(self) -> CacheStats:
        return await asyncio.to_thread(self._read_stats)

    async def clear(self) -> int:
        return await asyncio.to_thread(self._clear)
