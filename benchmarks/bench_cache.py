"""Cache benchmark: hit and miss latencies, ``get`` of a 10k-event entry, ``set``, compression.

Events look like CloudWatch application logs: request lines with ids, latencies and IPs, JSON
lines, a few stack traces, random request ids (which do not compress) - about 170 bytes each.

Figures (wall clock, real SQLite file in a temporary directory, WAL mode; on a shared machine
the CPU time per lookup, which other load does not inflate, is printed next to the latencies):

- **get**: p50/p95 over repeated lookups of one 10k-event entry: ``LogCache.get`` alone
  (SQLite read + zlib decompress).
- **fetch_logs through the cache**, over a source that answers from memory (so the figures are
  the cache's own cost; a real CloudWatch call adds 100 ms or more): a **miss** (lookup, fetch,
  encode, write), the source alone for reference, and each **hit** path: the same question again,
  a smaller limit, a sub-range of a complete entry, the first events of a cut entry, and the
  **partial hit** of a live question asked again 30 s later (cached events + a fetch of the new
  seconds only, merged and written back).
- **the same over CloudWatch** (moto's HTTP server in a child process; a real AWS round trip
  is slower still): a fetch with the cache off, a miss, a hit, and the live partial hit.
- **set**: entries/s and MB/s (uncompressed bytes) for 10k-event entries and for 100-event
  entries, ``LogCache.set`` alone (compress + write) and with encoding the events first.
- **size**: compressed bytes against the compact JSON the codec writes, and against the naive
  ``LogEvent.to_dict`` JSON; plus the ratio at other zlib levels, to justify the default.

Run: ``python benchmarks/bench_cache.py`` (``--help`` for sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # test helpers: moto, seeding

from logai.cache import CachedDataSource, LogCache
from logai.cache.codec import encode_events
from logai.sources import DataSource, LogEvent, LogGroup

MB = 1024 * 1024
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
GROUP = "/ecs/orders-service"


def make_events(count: int, seed: int = 7) -> list[LogEvent]:
    """Application-log-like events, deterministic for a given seed."""
    rng = random.Random(seed)
    paths = ["/api/orders", "/api/users/{id}", "/health", "/api/cart", "/login", "/api/search"]
    levels = ["INFO"] * 12 + ["WARN"] * 3 + ["ERROR"]
    events = []
    for index in range(count):
        request_id = f"{rng.getrandbits(128):032x}"
        kind = rng.random()
        if kind < 0.6:
            path = rng.choice(paths).replace("{id}", str(rng.randint(1, 99999)))
            message = (
                f"{rng.choice(levels)} [{request_id}] {rng.choice(['GET', 'POST'])} {path} "
                f"{rng.choice([200, 200, 200, 201, 404, 500])} {rng.randint(1, 2500)}ms "
                f"ip=10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            )
        elif kind < 0.95:
            message = json.dumps(
                {
                    "level": rng.choice(levels).lower(),
                    "msg": rng.choice(["cache refresh", "job finished", "retrying upstream"]),
                    "requestId": request_id,
                    "durationMs": round(rng.uniform(0.5, 900.0), 2),
                    "attempt": rng.randint(1, 3),
                }
            )
        else:
            message = (
                f"ERROR [{request_id}] Unhandled exception\nTraceback (most recent call last):\n"
                '  File "/app/handlers.py", line 88, in handle\n'
                f"KeyError: 'item-{rng.randint(1, 10**6)}'"
            )
        events.append(
            LogEvent(
                timestamp=START + timedelta(milliseconds=index * 37 + rng.randint(0, 30)),
                message=message,
                group="/ecs/orders-service",
                stream=f"orders/web/{rng.randint(1, 6):04x}",
                event_id=f"{rng.getrandbits(160):040d}"[:56],
            )
        )
    return events


class RangeSource(DataSource):
    """Answers from memory like a real source: range, limit, oldest first (filters ignored)."""

    name = "bench"
    ingestion_delay_seconds = 300.0  # as CloudWatch

    def __init__(self, events: Sequence[LogEvent]) -> None:
        self.events = sorted(events, key=lambda event: event.timestamp)
        self.calls = 0

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return [LogGroup("/ecs/orders-service")]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        self.calls += 1
        first = bisect_left(self.events, start, key=lambda event: event.timestamp)
        last = bisect_right(self.events, end, key=lambda event: event.timestamp)
        return self.events[first:last][:limit]

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
        return await self.fetch_logs("", start, end, pattern, limit)


class Clock:
    """The benchmark's "now", moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def latency_row(label: str, samples: Sequence[float], cpu: Sequence[float]) -> str:
    p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
    return f"  {label:<38} p50 {ms(p50)}   p95 {ms(p95)}   (CPU p50 {ms(percentile(cpu, 0.5))})"


def throughput_row(label: str, entries: int, megabytes: float, elapsed: float) -> str:
    return f"  {label:<38} {entries / elapsed:8.1f} entries/s  {megabytes / elapsed:7.1f} MB/s"


async def bench_get(folder: Path, events: list[LogEvent], rounds: int) -> None:
    payload = encode_events(events)
    cache = LogCache(folder / "get.sqlite3")
    await cache.set("big", payload, source="bench", kind="fetch_logs", ttl=3600)
    store_times: list[float] = []
    store_cpu: list[float] = []
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        found = await cache.get("big")
        store_times.append(time.perf_counter() - started)
        store_cpu.append(time.process_time() - cpu_started)
        assert found == payload
    await cache.aclose()

    size = f"{len(payload) / MB:.2f} MB raw"
    print(f"get, one entry of {len(events):,} events ({size}), {rounds} runs")
    print(latency_row("LogCache.get (read + decompress)", store_times, store_cpu))


Ask = tuple[datetime, datetime, int]


async def timed(
    cached: DataSource, ask: Callable[[int], Ask], rounds: int, pattern: Callable[[int], str]
) -> tuple[list[float], list[float], int]:
    """Wall and CPU time of ``rounds`` fetches; also how many events the last one returned."""
    times: list[float] = []
    cpu: list[float] = []
    count = 0
    for index in range(rounds):
        start, end, limit = ask(index)
        began, cpu_began = time.perf_counter(), time.process_time()
        answer = await cached.fetch_logs(GROUP, start, end, pattern(index), limit)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - cpu_began)
        count = len(answer)
    return times, cpu, count


async def bench_paths(folder: Path, events: list[LogEvent], rounds: int) -> None:
    """Latency of a miss and of each way the cache answers, on one 10k-event entry."""
    source = RangeSource(events)
    first, last = events[0].timestamp, events[-1].timestamp
    clock = Clock(last + timedelta(minutes=10))  # the range below has settled
    cached = CachedDataSource(source, LogCache(folder / "paths.sqlite3", now=clock), now=clock)
    whole: Ask = (first - timedelta(hours=1), last, 20_000)
    middle = first + (last - first) * 0.45, first + (last - first) * 0.55
    rows: list[tuple[str, tuple[list[float], list[float], int]]] = []

    def fixed(ask: Ask) -> Callable[[int], Ask]:
        return lambda _index: ask

    def same(_index: int) -> str:
        return "ERROR"

    rows.append(("source alone (no cache)", await timed(source, fixed(whole), rounds, same)))
    miss = await timed(cached, fixed(whole), rounds, lambda index: f"miss {index}")
    rows.append(("miss (lookup + fetch + encode + write)", miss))
    await cached.fetch_logs(GROUP, *whole[:2], "ERROR", whole[2])
    calls = source.calls
    rows.append(("hit: the same question", await timed(cached, fixed(whole), rounds, same)))
    smaller = (whole[0], whole[1], 100)
    rows.append(("hit: smaller limit (100)", await timed(cached, fixed(smaller), rounds, same)))
    inside = (*middle, 20_000)
    rows.append(("hit: sub-range (10% of it)", await timed(cached, fixed(inside), rounds, same)))
    await cached.fetch_logs(GROUP, *whole[:2], "cut", 1000)
    cut = (whole[0], whole[1], 500)
    cut_rows = await timed(cached, fixed(cut), rounds, lambda _index: "cut")
    rows.append(("hit: first 500 of a cut entry", cut_rows))
    assert source.calls == calls + 1, "every hit above must be answered without the source"

    # A live question ("the last 2 hours") asked again 30 s later: the cached events plus a
    # fetch of the new 30 seconds, merged and written back.
    live_clock = Clock(last + timedelta(seconds=1))
    live = CachedDataSource(
        source, LogCache(folder / "live.sqlite3", now=live_clock), now=live_clock
    )

    def last_two_hours(_index: int) -> Ask:
        live_clock.now += timedelta(seconds=30)
        return live_clock.now - timedelta(hours=2), live_clock.now, 20_000

    await live.fetch_logs(GROUP, *last_two_hours(0)[:2], "ERROR", 20_000)
    partial = await timed(live, last_two_hours, rounds, same)
    rows.append(("partial hit: live range again 30 s on", partial))
    await live.aclose()
    await cached.aclose()

    print(f"fetch_logs through the cache, {len(events):,}-event entry, {rounds} runs each")
    for label, (times, cpu, count) in rows:
        print(latency_row(label, times, cpu) + f"  [{count:,} events]")


async def bench_cloudwatch(folder: Path, count: int, rounds: int) -> None:
    """Miss, hit and partial hit in front of CloudWatch (moto over HTTP), against no cache."""
    from tests.cloudwatch.fixtures import now_ms, seed_events
    from tests.fakes.moto_server import MotoServerProcess, use_fake_aws_for_good

    from logai.config import load_settings
    from logai_cloudwatch.source import CloudWatchSource

    with MotoServerProcess() as server:
        use_fake_aws_for_good(server.endpoint)
        messages = [event.message for event in make_events(count)]
        seeded = now_ms()
        seed_events(
            server.logs_client(), GROUP, messages, start_ms=seeded - 25 * 60_000, step_ms=100
        )
        source = CloudWatchSource(load_settings())
        clock = Clock(datetime.fromtimestamp(seeded / 1000, UTC))
        cache = LogCache(folder / "cloudwatch.sqlite3", now=clock)
        cached = CachedDataSource(source, cache, now=clock)
        settled: Ask = (clock.now - timedelta(hours=1), clock.now - timedelta(minutes=6), count)

        rows = [("cache off", await timed(source, lambda _i: settled, rounds, lambda _i: ""))]
        miss_times: list[float] = []
        miss_cpu: list[float] = []
        for _ in range(rounds):
            await cache.clear()
            times, cpu, found = await timed(cached, lambda _i: settled, 1, lambda _i: "")
            miss_times += times
            miss_cpu += cpu
        rows.append(("miss", (miss_times, miss_cpu, found)))
        rows.append(("hit", await timed(cached, lambda _i: settled, rounds, lambda _i: "")))

        def last_hour(_index: int) -> Ask:
            clock.now += timedelta(seconds=30)
            return clock.now - timedelta(hours=1), clock.now, 2 * count  # not cut: all held

        await cached.fetch_logs(GROUP, *last_hour(0)[:2], None, 2 * count)
        rows.append(
            (
                "partial hit: last hour again 30 s on",
                await timed(cached, last_hour, rounds, lambda _i: ""),
            )
        )
        await cached.aclose()

    print(f"fetch_logs over CloudWatch (moto over HTTP), {found:,} events, {rounds} runs each")
    for label, (times, cpu, got) in rows:
        print(latency_row(label, times, cpu) + f"  [{got:,} events]")


async def bench_set(folder: Path, events: list[LogEvent], entries: int, label: str) -> None:
    cache = LogCache(folder / f"set-{label}.sqlite3", max_bytes=4096 * MB)
    payload = encode_events(events)
    started = time.perf_counter()
    for index in range(entries):
        await cache.set(f"k{index}", payload, source="bench", kind="fetch_logs", ttl=3600)
    store_elapsed = time.perf_counter() - started
    started = time.perf_counter()
    for index in range(entries):
        encoded = encode_events(events)
        await cache.set(f"e{index}", encoded, source="bench", kind="fetch_logs", ttl=3600)
    full_elapsed = time.perf_counter() - started
    await cache.janitor.wait()
    await cache.aclose()
    raw_mb = len(payload) * entries / MB
    size = f"{len(payload) / 1024:.0f} KB raw each"
    print(f"set, {entries} entries of {len(events):,} events ({size})")
    print(throughput_row("LogCache.set (compress + write)", entries, raw_mb, store_elapsed))
    print(throughput_row("encode + LogCache.set", entries, raw_mb, full_elapsed))


def bench_size(events: list[LogEvent]) -> None:
    compact = encode_events(events)
    naive = json.dumps([event.to_dict() for event in events]).encode()
    print(f"size of {len(events):,} events")
    print(
        f"  naive to_dict JSON {len(naive) / MB:.2f} MB, codec JSON {len(compact) / MB:.2f} MB"
        f" ({len(naive) / len(compact):.2f}x smaller before compression)"
    )
    for level in (1, 3, 6, 9):
        started = time.perf_counter()
        packed = zlib.compress(compact, level)
        elapsed = time.perf_counter() - started
        print(
            f"  zlib level {level}: {len(packed) / MB:.3f} MB stored,"
            f" {len(compact) / len(packed):.2f}x vs codec JSON,"
            f" {len(naive) / len(packed):.2f}x vs naive JSON,"
            f" {elapsed * 1000:5.1f} ms to compress{'  <- default' if level == 6 else ''}"
        )


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the big entry")
    parser.add_argument("--gets", type=int, default=60, help="timed lookups")
    parser.add_argument("--sets", type=int, default=30, help="big entries written")
    parser.add_argument("--cloudwatch-runs", type=int, default=8, help="0: skip the moto part")
    args = parser.parse_args(argv)
    events = make_events(args.events)
    small = events[:100]
    with tempfile.TemporaryDirectory(prefix="logai-bench-cache-") as tmp:
        folder = Path(tmp)
        bench_size(events)
        print()
        await bench_get(folder, events, args.gets)
        print()
        await bench_paths(folder, events, args.gets)
        print()
        if args.cloudwatch_runs:
            await bench_cloudwatch(folder, args.events, args.cloudwatch_runs)
            print()
        await bench_set(folder, events, args.sets, "big")
        await bench_set(folder, small, args.sets * 20, "small")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
