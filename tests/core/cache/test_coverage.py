"""Cache equivalence: what the cache serves is what the source answers, for any range and limit.

Each test asks the cached source and the bare source the same question and compares; the source's
call log shows what the cache fetched (never a range wider than asked).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from logai.cache import CachedDataSource, CachePolicy, LogCache, cache_outcome
from logai.cache.coverage import Segment, merge_into, plan, segment_from_fetch
from logai.cache.window import Span
from logai.clock import to_ms
from logai.sources import LogEvent

from .conftest import T0, CountingSource, MakeCache, ManualClock, make_events

MINUTE = timedelta(minutes=1)


def per_second_for_90_minutes(now: datetime) -> list[LogEvent]:
    return make_events(90 * 60, start=now - 90 * MINUTE, step=1.0)


async def same_answer(
    cached: CachedDataSource,
    source: CountingSource,
    start: datetime,
    end: datetime,
    pattern: str | None = None,
    limit: int = 1000,
) -> list[LogEvent]:
    served = await cached.fetch_logs("app", start, end, pattern, limit)
    truth = await source.fetch_logs("app", start, end, pattern, limit)
    source.calls.pop()
    assert served == truth
    return served


async def test_live_range_with_a_limit_is_never_empty_when_the_source_has_events(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    # The reproduction: one event a second for 90 minutes, "--since 30m --limit 5".
    source.events = per_second_for_90_minutes(clock())
    clock.advance(17.25)
    events = await same_answer(cached, source, clock() - 30 * MINUTE, clock(), limit=5)
    assert len(events) == 5
    assert events[0].timestamp >= clock() - 30 * MINUTE
    assert await same_answer(cached, source, clock() - 30 * MINUTE, clock(), limit=5)
    assert cache_outcome.get() == "hit"


async def test_a_wider_cut_entry_never_answers_a_later_start(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    source.events = per_second_for_90_minutes(clock())
    await same_answer(cached, source, clock() - 90 * MINUTE, clock(), limit=5)
    events = await same_answer(cached, source, clock() - 30 * MINUTE, clock(), limit=5)
    assert len(events) == 5
    assert cache_outcome.get() == "miss"


async def test_smaller_limits_and_sub_ranges_of_a_complete_entry_are_hits(
    cached: CachedDataSource, source: CountingSource, clock: ManualClock
) -> None:
    start, end = T0 - 3 * 60 * MINUTE, T0 - 60 * MINUTE
    everything = await same_answer(cached, source, start, end, limit=1000)
    assert 0 < len(everything) < 1000
    calls = len(source.calls)
    await same_answer(cached, source, start, end, limit=3)
    await same_answer(cached, source, start + 7 * MINUTE, end - 11 * MINUTE, limit=1000)
    await same_answer(cached, source, start + 7 * MINUTE, end - 11 * MINUTE, limit=2)
    await same_answer(cached, source, end, end, limit=10)
    assert cache_outcome.get() == "hit"
    assert len(source.calls) == calls


async def test_a_larger_limit_fetches_only_what_follows_the_cut(
    cached: CachedDataSource, source: CountingSource
) -> None:
    start, end = T0 - 3 * 60 * MINUTE, T0 - 60 * MINUTE
    first = await same_answer(cached, source, start, end, limit=20)
    more = await same_answer(cached, source, start, end, limit=50)
    assert more[:20] == first and len(more) == 50
    _, (_group, gap_start, gap_end, _pattern, gap_limit) = source.calls[-1]
    assert gap_start == first[-1].timestamp  # the cut millisecond itself is asked again
    assert isinstance(gap_end, datetime) and to_ms(gap_end) == to_ms(end)
    assert gap_limit == 50 - 19


async def test_events_sharing_the_cut_millisecond_are_never_guessed(
    cached: CachedDataSource, source: CountingSource
) -> None:
    start = T0 - 2 * 60 * MINUTE
    burst = [
        LogEvent(start + timedelta(seconds=10), f"burst {n}", "app", "s", f"b{n}") for n in range(6)
    ]
    source.events = sorted(
        make_events(10, start=start, step=1) + burst + make_events(5, start=start + 20 * MINUTE),
        key=lambda event: event.timestamp,
    )
    end = start + 60 * MINUTE
    cut = await same_answer(cached, source, start, end, limit=12)  # 10 + 2 of the 6 tied events
    assert [event.message for event in cut[-2:]] == ["burst 0", "burst 1"]
    calls = len(source.calls)
    await same_answer(cached, source, start, end, limit=11)  # inside what the tail proves
    await same_answer(cached, source, start + timedelta(seconds=10), end, limit=2)
    assert len(source.calls) == calls and cache_outcome.get() == "hit"
    events = await same_answer(cached, source, start + timedelta(seconds=10), end, limit=5)
    assert cache_outcome.get() == "miss"  # five events of the tied millisecond: only two known
    assert [event.message for event in events] == [f"burst {n}" for n in range(5)]
    await same_answer(cached, source, start, end, limit=100)


async def test_late_events_show_once_the_live_ttl_has_passed(
    make_cache: MakeCache, clock: ManualClock
) -> None:
    source = CountingSource(make_events(30, start=T0 - 10 * MINUTE, step=10))
    cached = CachedDataSource(source, make_cache(), policy=CachePolicy(live_ttl=30), now=clock)
    start = T0 - 20 * MINUTE
    await same_answer(cached, source, start, clock())
    # An event with an old timestamp arrives late (within the source's ingestion delay).
    source.events = sorted(
        [*source.events, *make_events(1, start=T0 - timedelta(seconds=30))],
        key=lambda event: event.timestamp,
    )
    clock.advance(31)
    events = await same_answer(cached, source, start, clock())
    assert len(events) == 31
    older = await same_answer(cached, source, start, T0 - 5 * MINUTE)  # settled before the fetch
    assert cache_outcome.get() == "hit" and older


async def test_a_settled_request_is_never_served_data_fetched_while_live(
    make_cache: MakeCache, clock: ManualClock
) -> None:
    class NoDelay(CountingSource):
        ingestion_delay_seconds = 0.0

    source = NoDelay(make_events(10, start=T0 - 5 * MINUTE, step=10))
    cached = CachedDataSource(source, make_cache(), policy=CachePolicy(live_ttl=600), now=clock)
    await same_answer(cached, source, T0 - 60 * MINUTE, T0 + MINUTE)
    source.events += make_events(1, start=T0 + timedelta(seconds=30))
    clock.advance(61.5)
    assert len(await same_answer(cached, source, T0 - 60 * MINUTE, T0 + MINUTE)) == 11


async def test_disjoint_ranges_of_one_group_are_all_kept(
    cached: CachedDataSource, source: CountingSource
) -> None:
    morning = (T0 - 110 * MINUTE, T0 - 90 * MINUTE)
    noon = (T0 - 50 * MINUTE, T0 - 30 * MINUTE)
    await same_answer(cached, source, *morning)
    await same_answer(cached, source, *noon)
    await same_answer(cached, source, *morning)
    await same_answer(cached, source, *noon)
    assert cache_outcome.get() == "hit"
    assert len(source.calls) == 2


async def test_a_damaged_entry_is_dropped_and_refetched(
    cached: CachedDataSource, source: CountingSource, cache: LogCache, cache_path: Path
) -> None:
    span = (T0 - 110 * MINUTE, T0 - 90 * MINUTE)
    first = await same_answer(cached, source, *span)
    with sqlite3.connect(cache_path) as connection:
        connection.execute('UPDATE entries SET meta = \'{"segments": [{"lo": 1}]}\'')
    assert await same_answer(cached, source, *span) == first
    assert cache_outcome.get() == "miss"


def test_a_segment_proves_its_complete_part_and_the_first_events_of_its_tail() -> None:
    events = make_events(5, start=T0, step=1)
    segment = segment_from_fetch(Span(to_ms(T0), to_ms(T0) + 60_000), 5, events, 0, 0)
    assert segment is not None
    assert (segment.lo, segment.hi, segment.tail) == (to_ms(T0), to_ms(T0) + 3999, 1)
    assert plan(segment, Span(to_ms(T0) + 4000, to_ms(T0) + 9000), 1) is not None
    beyond = plan(segment, Span(to_ms(T0) + 1000, to_ms(T0) + 9000), 9)
    assert beyond is not None and beyond.gap == Span(to_ms(T0) + 4000, to_ms(T0) + 9000)
    assert plan(segment, Span(to_ms(T0) + 4001, to_ms(T0) + 9000), 1) is None


def test_only_complete_parts_merge() -> None:
    def seg(lo: int, hi: int, tail: int = 0) -> Segment:
        return Segment(lo, hi, (), tail, 0, 0)

    merged, joined = merge_into([seg(0, 9, tail=0)], seg(10, 20))
    assert len(merged) == 1 and (joined.lo, joined.hi) == (0, 20)
    apart, _ = merge_into([seg(0, 9)], seg(11, 20))  # millisecond 10 is unknown
    assert len(apart) == 2


async def test_a_source_answering_outside_the_range_is_never_cached(
    cached: CachedDataSource, source: CountingSource
) -> None:
    class Sloppy(CountingSource):
        async def fetch_logs(self, *args: object, **kwargs: object) -> list[LogEvent]:
            self.calls.append(("fetch", ()))
            return self.events[:3]  # whatever the range

    sloppy = Sloppy(make_events(10, start=T0 - 30 * MINUTE))
    wrapped = CachedDataSource(sloppy, cached.cache, now=lambda: T0)
    for _ in range(2):
        assert (
            await wrapped.fetch_logs("app", T0 - 90 * MINUTE, T0 - 60 * MINUTE, None, 5)
            == (sloppy.events[:3])
        )
    assert len(sloppy.calls) == 2


async def test_search_answers_equal_the_sources(
    cached: CachedDataSource, source: CountingSource
) -> None:
    start = T0 - 3 * 60 * MINUTE
    source.events = sorted(
        make_events(200, group="app/api", start=start, step=13)
        + make_events(200, group="app/db", start=start + timedelta(milliseconds=5), step=17),
        key=lambda event: event.timestamp,
    )
    asks = [(0, 60, 1000), (0, 60, 7), (10, 50, 3), (0, 60, 40), (30, 90, 1000), (0, 90, 10)]
    for low, high, limit in asks:
        begin, end = start + low * MINUTE, start + high * MINUTE
        served = await cached.search_logs(
            ["app/db"], "request", begin, end, limit, prefixes=["app/"]
        )
        truth = await source.search_logs([], "request", begin, end, limit, prefixes=["app/"])
        assert served == truth, (low, high, limit)


async def test_an_entry_keeps_at_most_the_event_budget(
    cached: CachedDataSource, source: CountingSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logai.cache.source as module

    monkeypatch.setattr(module, "MAX_ENTRY_EVENTS", 150)
    source.events = make_events(300, start=T0 - 3 * 60 * MINUTE, step=20)
    first = (T0 - 3 * 60 * MINUTE, T0 - 150 * MINUTE)  # 91 events
    second = (T0 - 120 * MINUTE, T0 - 90 * MINUTE)  # 91 events
    await same_answer(cached, source, *first)
    await same_answer(cached, source, *second)
    await same_answer(cached, source, *second)
    assert cache_outcome.get() == "hit"
    await same_answer(cached, source, *first)  # dropped to stay in budget: fetched again
    assert cache_outcome.get() == "miss"
