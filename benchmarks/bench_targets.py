"""Listing log groups across AWS targets: all targets at once against one by one, under latency.

``LOGAI_AWS_TARGETS`` names N targets (here: N regions of one moto server, each holding 60 log
groups, so every listing takes two DescribeLogGroups pages). Every request carries 50 ms of
added latency: a botocore ``before-send`` hook on each target's client sleeps in the calling
thread just before the HTTP request, the way a network round trip holds a worker (the pattern
of ``bench_cloudwatch.py``). The same listing is timed

* one by one: each target's source in turn, as LogAI without targets would need N runs;
* together: the target set's ``list_log_groups``, which asks every target at once (bounded by
  ``LOGAI_CLOUDWATCH_MAX_CONCURRENCY``, default 8).

Clients, credentials and account IDs are resolved before the timed part. moto runs in a child
process on 127.0.0.1; nothing here talks to real AWS. Exit status 1 if the speed-up is below
half the number of targets asked at once.

Run: ``python benchmarks/bench_targets.py`` (``--help`` for sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.moto_server import MotoServerProcess, use_fake_aws_for_good

REGIONS = (
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2",
    "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1",
    "ca-central-1",
)  # fmt: skip
GROUPS_PER_TARGET = 60


def _seed(server: MotoServerProcess, regions: list[str]) -> None:
    for region in regions:
        client = server.logs_client(region)
        for i in range(GROUPS_PER_TARGET):
            client.create_log_group(logGroupName=f"/bench/{region}/service-{i:02d}")


async def _with_latency(member: Any, seconds: float) -> None:
    await member.resolve_cache_identity()  # client, credentials and account: outside the timing
    client = await member._ensure_client()

    def delay(**_: Any) -> None:
        time.sleep(seconds)

    client.meta.events.register("before-send.logs.*", delay)


async def bench(server: MotoServerProcess, targets: int, latency_ms: float, rounds: int) -> bool:
    from logai.config import load_settings
    from logai.sources.targets import TargetSet
    from logai_cloudwatch.settings import load_cloudwatch_settings
    from logai_cloudwatch.targets import build_source

    regions = list(REGIONS[:targets])
    _seed(server, regions)
    os.environ["LOGAI_AWS_TARGETS"] = ",".join(f"t{i}=@{r}" for i, r in enumerate(regions))
    source = build_source(load_settings())
    assert isinstance(source, TargetSet)
    for member in source.members.values():
        await _with_latency(member, latency_ms / 1000)
    limit = GROUPS_PER_TARGET * targets
    one_by_one_times, together_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        counted = 0
        for member in source.members.values():
            counted += len(await member.list_log_groups(None, limit))
        one_by_one_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        together = len(await source.list_log_groups(None, limit))
        together_times.append(time.perf_counter() - started)
        assert counted == together == limit, (counted, together, limit)
    await source.aclose()

    one_by_one = statistics.median(one_by_one_times)
    at_once = statistics.median(together_times)
    ratio = one_by_one / at_once
    bound = load_cloudwatch_settings().max_concurrency
    target = min(targets, bound) / 2
    ok = ratio >= target
    print(f"Listing {GROUPS_PER_TARGET} groups (2 pages) in each of {targets} targets, "
          f"{latency_ms:.0f} ms added per request, median of {rounds}:")  # fmt: skip
    print(f"    one target after another : {one_by_one * 1000:7.0f} ms")
    print(f"    all targets at once      : {at_once * 1000:7.0f} ms  (concurrency bound {bound})")
    print(f"    ratio                    : {ratio:7.1f}x  (target >= {target:.1f}x) "
          f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
    return ok


async def main(args: argparse.Namespace) -> int:
    if not 1 <= args.targets <= len(REGIONS):
        print(f"--targets must be 1 to {len(REGIONS)}", file=sys.stderr)
        return 2
    with MotoServerProcess() as server:
        use_fake_aws_for_good(server.endpoint)
        ok = await bench(server, args.targets, args.latency_ms, args.rounds)
    return 0 if ok else 1


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=8)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(_parse(sys.argv[1:]))))
