"""The data-source interface every log backend implements, and the types it speaks."""

from __future__ import annotations

from logai.sources.base import (
    DataSource,
    DataSourceError,
    LogEvent,
    LogGroup,
    QueryCost,
    QueryResult,
    SourceAccessDenied,
    SourceAuthError,
    SourceNotFound,
    SourceThrottled,
    SourceTimeout,
    SourceUnavailable,
    SourceValidationError,
)

__all__ = [
    "DataSource",
    "DataSourceError",
    "LogEvent",
    "LogGroup",
    "QueryCost",
    "QueryResult",
    "SourceAccessDenied",
    "SourceAuthError",
    "SourceNotFound",
    "SourceThrottled",
    "SourceTimeout",
    "SourceUnavailable",
    "SourceValidationError",
]
