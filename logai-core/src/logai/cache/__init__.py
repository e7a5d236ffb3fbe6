"""The local cache: fetched logs kept in SQLite so follow-up questions cost no API calls.

Importing this package is cheap (no SQLAlchemy); the database engine is created when a cache is
first used. Most code needs only :func:`wrap_with_cache`, which the data-source registry applies
to every source, and :data:`cache_outcome`, which tells the tool layer whether the latest call
was a cache hit.
"""

from __future__ import annotations

from logai.cache.outcome import CacheOutcome, cache_outcome
from logai.cache.policy import CachePolicy
from logai.cache.source import CachedDataSource
from logai.cache.stats import CacheStats
from logai.cache.store import DB_FILENAME, LogCache
from logai.cache.wiring import open_cache, wrap_with_cache
from logai.sqlite_store.warn import Warn, set_warning_handler

__all__ = [
    "DB_FILENAME",
    "CacheOutcome",
    "CachePolicy",
    "CacheStats",
    "CachedDataSource",
    "LogCache",
    "Warn",
    "cache_outcome",
    "open_cache",
    "set_warning_handler",
    "wrap_with_cache",
]
