"""CloudWatch source benchmarks: concurrent search under latency, and memory of a big fetch.

(a) Searching 20 log groups when every request carries 50 ms of added latency, with
    ``search_logs`` (groups fetched concurrently, default bound of 8) against the same
    search done group by group. The latency is a botocore ``before-send`` hook that sleeps
    50 ms in the calling thread just before each HTTP request, the way a network round trip
    holds a worker. Target: at least 5x faster.
(b) Fetching 100,000 events of one group: the peak of Python allocations (tracemalloc) during
    ``fetch_logs(limit=100_000)``, against the stated bound of 500 bytes per event kept plus
    16 MB for the page in flight (63.7 MB here); and the same with ``limit=10_000`` (bound
    20.8 MB) to show that memory follows the limit, not the size of the group.

moto's server runs in a child process on 127.0.0.1, so neither figure includes moto's own CPU
or memory. Nothing here talks to real AWS.

Run: ``python benchmarks/bench_cloudwatch.py`` (``--help`` for sizes). Exit status 1 if a
target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# The seeding helpers and moto fixtures live in the test tree; run from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cloudwatch.fixtures import now_ms, seed_events
from tests.fakes.moto_server import MotoServerProcess, use_fake_aws_for_good

MB = 1024 * 1024
SPEEDUP_TARGET = 5.0
#: Bound for (b), for ~120-character messages: memory follows the *limit* (what is kept) plus
#: a constant for the one 10,000-event page in flight - never the size of the group.
BOUND_BYTES_PER_EVENT = 500
BOUND_PAGE_MB = 16.0


def memory_bound_mb(limit: int) -> float:
    """The stated bound: 500 bytes per event kept, plus 16 MB for a page being parsed."""
    return limit * BOUND_BYTES_PER_EVENT / MB + BOUND_PAGE_MB


def _source(**options: Any) -> Any:
    from logai.config import load_settings
    from logai_cloudwatch.retry import RetryPolicy
    from logai_cloudwatch.source import CloudWatchSource

    return CloudWatchSource(load_settings(), retry=RetryPolicy(max_attempts=3), **options)


def _range() -> tuple[datetime, datetime]:
    end = datetime.now(UTC)
    return end - timedelta(hours=3), end


# -- (a) concurrent search under latency ---------------------------------------------------------


async def _add_latency(source: Any, seconds: float) -> None:
    client = await source._ensure_client()  # made (and warmed) outside the timed part

    def delay(**_: Any) -> None:
        time.sleep(seconds)

    client.meta.events.register("before-send.logs.*", delay)


async def _sequential(source: Any, groups: list[str], start: datetime, end: datetime) -> int:
    found = 0
    for group in groups:
        found += len(await source.fetch_logs(group, start, end, "ERROR", 1000))
    return found


async def _concurrent(source: Any, groups: list[str], start: datetime, end: datetime) -> int:
    return len(await source.search_logs(groups, "ERROR", start, end, 1000 * len(groups)))


async def bench_search(
    server: MotoServerProcess, groups: int, latency_ms: float, rounds: int
) -> bool:
    client = server.logs_client()
    names = [f"/bench/search/service-{i:02d}" for i in range(groups)]
    base = now_ms() - 30 * 60_000
    for i, name in enumerate(names):
        messages = [f"{name} request {j} {'ERROR' if j % 10 == 0 else 'ok'}" for j in range(200)]
        seed_events(client, name, messages, start_ms=base + i, step_ms=1000)
    start, end = _range()

    source = _source()
    bound = source._max_concurrency
    await source.list_log_groups(limit=1)
    await _add_latency(source, latency_ms / 1000)
    sequential_times, concurrent_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        one_by_one = await _sequential(source, names, start, end)
        sequential_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        together = await _concurrent(source, names, start, end)
        concurrent_times.append(time.perf_counter() - started)
        assert one_by_one == together == 20 * groups, (one_by_one, together)
    await source.aclose()

    sequential = statistics.median(sequential_times)
    concurrent = statistics.median(concurrent_times)
    speedup = sequential / concurrent
    ok = speedup >= SPEEDUP_TARGET
    print(f"(a) search of {groups} groups, {latency_ms:.0f} ms added per request "
          f"(botocore before-send hook), median of {rounds}:")  # fmt: skip
    print(f"    group by group : {sequential * 1000:7.0f} ms")
    print(f"    search_logs    : {concurrent * 1000:7.0f} ms  (concurrency bound {bound})")
    print(f"    speed-up       : {speedup:7.1f}x  (target >= {SPEEDUP_TARGET:.0f}x) "
          f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
    return ok


# -- (b) memory of a large fetch -----------------------------------------------------------------


async def _peak_of_fetch(group: str, limit: int) -> tuple[int, int, float, int]:
    """(peak bytes, retained bytes, seconds, events) of one fetch, client already warm."""
    source = _source()
    await source.list_log_groups(limit=1)
    start, end = _range()
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    events = await source.fetch_logs(group, start, end, limit=limit)
    elapsed = time.perf_counter() - started
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count = len(events)
    del events
    await source.aclose()
    return peak - baseline, current - baseline, elapsed, count


async def bench_memory(server: MotoServerProcess, count: int) -> bool:
    client = server.logs_client()
    group = "/bench/memory/api"
    messages = [
        f"2024-05-01T12:00:00Z INFO request {i} handled path=/api/v1/items/{i} status=200 "
        f"duration_ms={i % 500}".ljust(120, ".")
        for i in range(count)
    ]
    started = time.perf_counter()
    seed_events(client, group, messages, start_ms=now_ms() - 2 * 3_600_000, step_ms=50)
    seeding = time.perf_counter() - started
    del messages

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak, retained, elapsed, fetched = await _peak_of_fetch(group, count)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    small_peak, _, _, small_count = await _peak_of_fetch(group, count // 10)

    bound, small_bound = memory_bound_mb(count), memory_bound_mb(count // 10)
    ok = fetched == count and peak / MB < bound and small_peak / MB < small_bound
    print(f"(b) fetch of {count:,} events (~120-character messages) from one group:")
    print(f"    seeding (put_log_events, batches of 5,000): {seeding:.1f} s")
    print(f"    fetch_logs(limit={count:,}): {fetched:,} events in {elapsed:.1f} s "
          "(under tracemalloc)")  # fmt: skip
    print(f"    peak traced memory : {peak / MB:6.1f} MB  (bound {bound:.1f} MB = "
          f"{BOUND_BYTES_PER_EVENT} B x {count:,} + {BOUND_PAGE_MB:.0f} MB) "
          f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
    print(f"    result retained    : {retained / MB:6.1f} MB  "
          f"({retained / max(fetched, 1):.0f} bytes per event)")  # fmt: skip
    print(f"    max RSS growth     : {(rss_after - rss_before) / 1024:6.1f} MB")
    print(f"    fetch_logs(limit={count // 10:,}) of the same group: {small_count:,} events, "
          f"peak {small_peak / MB:.1f} MB (bound {small_bound:.1f} MB)")  # fmt: skip
    return ok


async def main(args: argparse.Namespace) -> int:
    with MotoServerProcess() as server:
        use_fake_aws_for_good(server.endpoint)
        ok = True
        if not args.skip_search:
            ok &= await bench_search(server, args.groups, args.latency_ms, args.rounds)
        if not args.skip_memory:
            ok &= await bench_memory(server, args.events)
    return 0 if ok else 1


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(_parse(sys.argv[1:]))))
