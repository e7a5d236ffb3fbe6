"""``run_query``: Logs Insights start → poll → result, and StopQuery on timeout or cancel.

moto runs simple queries (fields, sort, limit) but has no StopQuery, statistics or pending
states, so those paths use botocore's Stubber.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from botocore.stub import ANY, Stubber  # type: ignore[import-untyped]

from logai.config import LogAISettings
from logai.sources.base import (
    DataSourceError,
    SourceNotFound,
    SourceTimeout,
    SourceValidationError,
)
from logai_cloudwatch.client import make_client
from logai_cloudwatch.insights import PollPolicy
from logai_cloudwatch.retry import RetryPolicy
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_POLL
from tests.cloudwatch.fixtures import numbered_messages, seed_events, seed_groups

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

QUERY_ID = "11111111-2222-3333-4444-555555555555"


def _hour() -> tuple[datetime, datetime]:
    end = datetime.now(UTC)
    return end - timedelta(hours=1), end


# -- against moto ------------------------------------------------------------------------------


async def test_run_query_returns_rows_from_moto(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(20, "request {i} done"))

    result = await source.run_query(
        "fields @timestamp, @message | sort @timestamp desc | limit 3", ["/app/api"], *_hour()
    )

    assert result.status == "Complete"
    assert [row["@message"] for row in result.rows] == [
        "request 19 done",
        "request 18 done",
        "request 17 done",
    ]
    assert all("@ptr" not in row for row in result.rows)


async def test_run_query_over_several_groups(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/a", ["from a"])
    seed_events(logs_client, "/app/b", ["from b"])

    result = await source.run_query("fields @message, @log", ["/app/a", "/app/b"], *_hour())

    assert sorted(row["@message"] for row in result.rows) == ["from a", "from b"]


async def test_run_query_caps_rows_at_the_limit(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(30))

    result = await source.run_query("fields @message", ["/app/api"], *_hour(), limit=5)

    assert len(result.rows) == 5


async def test_run_query_names_the_missing_group(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, ["/app/orders", "/app/payments"])

    with pytest.raises(SourceNotFound) as caught:
        await source.run_query("fields @message", ["/app/orders", "/app/paymnts"], *_hour())

    assert caught.value.name == "/app/paymnts"
    assert caught.value.suggestions == ["/app/payments"]


@pytest.mark.parametrize(
    ("query", "groups", "message"),
    [
        ("  ", ["/a"], "query is empty"),
        ("fields @message", [], "at least one log group"),
        ("fields @message", [f"/g/{i}" for i in range(51)], "at most 50 log groups"),
    ],
)
async def test_run_query_rejects_what_cloudwatch_would(
    source: CloudWatchSource, query: str, groups: list[str], message: str
) -> None:
    with pytest.raises(SourceValidationError, match=message):
        await source.run_query(query, groups, *_hour())


# -- with a stubbed client -----------------------------------------------------------------------


@pytest.fixture
def stubbed(settings: LogAISettings) -> Iterator[tuple[Any, Stubber]]:
    client = make_client(settings)
    with Stubber(client) as stubber:
        yield client, stubber


@pytest.fixture
async def cw(
    settings: LogAISettings, stubbed: tuple[Any, Stubber]
) -> AsyncIterator[CloudWatchSource]:
    source = CloudWatchSource(
        settings, client=stubbed[0], retry=RetryPolicy.immediate(), poll=FAST_POLL
    )
    yield source
    await source.aclose()


def _start(stubber: Stubber) -> None:
    stubber.add_response(
        "start_query",
        {"queryId": QUERY_ID},
        {
            "logGroupNames": ["/app/api"],
            "startTime": ANY,
            "endTime": ANY,
            "queryString": "stats count(*) by bin(5m)",
            "limit": 1000,
        },
    )


def _poll(stubber: Stubber, status: str, **extra: Any) -> None:
    stubber.add_response(
        "get_query_results", {"status": status, "results": [], **extra}, {"queryId": QUERY_ID}
    )


async def test_run_query_polls_until_complete_and_keeps_statistics(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _start(stubber)
    _poll(stubber, "Scheduled")
    _poll(stubber, "Running")
    rows = [
        [
            {"field": "bin(5m)", "value": "2024-05-01 12:00:00.000"},
            {"field": "count(*)", "value": "42"},
            {"field": "@ptr", "value": "opaque"},
        ]
    ]
    stats = {"recordsMatched": 42.0, "recordsScanned": 1000.0, "bytesScanned": 2048.0}
    _poll(stubber, "Complete", results=rows, statistics=stats)

    result = await cw.run_query("stats count(*) by bin(5m)", ["/app/api"], *_hour())

    assert result.rows == [{"bin(5m)": "2024-05-01 12:00:00.000", "count(*)": "42"}]
    assert result.statistics == stats
    stubber.assert_no_pending_responses()


async def test_run_query_sends_epoch_seconds_rounded_outward(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    start = datetime(2024, 5, 1, 12, 0, 0, 500_000, tzinfo=UTC)
    end = datetime(2024, 5, 1, 13, 0, 0, 250_000, tzinfo=UTC)
    stubber.add_response(
        "start_query",
        {"queryId": QUERY_ID},
        {
            "logGroupNames": ["/app/api"],
            "startTime": int(start.timestamp()),
            "endTime": int(end.timestamp()) + 1,
            "queryString": "fields @message",
            "limit": 10,
        },
    )
    _poll(stubber, "Complete")

    await cw.run_query("fields @message", ["/app/api"], start, end, limit=10)

    stubber.assert_no_pending_responses()


async def test_run_query_timeout_stops_the_query(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _start(stubber)
    _poll(stubber, "Running")
    stubber.add_response("stop_query", {"success": True}, {"queryId": QUERY_ID})

    with pytest.raises(SourceTimeout, match="did not finish within 0 s and was stopped"):
        await cw.run_query("stats count(*) by bin(5m)", ["/app/api"], *_hour(), timeout=0)

    stubber.assert_no_pending_responses()


async def test_run_query_timeout_survives_a_failing_stop(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    _start(stubber)
    _poll(stubber, "Running")
    stubber.add_client_error("stop_query", "InvalidParameterException", "Query already ended")

    with pytest.raises(SourceTimeout):
        await cw.run_query("stats count(*) by bin(5m)", ["/app/api"], *_hour(), timeout=0)


class _NeverEnding:
    """A client whose query runs forever; records the calls made to it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.loop = asyncio.get_running_loop()
        self.polled = asyncio.Event()

    def start_query(self, **_: Any) -> dict[str, Any]:
        self.calls.append("StartQuery")
        return {"queryId": QUERY_ID}

    def get_query_results(self, **_: Any) -> dict[str, Any]:
        self.calls.append("GetQueryResults")
        self.loop.call_soon_threadsafe(self.polled.set)
        return {"status": "Running", "results": []}

    def stop_query(self, queryId: str) -> dict[str, Any]:
        self.calls.append(f"StopQuery {queryId}")
        return {"success": True}


async def test_cancelling_run_query_stops_the_query(settings: LogAISettings) -> None:
    client = _NeverEnding()
    poll = PollPolicy(initial=0.01, factor=1.0, maximum=0.01)
    cw = CloudWatchSource(settings, client=client, poll=poll)  # type: ignore[arg-type]

    task = asyncio.create_task(cw.run_query("fields @message", ["/app/api"], *_hour()))
    await asyncio.wait_for(client.polled.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await cw.aclose()

    assert client.calls[0] == "StartQuery"
    assert client.calls[-1] == f"StopQuery {QUERY_ID}"


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        ("Failed", DataSourceError, "ended with status Failed"),
        ("Cancelled", DataSourceError, "was cancelled in CloudWatch"),
        ("Timeout", SourceTimeout, "its own time limit"),
    ],
)
async def test_run_query_reports_a_query_that_ended_badly(
    cw: CloudWatchSource,
    stubbed: tuple[Any, Stubber],
    status: str,
    error: type[DataSourceError],
    message: str,
) -> None:
    _, stubber = stubbed
    _start(stubber)
    _poll(stubber, status)

    with pytest.raises(error, match=message):
        await cw.run_query("stats count(*) by bin(5m)", ["/app/api"], *_hour())


async def test_run_query_reports_a_malformed_query(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    stubber.add_client_error(
        "start_query", "MalformedQueryException", "unexpected symbol found | at line 1"
    )

    with pytest.raises(SourceValidationError, match=r"MalformedQueryException.*unexpected symbol"):
        await cw.run_query("stats count(*) by bin(5m)", ["/app/api"], *_hour())


async def test_too_many_running_queries_is_retried(
    cw: CloudWatchSource, stubbed: tuple[Any, Stubber]
) -> None:
    _, stubber = stubbed
    stubber.add_client_error("start_query", "LimitExceededException", "too many queries")
    _start(stubber)
    _poll(stubber, "Complete")

    result = await cw.run_query("stats count(*) by bin(5m)", ["/app/api"], *_hour())

    assert result.status == "Complete"
