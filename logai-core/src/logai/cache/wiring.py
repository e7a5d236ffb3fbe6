"""Building caches and cached sources from settings: the one place the registry calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai.cache._warn import Warn
from logai.cache.clock import Clock, utc_now
from logai.cache.policy import CachePolicy
from logai.cache.source import CachedDataSource, default_namespace
from logai.cache.store import DB_FILENAME, LogCache

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.sources.base import DataSource

__all__ = ["open_cache", "source_namespace", "wrap_with_cache"]

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


def source_namespace(source: DataSource, settings: LogAISettings) -> str:
    """The cache namespace of ``source``: its identity, plus the AWS target for CloudWatch.

    Two regions, profiles or endpoints (real AWS and a moto server, say) can hold log groups
    with the same name and different events; their entries must never answer for each other.
    A source that defines ``cache_identity()`` is trusted to include that itself.
    """
    namespace = default_namespace(source)
    if source.name == "cloudwatch" and not callable(getattr(source, "cache_identity", None)):
        target = (
            settings.aws_profile or "",
            settings.effective_region() or "",
            settings.aws_endpoint_url_cloudwatch_logs or "",
        )
        namespace += "|" + "|".join(target)
    return namespace


def wrap_with_cache(
    source: DataSource,
    settings: LogAISettings,
    *,
    now: Clock = utc_now,
    warn: Warn | None = None,
) -> DataSource:
    """``source`` behind the local cache, or unchanged when ``LOGAI_CACHE_ENABLED=false``."""
    if not settings.cache_enabled or isinstance(source, CachedDataSource):
        return source
    return CachedDataSource(
        source,
        open_cache(settings, now=now, warn=warn),
        policy=CachePolicy.from_settings(settings),
        namespace=source_namespace(source, settings),
        now=now,
    )
