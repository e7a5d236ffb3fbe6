"""Fixtures for the cache tests: a clock moved by hand, caches in tmp_path, a counting source."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from logai.cache import CachedDataSource, CachePolicy, LogCache
from logai.sources import DataSource, LogEvent, LogGroup, QueryResult

T0 = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_events(
    count: int, *, group: str = "app", start: datetime = T0, step: float = 1.0
) -> list[LogEvent]:
    """``count`` events one ``step`` apart, with a little variety in the text."""
    return [
        LogEvent(
            timestamp=start + timedelta(seconds=index * step),
            message=f"{'ERROR' if index % 7 == 0 else 'INFO'} request {index} took {index % 97} ms",
            group=group,
            stream=f"stream-{index % 3}",
            event_id=f"id-{index}",
        )
        for index in range(count)
    ]


class CountingSource(DataSource):
    """A source that serves fixed events and counts every call it gets."""

    name: ClassVar[str] = "counting"
    ingestion_delay_seconds: ClassVar[float] = 60.0
    supports_query: ClassVar[bool] = True
    query_language: ClassVar[str] = "test"

    def __init__(self, events: Sequence[LogEvent] = ()) -> None:
        self.events = sorted(events, key=lambda event: event.timestamp)
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.query_status = "Complete"
        self.closed = False

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        self.calls.append(("groups", (prefix, limit)))
        names = sorted({event.group for event in self.events})
        return [LogGroup(name) for name in names if name.startswith(prefix or "")][:limit]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        self.calls.append(("fetch", (group, start, end, filter_pattern, limit)))
        return [
            event
            for event in self.events
            if event.group == group
            and start <= event.timestamp <= end
            and (filter_pattern is None or filter_pattern in event.message)
        ][:limit]

    async def search_logs(
        self,
        groups: Sequence[str],
        pattern: str,
        start: datetime,
        end: datetime,
        limit: int = 1000,
        *,
        prefixes: Sequence[str] = (),
    ) -> list[LogEvent]:
        self.calls.append(("search", (tuple(groups), pattern, start, end, limit, tuple(prefixes))))
        return [
            event
            for event in self.events
            if (event.group in groups or any(event.group.startswith(p) for p in prefixes))
            and start <= event.timestamp <= end
            and pattern in event.message
        ][:limit]

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - the DataSource signature
    ) -> QueryResult:
        self.calls.append(("query", (query, tuple(groups), start, end, limit)))
        rows = [{"@message": e.message} for e in self.events if start <= e.timestamp <= end]
        return QueryResult(rows=rows[:limit], status=self.query_status)

    async def aclose(self) -> None:
        self.closed = True

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "cache.sqlite3"


@pytest.fixture
def warnings_seen() -> list[str]:
    return []


MakeCache = Callable[..., LogCache]


@pytest.fixture
async def make_cache(
    cache_path: Path, clock: ManualClock, warnings_seen: list[str]
) -> AsyncIterator[MakeCache]:
    """Build caches on ``cache_path`` with the manual clock; all are closed after the test."""
    made: list[LogCache] = []

    def make(**options: object) -> LogCache:
        settings: dict[str, object] = {
            "now": clock,
            "warn": warnings_seen.append,
            "busy_timeout": 1.0,
            **options,
        }
        path = settings.pop("path", cache_path)
        cache = LogCache(path, **settings)  # type: ignore[arg-type]
        made.append(cache)
        return cache

    yield make
    for cache in made:
        await cache.aclose()


@pytest.fixture
def cache(make_cache: MakeCache) -> LogCache:
    return make_cache()


@pytest.fixture
def source() -> CountingSource:
    return CountingSource(make_events(300, start=T0 - timedelta(hours=2), step=20))


@pytest.fixture
def cached(cache: LogCache, source: CountingSource, clock: ManualClock) -> CachedDataSource:
    return CachedDataSource(source, cache, policy=CachePolicy(), now=clock)
