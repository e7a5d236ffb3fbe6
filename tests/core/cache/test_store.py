"""LogCache with a manual clock: get/set/delete, expiry, LRU under a size cap, counters, sweeps."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import timedelta
from pathlib import Path

from logai.cache import LogCache

from .conftest import T0, MakeCache, ManualClock


async def test_set_then_get_returns_the_payload(cache: LogCache) -> None:
    assert await cache.set("k", b"payload" * 50, source="s", kind="fetch_logs", ttl=60)
    assert await cache.get("k") == b"payload" * 50


async def test_get_of_a_missing_key_is_none(cache: LogCache) -> None:
    assert await cache.get("nope") is None


async def test_set_overwrites_and_delete_removes(cache: LogCache) -> None:
    await cache.set("k", b"one", source="s", kind="k", ttl=60)
    await cache.set("k", b"two", source="s", kind="k", ttl=60)
    assert await cache.get("k") == b"two"
    assert await cache.count() == 1
    assert await cache.delete("k") is True
    assert await cache.delete("k") is False
    assert await cache.get("k") is None


async def test_payload_is_stored_compressed(cache: LogCache, cache_path: Path) -> None:
    payload = b"INFO request handled in 12 ms\n" * 2000
    await cache.set("k", payload, source="s", kind="k", ttl=60)
    size = await cache.size()
    assert 0 < size < len(payload) / 10
    stats = await cache.stats()
    assert stats.raw_bytes == len(payload)
    assert stats.compression_ratio is not None and stats.compression_ratio > 10


async def test_entry_expires_after_its_ttl(cache: LogCache, clock: ManualClock) -> None:
    await cache.set("k", b"v", source="s", kind="k", ttl=60)
    clock.advance(59.9)
    assert await cache.get("k") == b"v"
    clock.advance(0.2)
    assert await cache.get("k") is None


async def test_delete_expired_removes_only_expired_entries(
    cache: LogCache, clock: ManualClock
) -> None:
    await cache.set("short", b"v", source="s", kind="k", ttl=10)
    await cache.set("long", b"v", source="s", kind="k", ttl=1000)
    clock.advance(11)
    assert await cache.delete_expired() == 1
    assert await cache.count() == 1
    assert await cache.get("long") == b"v"


async def test_evict_drops_least_recently_used_until_under_the_cap(
    cache: LogCache, clock: ManualClock
) -> None:
    blobs = {name: os.urandom(1000) for name in "abcd"}  # random: compresses to ~1000 bytes
    for name, blob in blobs.items():
        await cache.set(name, blob, source="s", kind="k", ttl=600)
        clock.advance(1)
    assert await cache.get("a") == blobs["a"]  # "a" is now the most recently used
    clock.advance(1)
    one = (await cache.size()) // 4
    evicted = await cache.evict(max_bytes=one * 2 + 10)
    assert evicted == 2
    assert await cache.get("a") == blobs["a"]
    assert await cache.get("d") == blobs["d"]
    assert await cache.get("b") is None
    assert await cache.get("c") is None


async def test_evict_does_nothing_under_the_cap(cache: LogCache) -> None:
    await cache.set("k", b"v", source="s", kind="k", ttl=60)
    assert await cache.evict() == 0
    assert await cache.count() == 1


async def test_background_sweep_keeps_the_cache_under_its_size_cap(
    make_cache: MakeCache, clock: ManualClock
) -> None:
    cache = make_cache(max_bytes=5000, cleanup_interval=3600)
    for index in range(20):
        await cache.set(f"k{index}", os.urandom(1000), source="s", kind="k", ttl=600)
        clock.advance(1)
        await cache.janitor.wait()
    assert await cache.size() <= 5000 + 1100  # at most the entry written after the last sweep
    assert await cache.get("k19") is not None
    assert await cache.get("k0") is None
    assert cache.janitor.sweeps >= 2


async def test_sweep_runs_at_most_once_per_interval(
    make_cache: MakeCache, clock: ManualClock
) -> None:
    cache = make_cache(cleanup_interval=300)
    await cache.set("a", b"v", source="s", kind="k", ttl=1)
    await cache.janitor.wait()
    assert cache.janitor.sweeps == 1
    clock.advance(10)
    await cache.set("b", b"v", source="s", kind="k", ttl=1)
    await cache.janitor.wait()
    assert cache.janitor.sweeps == 1
    assert await cache.count() == 2  # "a" expired but no sweep was due
    clock.advance(300)
    await cache.set("c", b"v", source="s", kind="k", ttl=60)
    await cache.janitor.wait()
    assert cache.janitor.sweeps == 2
    assert await cache.count() == 1


async def test_entry_larger_than_the_cap_is_not_stored(make_cache: MakeCache) -> None:
    cache = make_cache(max_bytes=100)
    assert await cache.set("big", os.urandom(500), source="s", kind="k", ttl=60) is False
    assert await cache.count() == 0


async def test_stats_counts_entries_bytes_hits_misses_oldest_newest(
    cache: LogCache, clock: ManualClock
) -> None:
    await cache.set("a", b"x" * 100, source="s", kind="k", ttl=5)
    await cache.janitor.wait()  # the first write's sweep, before "a" expires
    clock.advance(30)
    await cache.set("b", b"y" * 100, source="s", kind="k", ttl=600)
    await cache.get("b")
    await cache.get("b")
    await cache.get("a")  # expired: a miss
    await cache.get("zzz")
    stats = await cache.stats()
    assert (stats.entries, stats.expired) == (2, 1)
    assert (stats.hits, stats.misses) == (2, 2)
    assert stats.hit_rate == 0.5
    assert stats.oldest == T0
    assert stats.newest == T0 + timedelta(seconds=30)
    assert stats.bytes == await cache.size()
    assert stats.file_bytes > 0
    assert stats.problem is None


async def test_hit_counters_persist_across_cache_instances(make_cache: MakeCache) -> None:
    first = make_cache()
    await first.set("a", b"v", source="s", kind="k", ttl=60)
    await first.get("a")
    await first.get("missing")
    await first.aclose()
    stats = await make_cache().stats()
    assert (stats.hits, stats.misses) == (1, 1)


async def test_clear_removes_everything_and_resets_counters(cache: LogCache) -> None:
    for index in range(5):
        await cache.set(f"k{index}", b"v" * 1000, source="s", kind="k", ttl=60)
    await cache.get("k1")
    assert await cache.clear() == 5
    stats = await cache.stats()
    assert (stats.entries, stats.bytes, stats.hits, stats.misses) == (0, 0, 0, 0)


async def test_lookup_tries_keys_in_order_and_counts_one_lookup(cache: LogCache) -> None:
    await cache.set("second", b"2", source="s", kind="k", ttl=60, meta={"n": 2})
    hit = await cache.lookup(["first", "second"])
    assert hit is not None
    assert (hit.key, hit.payload, hit.meta) == ("second", b"2", {"n": 2})
    rejected = await cache.lookup(["second"], accept=lambda meta: meta.get("n") == 3)
    assert rejected is None
    stats = await cache.stats()
    assert (stats.hits, stats.misses) == (1, 1)


async def test_schema_version_is_recorded(cache: LogCache, cache_path: Path) -> None:
    assert await cache.open()
    with sqlite3.connect(cache_path) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        indexes = {row[1] for row in raw.execute("PRAGMA index_list(entries)")}
    assert {"ix_entries_expires", "ix_entries_lru"} <= indexes


def test_cache_works_across_event_loops(make_cache: MakeCache) -> None:
    """A CLI may run several ``asyncio.run`` calls with one cache object."""
    cache = make_cache()
    asyncio.run(cache.set("k", b"v", source="s", kind="k", ttl=60))
    assert asyncio.run(cache.get("k")) == b"v"
    asyncio.run(cache.aclose())


def _old_schema_file(path: Path) -> None:
    """A cache file from before version 1: only the version table, at 0."""
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        raw.execute("INSERT INTO schema_version VALUES (0)")


async def test_older_schema_is_upgraded_at_start_up(
    cache_path: Path, make_cache: MakeCache
) -> None:
    _old_schema_file(cache_path)
    cache = make_cache()
    assert await cache.set("k", b"v", source="s", kind="k", ttl=60)
    await cache.aclose()
    with sqlite3.connect(cache_path) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert {"entries", "counters"} <= tables


async def test_two_caches_opening_a_new_file_together_both_work(make_cache: MakeCache) -> None:
    first, second = make_cache(), make_cache()
    assert list(await asyncio.gather(first.open(), second.open())) == [True, True]
    await first.set("k", b"v", source="s", kind="k", ttl=60)
    assert await second.get("k") == b"v"
