"""``search_logs``: many groups at once, bounded concurrency, prefixes, a total limit."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from logai.config import LogAISettings
from logai.sources.base import SourceAccessDenied, SourceNotFound, SourceValidationError
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_RETRY
from tests.cloudwatch.fixtures import now_ms, seed_events, seed_groups

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient


def _hour() -> tuple[datetime, datetime]:
    end = datetime.now(UTC)
    return end - timedelta(hours=1), end


def _seed_interleaved(client: CloudWatchLogsClient, groups: list[str], per_group: int) -> None:
    """Group i's event j happens at base + j*100 + i ms, so the merged order is known."""
    base = now_ms() - 20 * 60_000
    for i, group in enumerate(groups):
        seed_events(
            client,
            group,
            [f"{group} #{j} ERROR" for j in range(per_group)],
            start_ms=base + i,
            step_ms=100,
        )


async def test_search_logs_merges_groups_in_time_order(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    groups = ["/app/a", "/app/b", "/app/c"]
    _seed_interleaved(logs_client, groups, 4)

    events = await source.search_logs(groups, "ERROR", *_hour())

    assert [e.message for e in events[:4]] == ["/app/a #0 ERROR", "/app/b #0 ERROR",
                                                "/app/c #0 ERROR", "/app/a #1 ERROR"]  # fmt: skip
    assert len(events) == 12
    assert [e.timestamp for e in events] == sorted(e.timestamp for e in events)


async def test_search_logs_keeps_the_oldest_events_up_to_the_total_limit(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    groups = [f"/app/g{i}" for i in range(5)]
    _seed_interleaved(logs_client, groups, 20)

    events = await source.search_logs(groups, "", *_hour(), limit=7)

    assert len(events) == 7
    assert [e.group for e in events] == [*groups, groups[0], groups[1]]


async def test_search_logs_resolves_prefixes_and_deduplicates(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    _seed_interleaved(logs_client, ["/aws/lambda/x", "/aws/lambda/y", "/aws/ecs/z"], 1)

    events = await source.search_logs(
        ["/aws/lambda/x", "/aws/ecs/z"], "ERROR", *_hour(), prefixes=["/aws/lambda/"]
    )

    assert sorted(e.group for e in events) == ["/aws/ecs/z", "/aws/lambda/x", "/aws/lambda/y"]


async def test_search_logs_with_a_prefix_matching_nothing_says_so(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, ["/aws/lambda/api"])

    with pytest.raises(SourceNotFound, match="No log group starts with '/aws/lamda/'"):
        await source.search_logs([], "x", *_hour(), prefixes=["/aws/lamda/"])


async def test_search_logs_needs_a_group_or_a_prefix(source: CloudWatchSource) -> None:
    with pytest.raises(SourceValidationError, match="at least one log group"):
        await source.search_logs([], "x", *_hour())


async def test_search_logs_refuses_a_prefix_matching_too_many_groups(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, [f"/big/{i:02d}" for i in range(12)])
    cw = CloudWatchSource(settings, retry=FAST_RETRY, max_search_groups=10)

    with pytest.raises(SourceValidationError, match="more than 10 log groups"):
        await cw.search_logs([], "x", *_hour(), prefixes=["/big/"])
    await cw.aclose()


async def test_search_logs_names_the_misspelt_group(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    _seed_interleaved(logs_client, ["/app/orders", "/app/billing"], 2)

    with pytest.raises(SourceNotFound) as caught:
        await source.search_logs(["/app/orders", "/app/biling"], "ERROR", *_hour())

    assert caught.value.name == "/app/biling"
    assert caught.value.suggestions == ["/app/billing"]


class _SlowClient:
    """Answers FilterLogEvents after a delay, recording how many calls overlap."""

    def __init__(self, delay: float, fail_group: str = "") -> None:
        self.delay = delay
        self.fail_group = fail_group
        self.active = 0
        self.peak = 0
        self.calls = 0
        self._lock = threading.Lock()

    def filter_log_events(self, **params: Any) -> dict[str, Any]:
        with self._lock:
            self.active += 1
            self.calls += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay)
            if params["logGroupName"] == self.fail_group:
                from botocore.exceptions import ClientError  # type: ignore[import-untyped]

                raise ClientError(
                    {"Error": {"Code": "AccessDeniedException", "Message": "no"}},
                    "FilterLogEvents",
                )
            ts = params["startTime"] + 1
            return {"events": [{"eventId": params["logGroupName"], "timestamp": ts,
                                "message": "hit", "logStreamName": "s"}]}  # fmt: skip
        finally:
            with self._lock:
                self.active -= 1


@pytest.mark.parametrize("bound", [1, 3, 8])
async def test_search_logs_never_exceeds_the_concurrency_bound(
    settings: LogAISettings, bound: int
) -> None:
    client = _SlowClient(delay=0.02)
    cw = CloudWatchSource(settings, client=client, max_concurrency=bound, retry=FAST_RETRY)  # type: ignore[arg-type]
    groups = [f"/g/{i}" for i in range(12)]

    events = await cw.search_logs(groups, "hit", *_hour(), limit=100)
    await cw.aclose()

    assert len(events) == 12
    assert client.peak == bound


async def test_search_logs_runs_groups_concurrently(settings: LogAISettings) -> None:
    client = _SlowClient(delay=0.1)
    cw = CloudWatchSource(settings, client=client, max_concurrency=8, retry=FAST_RETRY)  # type: ignore[arg-type]

    await cw.search_logs([f"/g/{i}" for i in range(8)], "hit", *_hour())
    await cw.aclose()

    # Several groups were in flight at once (a wall-clock bound would flake on a busy machine).
    assert client.peak > 1


async def test_search_logs_fails_with_the_failing_groups_error(settings: LogAISettings) -> None:
    client = _SlowClient(delay=0.0, fail_group="/g/3")
    cw = CloudWatchSource(settings, client=client, retry=FAST_RETRY)  # type: ignore[arg-type]

    with pytest.raises(SourceAccessDenied) as caught:
        await cw.search_logs([f"/g/{i}" for i in range(6)], "hit", *_hour())
    await cw.aclose()

    assert caught.value.action == "logs:FilterLogEvents"
    assert "/g/3" in str(caught.value)


async def test_search_logs_can_be_cancelled(settings: LogAISettings) -> None:
    client = _SlowClient(delay=0.05)
    cw = CloudWatchSource(settings, client=client, max_concurrency=2, retry=FAST_RETRY)  # type: ignore[arg-type]

    task = asyncio.create_task(cw.search_logs([f"/g/{i}" for i in range(40)], "hit", *_hour()))
    await asyncio.sleep(0.08)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await cw.aclose()

    assert client.calls < 40
