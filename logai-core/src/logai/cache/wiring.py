"""Building caches and cached sources from settings: the one place the registry calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai.cache.policy import CachePolicy
from logai.cache.source import CachedDataSource
from logai.cache.store import DB_FILENAME, LogCache
from logai.clock import Clock, utc_now
from logai.sqlite_store.warn import Warn

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.sources.base import DataSource

__all__ = ["open_cache", "wrap_with_cache"]

_MB = 1024 * 1024


def open_cache(
    settings: LogAISettings, *, now: Clock = utc_now, warn: Warn | None = None
) -> LogCache:
    """The cache configured by ``LOGAI_CACHE_DIR`` and friends. Nothing is opened until used."""
    return LogCache(
        settings.cache_dir / DB_FILENAME,
        max_bytes=settings.cache_max_mb * _MB,
        now=now,
        warn=warn,
        cleanup_interval=settings.cache_cleanup_interval_seconds,
    )


def wrap_with_cache(
    source: DataSource,
    settings: LogAISettings,
    *,
    now: Clock = utc_now,
    warn: Warn | None = None,
) -> DataSource:
    """``source`` behind the local cache, or unchanged when ``LOGAI_CACHE_ENABLED=false``.

    Entries are keyed by the source's name and the identity it resolves before each lookup
    (:meth:`DataSource.resolve_cache_identity`: for AWS the account, region and endpoint), so
    two principals never share an entry and nothing is served when credentials fail. A
    :class:`~logai.sources.targets.TargetSet` has each member cached under its own identity.
    """
    from logai.sources.targets import TargetSet

    if not settings.cache_enabled:
        return source
    if isinstance(source, TargetSet):
        # Each target under its own identity (account, region, endpoint), in one cache file.
        shared = open_cache(settings, now=now, warn=warn)
        return source.wrap_members(lambda member: _cached(member, shared, settings, now))
    if not source.cacheable or isinstance(source, CachedDataSource):
        return source
    return _cached(source, open_cache(settings, now=now, warn=warn), settings, now)


def _cached(source: DataSource, cache: LogCache, settings: LogAISettings, now: Clock) -> DataSource:
    if not source.cacheable or isinstance(source, CachedDataSource):
        return source
    return CachedDataSource(source, cache, policy=CachePolicy.from_settings(settings), now=now)
