"""CachedDataSource: repeated requests are answered from the cache, transparently."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from logai.cache import CachedDataSource, CachePolicy, LogCache, cache_outcome, wrap_with_cache
from logai.config import load_settings

from .conftest import T0, CountingSource, MakeCache, ManualClock, make_events

HOUR = timedelta(hours=1)
SETTLED = (T0 - 2 * HOUR, T0 - HOUR)  # ended long before now minus the ingestion delay


async def test_second_identical_fetch_is_a_hit_with_no_source_call(
    cached: CachedDataSource, source: CountingSource
) -> None:
    first = await cached.fetch_logs("app", *SETTLED, "ERROR", 100)
    assert cache_outcome.get() == "miss"
    second = await cached.fetch_logs("app", *SETTLED, "ERROR", 100)
    assert cache_outcome.get() == "hit"
    assert second == first and first
    assert source.kinds() == ["fetch"]


@pytest.mark.parametrize(
    ("group", "pattern"),
    [(" app", "ERROR"), ("app ", "  ERROR "), ("app", "ERROR\n")],
)
async def test_equivalent_spelling_hits(
    cached: CachedDataSource, source: CountingSource, group: str, pattern: str
) -> None:
    await cached.fetch_logs("app", *SETTLED, "ERROR", 100)
    await cached.fetch_logs(group, *SETTLED, pattern, 100)
    assert cache_outcome.get() == "hit"
    assert len(source.calls) == 1


async def test_different_filter_is_a_miss(cached: CachedDataSource, source: CountingSource) -> None:
    await cached.fetch_logs("app", *SETTLED, "ERROR", 100)
    await cached.fetch_logs("app", *SETTLED, "INFO", 100)
    assert cache_outcome.get() == "miss"
    assert len(source.calls) == 2


async def test_smaller_limit_is_served_from_a_larger_fetch(
    cached: CachedDataSource, source: CountingSource
) -> None:
    everything = await cached.fetch_logs("app", *SETTLED, None, 100)
    assert len(everything) == 100
    fewer = await cached.fetch_logs("app", *SETTLED, None, 10)
    assert cache_outcome.get() == "hit"
    assert fewer == everything[:10]
    more = await cached.fetch_logs("app", *SETTLED, None, 500)  # the first fetch was cut at 100
    assert cache_outcome.get() == "miss"
    assert len(more) > 100
    assert len(source.calls) == 2


async def test_complete_result_serves_any_limit(
    cached: CachedDataSource, source: CountingSource
) -> None:
    complete = await cached.fetch_logs("app", *SETTLED, None, 1000)
    assert len(complete) < 1000
    assert await cached.fetch_logs("app", *SETTLED, None, 5000) == complete
    assert cache_outcome.get() == "hit"


async def test_settled_range_lives_long_and_live_range_briefly(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    await cached.fetch_logs("app", *SETTLED)
    await cached.fetch_logs("app", clock() - HOUR, clock())
    clock.advance(CachePolicy().live_ttl + 1)
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "hit"
    await cached.fetch_logs("app", clock() - HOUR, clock())
    assert cache_outcome.get() == "miss"
    clock.advance(CachePolicy().immutable_ttl)
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "miss"


async def test_last_hour_asked_again_fetches_only_the_seconds_since(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    source.events = make_events(150, start=clock() - HOUR - timedelta(minutes=5), step=20)
    first = await cached.fetch_logs("app", clock() - HOUR, clock())
    clock.advance(30)
    second = await cached.fetch_logs("app", clock() - HOUR, clock())
    assert cache_outcome.get() == "miss"  # the source was asked, for the new 30 s only
    _, (_group, start, end, _pattern, _limit) = source.calls[-1]
    assert isinstance(end, datetime)
    assert start == T0 + timedelta(milliseconds=1) and end < clock() + timedelta(milliseconds=1)
    assert second == await source.fetch_logs("app", clock() - HOUR, clock())
    assert second == [event for event in first if event.timestamp >= clock() - HOUR]
    again = await cached.fetch_logs("app", clock() - HOUR, clock())  # the very same range
    assert cache_outcome.get() == "hit" and again == second


async def test_live_fetch_asks_the_source_for_exactly_the_asked_range(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    clock.advance(12.5)
    await cached.fetch_logs("app", clock() - HOUR, clock(), None, 7)
    _, (_group, start, end, _pattern, limit) = source.calls[0]
    assert start == clock() - HOUR and isinstance(end, datetime)
    assert clock() <= end < clock() + timedelta(milliseconds=1)
    assert limit == 7


async def test_live_results_are_the_asked_range(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    source.events = make_events(100, start=T0 - HOUR - timedelta(minutes=1), step=5)
    clock.advance(30)
    events = await cached.fetch_logs("app", clock() - HOUR, clock())
    assert events
    assert events[0].timestamp >= clock() - HOUR


async def test_search_hits_whatever_the_order_of_groups_and_prefixes(
    cached: CachedDataSource, source: CountingSource
) -> None:
    source.events = make_events(50, group="app/api", start=SETTLED[0]) + make_events(
        50, group="db", start=SETTLED[0]
    )
    first = await cached.search_logs(["db", "app/api"], "ERROR", *SETTLED, prefixes=["app/"])
    second = await cached.search_logs(
        ["app/api", "db", "db"], " ERROR ", *SETTLED, prefixes=["app/", "app/"]
    )
    assert cache_outcome.get() == "hit"
    assert second == first and first
    assert source.calls[0][1][0] == ("db",)  # app/api is covered by the prefix


async def test_group_listing_is_cached_with_the_listing_ttl(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    assert [g.name for g in await cached.list_log_groups()] == ["app"]
    await cached.list_log_groups(None, 10)
    assert cache_outcome.get() == "hit"
    await cached.list_log_groups("  ", 10)  # blank prefix means no prefix
    assert cache_outcome.get() == "hit"
    clock.advance(CachePolicy().listing_ttl + 1)
    await cached.list_log_groups()
    assert cache_outcome.get() == "miss"
    assert source.kinds() == ["groups", "groups"]


async def test_query_results_are_cached_only_when_complete(
    cached: CachedDataSource, source: CountingSource
) -> None:
    source.query_status = "Timeout"
    await cached.run_query("fields @message", ["app"], *SETTLED)
    await cached.run_query("fields @message", ["app"], *SETTLED)
    assert cache_outcome.get() == "miss"
    source.query_status = "Complete"
    first = await cached.run_query("fields @message", ["app"], *SETTLED)
    second = await cached.run_query("fields   @message ", ["app", "app"], *SETTLED)
    assert cache_outcome.get() == "hit"
    assert second == first
    assert source.kinds() == ["query"] * 3


async def test_wrapper_reports_the_wrapped_sources_traits(
    cached: CachedDataSource, source: CountingSource
) -> None:
    assert cached.name == "counting"
    assert cached.ingestion_delay_seconds == 60.0
    assert cached.supports_query is True
    assert cached.describe() == source.describe()
    assert cached.kinds is not None  # source-specific attributes stay reachable


async def test_aclose_closes_the_source_and_the_cache(
    cached: CachedDataSource, source: CountingSource
) -> None:
    await cached.fetch_logs("app", *SETTLED)
    await cached.aclose()
    assert source.closed


async def test_sources_with_different_namespaces_never_share_entries(
    cache: LogCache, source: CountingSource, clock: ManualClock
) -> None:
    east = CachedDataSource(source, cache, namespace="cloudwatch|us-east-1", now=clock)
    west = CachedDataSource(source, cache, namespace="cloudwatch|eu-west-1", now=clock)
    await east.fetch_logs("app", *SETTLED)
    await west.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "miss"
    assert len(source.calls) == 2


async def test_source_errors_propagate_and_are_not_cached(
    cached: CachedDataSource, source: CountingSource
) -> None:
    class Boom(Exception):
        pass

    async def failing(*_args: object, **_kwargs: object) -> list[object]:
        raise Boom("backend down")

    original = source.fetch_logs
    source.fetch_logs = failing  # type: ignore[assignment, method-assign]
    with pytest.raises(Boom):
        await cached.fetch_logs("app", *SETTLED)
    source.fetch_logs = original  # type: ignore[method-assign]
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "miss"


def test_wrap_with_cache_returns_the_source_unchanged_when_disabled(
    monkeypatch: pytest.MonkeyPatch, source: CountingSource
) -> None:
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    assert wrap_with_cache(source, load_settings()) is source


async def test_wrap_with_cache_uses_the_configured_directory_and_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: CountingSource
) -> None:
    monkeypatch.setenv("LOGAI_CACHE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("LOGAI_CACHE_TTL_LIVE_SECONDS", "5")
    monkeypatch.setenv("LOGAI_CACHE_MAX_MB", "7")
    wrapped = wrap_with_cache(source, load_settings())
    assert isinstance(wrapped, CachedDataSource)
    assert wrap_with_cache(wrapped, load_settings()) is wrapped  # never wrapped twice
    assert wrapped.policy.live_ttl == 5
    assert wrapped.cache.max_bytes == 7 * 1024 * 1024
    await wrapped.fetch_logs("app", *SETTLED)
    await wrapped.aclose()
    assert (tmp_path / "elsewhere" / "cache.sqlite3").is_file()


async def test_disabled_cache_leaves_no_outcome(
    monkeypatch: pytest.MonkeyPatch, source: CountingSource
) -> None:
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    wrapped = wrap_with_cache(source, load_settings())
    cache_outcome.set(None)
    await wrapped.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() is None


async def test_large_entries_round_trip_through_worker_threads(
    make_cache: MakeCache, source: CountingSource, clock: ManualClock
) -> None:
    source.events = make_events(5000, start=SETTLED[0], step=0.5)
    cached = CachedDataSource(source, make_cache(), now=clock)
    first = await cached.fetch_logs("app", *SETTLED, None, 10_000)
    second = await cached.fetch_logs("app", *SETTLED, None, 10_000)
    assert cache_outcome.get() == "hit"
    assert second == first and len(first) == 5000


async def test_concurrent_calls_in_one_process_share_the_cache(
    cached: CachedDataSource, source: CountingSource, warnings_seen: list[str]
) -> None:
    import asyncio

    source.events = make_events(400, start=SETTLED[0], step=5)
    patterns = [f"request {n}" for n in range(12)]

    async def ask(pattern: str) -> tuple[str | None, int]:
        events = await cached.fetch_logs("app", *SETTLED, pattern)
        return cache_outcome.get(), len(events)

    first = await asyncio.gather(*(ask(p) for p in patterns))
    second = await asyncio.gather(*(ask(p) for p in patterns))
    assert {outcome for outcome, _ in first} == {"miss"}
    assert {outcome for outcome, _ in second} == {"hit"}  # each task sees its own outcome
    assert [n for _, n in first] == [n for _, n in second]
    assert len(source.calls) == len(patterns)
    assert warnings_seen == []


async def test_settled_request_never_gets_a_snapshot_taken_while_live(
    make_cache: MakeCache, clock: ManualClock
) -> None:
    class NoDelay(CountingSource):
        ingestion_delay_seconds = 0.0

    source = NoDelay(make_events(10, start=T0 - timedelta(minutes=5), step=10))
    cached = CachedDataSource(source, make_cache(), policy=CachePolicy(live_ttl=600), now=clock)
    await cached.fetch_logs("app", T0 - HOUR, T0 + timedelta(minutes=1))  # live: ends after now
    clock.advance(61.5)
    # The same absolute range, now settled: within the old entry's TTL but must be refetched.
    source.events += make_events(1, start=T0 + timedelta(seconds=30))
    events = await cached.fetch_logs("app", T0 - HOUR, T0 + timedelta(minutes=1))
    assert cache_outcome.get() == "miss"
    assert len(events) == 11
