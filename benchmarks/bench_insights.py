"""Logs Insights past the row limit: time and queries to answer a question that needs splitting.

A raw-event query over a group whose matches exceed the per-query row limit is followed by
splitting its time range (``logai_cloudwatch.insights``). This runs one such question against
moto's Insights engine with AWS's row limit enforced and a fixed running time per query
(``tests/fakes/insights_limits.py``), scaled down: a row limit of 500 instead of 10,000 and
events spread over an hour with a burst in it, as real logs come. It prints

- how many rows one unsplit query returns against how many matched;
- for the split question: rows returned, queries run against the fewest possible
  (ceil(matched / row limit)), and wall time with parts run side by side (the default bound of
  4) and one at a time, and the ratio of the two.

Run: ``python benchmarks/bench_insights.py`` (``--help`` for sizes). Exit status 1 if the split
question does not return every matching row. Nothing here talks to real AWS.
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
from typing import TYPE_CHECKING

# The seeding helpers and the moto wrapper live in the test tree; run from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cloudwatch.fixtures import now_ms, seed_events
from tests.fakes.insights_limits import EnforcingInsights
from tests.fakes.moto_server import use_fake_aws_for_good

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

GROUP = "/bench/insights"


def _seed(client: CloudWatchLogsClient, spread: int, burst: int) -> int:
    """``spread`` events over the last hour and ``burst`` more within two minutes of it."""
    start = now_ms() - 3_500_000
    seed_events(
        client,
        GROUP,
        [f"steady {i}" for i in range(spread)],
        start_ms=start,
        step_ms=3_400_000 // max(1, spread),
    )
    seed_events(
        client,
        GROUP,
        [f"burst {i}" for i in range(burst)],
        stream="stream-2",
        start_ms=start + 1_800_000,
        step_ms=120_000 // max(1, burst),
        create_group=False,
    )
    return spread + burst


async def _question(
    client: CloudWatchLogsClient,
    *,
    rows_per_query: int,
    concurrency: int,
    latency: float,
    limit: int,
) -> tuple[int, int, float, bool]:
    from logai.config import load_settings
    from logai_cloudwatch.insights import PollPolicy, SplitPolicy
    from logai_cloudwatch.source import CloudWatchSource

    server = EnforcingInsights(client, latency=latency)
    source = CloudWatchSource(
        load_settings(),
        client=server,  # type: ignore[arg-type]  # a wrapper with the client's methods
        poll=PollPolicy(initial=latency / 4, factor=1.0, maximum=latency / 4),
        split=SplitPolicy(rows_per_query=rows_per_query, concurrency=concurrency),
    )
    end = datetime.now(UTC)
    began = time.perf_counter()
    result = await source.run_query(
        "fields @timestamp, @message",
        [GROUP],
        end - timedelta(hours=1),
        end,
        limit=limit,
        timeout=600,
    )
    elapsed = time.perf_counter() - began
    await source.aclose()
    return len(result.rows), len(server.started), elapsed, result.complete


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spread", type=int, default=4000, help="events spread over the hour")
    parser.add_argument("--burst", type=int, default=2000, help="events in a two-minute burst")
    parser.add_argument("--rows-per-query", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds each query runs")
    args = parser.parse_args(argv)

    use_fake_aws_for_good()
    import boto3  # type: ignore[import-untyped]
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("logs")
        matched = _seed(client, args.spread, args.burst)
        common = {"rows_per_query": args.rows_per_query, "latency": args.latency}
        one, _, one_time, _ = await _question(
            client, concurrency=1, limit=args.rows_per_query, **common
        )
        rows, queries, side_time, complete = await _question(
            client, concurrency=4, limit=50_000, **common
        )
        _, _, serial_time, _ = await _question(client, concurrency=1, limit=50_000, **common)

    fewest = math.ceil(matched / args.rows_per_query)
    print(
        f"matched events: {matched:,}; row limit per query: {args.rows_per_query:,}; "
        f"each query runs {args.latency:g} s"
    )
    print(f"one unsplit query: {one:,} of {matched:,} rows in {one_time:.2f} s")
    print(
        f"split question: {rows:,} rows, complete={complete}, {queries} queries "
        f"(fewest possible {fewest}, ratio {queries / fewest:.2f})"
    )
    print(
        f"split question wall time: {side_time:.2f} s with 4 side by side, "
        f"{serial_time:.2f} s one at a time (speed-up {serial_time / side_time:.2f}x)"
    )
    return 0 if complete and rows == matched else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
