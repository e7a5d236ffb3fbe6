"""Logs Insights at scale: time to answer a question over many groups that needs splitting.

A raw-event query over more groups than one Insights query may name (50) is run in batches,
and each batch whose matches exceed the per-query row limit is split by time
(``logai_cloudwatch.insights``). This runs one such question through boto3 over HTTP against
``tests/fakes/insights_server.py``, which enforces AWS's limits (50 groups, the row limit, a
concurrent-query quota) and gives every query a fixed running time, scaled down: a row limit
of 500 instead of 10,000. Events are spread over the hour with a burst in some groups, as real
logs come. It prints

- groups, batches, matched events, the row limit and each query's running time;
- rows returned, whether complete, queries run, bytes scanned and the approximate cost;
- wall time with queries side by side within the quota (default: AWS's 30) and one at a time,
  and the ratio of the two.

Run: ``python benchmarks/bench_insights_scale.py`` (``--help`` for sizes). Exit status 1 if
the question does not return every matching row in order. Nothing here talks to real AWS.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The Insights server lives in the test tree; run from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.insights_server import InsightsServer
from tests.fakes.moto_server import use_fake_aws_for_good

END = datetime.now(UTC).replace(microsecond=0)
START = END - timedelta(hours=1)


def _seed(server: InsightsServer, groups: int, per_group: int, burst: int) -> list[str]:
    """Every group gets ``per_group`` events over the hour; every tenth ``burst`` more in 2 min."""
    base = int(START.timestamp() * 1000) + 60_000
    names = [f"/bench/svc-{g:04d}" for g in range(groups)]
    step = 3_300_000 // max(1, groups * per_group)
    for g, name in enumerate(names):
        events = [(base + (k * groups + g) * step, f"{name} steady {k}") for k in range(per_group)]
        if g % 10 == 0:
            middle = base + 1_500_000
            events += [(middle + k * 200 + g, f"{name} burst {k}") for k in range(burst)]
        server.put_events(name, events)
    return names


async def _question(
    names: list[str], *, rows_per_query: int, concurrency: int, latency: float
) -> tuple[int, int, int, float, bool, float, float]:
    from logai.config import load_settings
    from logai_cloudwatch.insights import PollPolicy, SplitPolicy
    from logai_cloudwatch.source import CloudWatchSource

    source = CloudWatchSource(
        load_settings(),
        poll=PollPolicy(initial=latency / 4, factor=1.0, maximum=latency / 4),
        split=SplitPolicy(rows_per_query=rows_per_query, concurrency=concurrency, max_queries=1000),
    )
    began = time.perf_counter()
    result = await source.run_query(
        "fields @timestamp, @message", names, START, END, limit=50_000, timeout=600
    )
    elapsed = time.perf_counter() - began
    await source.aclose()
    cost = result.cost
    ordered = [row["@timestamp"] for row in result.rows] == sorted(
        (row["@timestamp"] for row in result.rows), reverse=True
    )
    return (
        len(result.rows),
        result.queries,
        result.batches,
        elapsed,
        result.complete and ordered,
        cost.bytes_scanned if cost else 0.0,
        (cost.approx_usd or 0.0) if cost else 0.0,
    )


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=180, help="log groups in the question")
    parser.add_argument("--per-group", type=int, default=20, help="events per group")
    parser.add_argument("--burst", type=int, default=600, help="extra events in every 10th group")
    parser.add_argument("--rows-per-query", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds each query runs")
    parser.add_argument("--quota", type=int, default=30, help="concurrent queries allowed")
    args = parser.parse_args(argv)

    with InsightsServer(latency=args.latency, quota=args.quota) as server:
        use_fake_aws_for_good(server.endpoint)
        names = _seed(server, args.groups, args.per_group, args.burst)
        matched = args.groups * args.per_group + math.ceil(args.groups / 10) * args.burst
        common = {"rows_per_query": args.rows_per_query, "latency": args.latency}
        rows, queries, batches, side, complete, scanned, usd = await _question(
            names, concurrency=args.quota, **common
        )
        most_running = server.most_running
        _, _, _, serial, _, _, _ = await _question(names, concurrency=1, **common)
        rejected = len(server.rejected)

    print(
        f"groups: {args.groups:,} ({batches} batches of <= 50); matched events: {matched:,}; "
        f"row limit per query: {args.rows_per_query:,}; each query runs {args.latency:g} s"
    )
    print(
        f"question: {rows:,} rows, complete and in order={complete}, {queries} queries, "
        f"{scanned / 1024:.1f} KiB scanned (approx. ${usd:.8f} at list price)"
    )
    print(
        f"wall time: {side:.2f} s within a quota of {args.quota} "
        f"(at most {most_running} running at once, {rejected} refused), "
        f"{serial:.2f} s one at a time (speed-up {serial / side:.2f}x)"
    )
    return 0 if complete and rows == matched and rejected == 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
