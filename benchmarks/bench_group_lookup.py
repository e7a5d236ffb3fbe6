"""Missing log groups, under latency: requests made and wall time to name them.

Two costs, counted with a botocore hook on each client and timed with 50 ms added to every
request (a ``before-send`` hook sleeps in the calling thread, as in ``bench_targets.py``):

* a Logs Insights query naming N groups, the last one misspelt: StartQuery fails, then LogAI
  finds which group is missing (DescribeLogGroups) and lists close names. Run against moto
  filtering ``logGroupIdentifiers`` as AWS does, and against plain moto, which ignores that
  filter, so LogAI checks the names one by one (the way it always did before);
* ``LOGAI_AWS_TARGETS`` with T targets (regions), a plain group name fetched: held by the last
  target only, then held by none (the "did you mean" case).

Each region holds 120 groups ``/svc/service-NNN``. moto serves HTTP on 127.0.0.1 in this
process (its handler is patched to honour the identifiers filter where said); nothing here
talks to real AWS. Prints figures; exits 0 unless something answers wrongly.

Run: ``python benchmarks/bench_group_lookup.py`` (``--help`` for sizes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes import group_identifiers
from tests.fakes.moto_server import MotoServer, use_fake_aws_for_good

REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2",
           "eu-central-1", "ap-southeast-1")  # fmt: skip
GROUPS = [f"/svc/service-{i:03d}" for i in range(120)]
END = datetime.now(UTC) + timedelta(minutes=5)
START = END - timedelta(hours=1)


class Counter:
    """DescribeLogGroups and other requests of the clients it is attached to."""

    def __init__(self) -> None:
        self.describe = 0
        self.other = 0

    def attach(self, client: Any, latency: float) -> None:
        def count(model: Any, **_: Any) -> None:
            if model.name == "DescribeLogGroups":
                self.describe += 1
            else:
                self.other += 1

        def delay(**_: Any) -> None:
            time.sleep(latency)

        client.meta.events.register("provide-client-params.logs.*", count)
        client.meta.events.register("before-send.logs.*", delay)


def _seed(server: MotoServer, regions: tuple[str, ...]) -> None:
    from tests.cloudwatch.fixtures import seed_events

    for index, region in enumerate(regions):
        client = server.logs_client(region)
        for name in GROUPS:
            client.create_log_group(logGroupName=name)
        if index == len(regions) - 1:
            seed_events(client, "/only/last", ["hello"])


async def _timed(action: Callable[[], Any]) -> tuple[float, BaseException | Any]:
    started = time.perf_counter()
    try:
        outcome = await action()
    except Exception as exc:
        outcome = exc
    return time.perf_counter() - started, outcome


def _row(label: str, seconds: float, counter: Counter) -> None:
    print(f"    {label:<44} {counter.describe:4d} DescribeLogGroups + {counter.other:3d} other"
          f"   {seconds * 1000:7.0f} ms")  # fmt: skip


async def bench_query(server: MotoServer, sizes: list[int], latency: float) -> bool:
    from logai.config import load_settings
    from logai.sources.base import SourceNotFound
    from logai_cloudwatch.source import CloudWatchSource

    ok = True
    print(f"Logs Insights query naming N groups, the last one misspelt ({latency * 1000:.0f} ms "
          "per request):")  # fmt: skip
    endpoints: dict[str, Callable[[], Any]] = {
        "AWS (logGroupIdentifiers filtered)": group_identifiers.honoured,
        "plain moto (one by one, as before)": contextlib.nullcontext,
    }
    for size in sizes:
        groups = [*GROUPS[: size - 1], GROUPS[size - 1].replace("service", "servise")]
        for label, endpoint in endpoints.items():
            counter = Counter()
            client = server.logs_client(REGIONS[0])
            counter.attach(client, latency)
            source = CloudWatchSource(load_settings(), client=client)
            with endpoint():
                seconds, outcome = await _timed(
                    lambda: source.run_query("fields @message", groups, START, END)  # noqa: B023
                )
            await source.aclose()
            right = isinstance(outcome, SourceNotFound) and outcome.name == groups[-1]
            ok = ok and right
            _row(f"N={size:3d}, {label}", seconds, counter)
    return ok


async def bench_targets(server: MotoServer, targets: int, latency: float) -> bool:
    from logai.config import load_settings
    from logai.sources.base import SourceNotFound
    from logai.sources.targets import TargetSet
    from logai_cloudwatch.targets import build_source

    regions = REGIONS[:targets]
    os.environ["LOGAI_AWS_TARGETS"] = ",".join(f"t{i}=@{r}" for i, r in enumerate(regions))
    print(f"A plain group name fetched across {targets} targets ({latency * 1000:.0f} ms per "
          "request; requests of every target):")  # fmt: skip
    ok = True
    for label, name in (("held by the last target only", "/only/last"),
                        ("held by none (did you mean)", "/svc/servise-007")):  # fmt: skip
        source = build_source(load_settings())
        assert isinstance(source, TargetSet)
        counter = Counter()
        for member in source.members.values():
            await member.resolve_cache_identity()  # type: ignore[attr-defined]
            counter.attach(await member._ensure_client(), latency)  # type: ignore[attr-defined]
        seconds, outcome = await _timed(lambda: source.fetch_logs(name, START, END))  # noqa: B023
        await source.aclose()
        if name == "/only/last":
            ok = ok and isinstance(outcome, list) and len(outcome) == 1
        else:
            ok = ok and isinstance(outcome, SourceNotFound) and bool(outcome.suggestions)
        _row(label, seconds, counter)
    return ok


@contextlib.contextmanager
def _server() -> Iterator[MotoServer]:
    import logging

    with MotoServer() as server:
        # moto has no StopQuery: the query batches LogAI stops would each print a traceback.
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        use_fake_aws_for_good(server.endpoint)
        yield server


async def main(args: argparse.Namespace) -> int:
    with _server() as server:
        _seed(server, REGIONS[: args.targets])
        latency = args.latency_ms / 1000
        ok = await bench_query(server, args.sizes, latency)
        ok = await bench_targets(server, args.targets, latency) and ok
    print("answers:", "as expected" if ok else "WRONG")
    return 0 if ok else 1


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 60, 120])
    parser.add_argument("--targets", type=int, default=4, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--latency-ms", type=float, default=50.0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(_parse(sys.argv[1:]))))
