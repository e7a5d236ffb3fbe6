"""``run_query``: Logs Insights start → poll → result, and StopQuery on timeout or cancel.

moto runs simple queries (fields, sort, limit) but has no StopQuery, statistics or pending
states, so those paths use botocore's Stubber.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from botocore.stub import ANY, Stubber  # type: ignore[import-untyped]

from logai.cache import CachedDataSource, LogCache
from logai.cache.outcome import cache_outcome
from logai.config import LogAISettings
from logai.sources.base import (
    DataSourceError,
    QueryResult,
    SourceNotFound,
    SourceTimeout,
    SourceValidationError,
)
from logai.tools.base import ToolContext
from logai.tools.log_tools import QueryLogsArgs, query_tool
from logai_cloudwatch._query_shape import query_shape
from logai_cloudwatch.client import make_client
from logai_cloudwatch.insights import PollPolicy, SplitPolicy
from logai_cloudwatch.retry import RetryPolicy
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_POLL
from tests.cloudwatch.fixtures import numbered_messages, seed_events, seed_groups
from tests.fakes.insights_limits import BYTES_PER_QUERY, EnforcingInsights

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
        ("fields @message", [f"/g/{i}" for i in range(501)], "at most 500 log groups"),
        ("stats avg(x) by @log", [f"/g/{i}" for i in range(51)], "cannot be run in batches"),
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


# -- past the row limit: split by time ------------------------------------------------------------


def _splitting(
    settings: LogAISettings, client: Any, *, poll: PollPolicy = FAST_POLL, **policy: Any
) -> CloudWatchSource:
    return CloudWatchSource(
        settings,
        client=client,
        retry=RetryPolicy.immediate(),
        poll=poll,
        split=SplitPolicy(**{"rows_per_query": 10, **policy}),
    )


def _messages(result: QueryResult) -> list[str]:
    return [row["@message"] for row in result.rows]


async def test_a_query_cut_at_the_row_limit_is_split_by_time_until_complete(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    # 400 ms apart: several events share each second, so split boundaries cut through seconds.
    seed_events(logs_client, "/app/api", numbered_messages(95), step_ms=400)
    server = EnforcingInsights(logs_client)
    cw = _splitting(settings, server)

    result = await cw.run_query("fields @timestamp, @message", ["/app/api"], *_hour())
    await cw.aclose()

    assert _messages(result) == [f"event {i}" for i in reversed(range(95))]
    assert (result.truncated, result.stopped_early, result.complete) == (False, "", True)
    assert result.matched == 95
    assert all(query["limit"] <= 10 for query in server.started)
    assert result.queries == len(server.started) > 10
    assert result.statistics["bytesScanned"] == BYTES_PER_QUERY * len(server.started)


async def test_splitting_works_on_plain_moto_which_ignores_the_limit(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient, settings: LogAISettings
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(40), step_ms=700)
    cw = _splitting(settings, logs_client)

    result = await cw.run_query("fields @message | sort @timestamp asc", ["/app/api"], *_hour())
    await cw.aclose()

    assert _messages(result) == [f"event {i}" for i in range(40)]
    assert result.complete and not result.truncated and result.queries > 1


async def test_the_callers_limit_keeps_the_first_rows_in_the_querys_order(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(60), step_ms=500)
    cw = _splitting(settings, EnforcingInsights(logs_client))

    result = await cw.run_query("fields @message", ["/app/api"], *_hour(), limit=25)
    await cw.aclose()

    assert _messages(result) == [f"event {i}" for i in reversed(range(35, 60))]
    # Cut by the caller's own limit only: complete for what was asked, and cacheable.
    assert result.truncated and result.stopped_early == "" and result.complete
    assert result.matched == 60


async def test_splitting_stops_at_the_query_cap_and_says_so(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(200), step_ms=300)
    server = EnforcingInsights(logs_client)
    cw = _splitting(settings, server, max_queries=4)

    result = await cw.run_query("fields @message", ["/app/api"], *_hour())
    await cw.aclose()

    assert len(server.started) == 4
    assert result.truncated and not result.complete
    assert "cap of 4 queries" in result.stopped_early
    assert 10 <= len(result.rows) < 200
    assert len(set(_messages(result))) == len(result.rows)
    assert result.matched == 200


async def test_rows_beyond_the_row_cap_are_reported(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(50), step_ms=500)
    cw = _splitting(settings, EnforcingInsights(logs_client), max_rows=20)

    result = await cw.run_query("fields @message", ["/app/api"], *_hour(), limit=1000)
    await cw.aclose()

    assert _messages(result) == [f"event {i}" for i in reversed(range(30, 50))]
    assert result.truncated and "at most 20 rows" in result.stopped_early


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("fields @message | sort @logStream desc", "sorts by a field other than @timestamp"),
        ("fields @message | limit 500", "sets its own limit"),
    ],
)
async def test_a_query_whose_order_splitting_would_change_is_reported_not_split(
    mocked_aws: None,
    settings: LogAISettings,
    logs_client: CloudWatchLogsClient,
    query: str,
    why: str,
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(30))
    server = EnforcingInsights(logs_client)
    cw = _splitting(settings, server)

    result = await cw.run_query(query, ["/app/api"], *_hour(), limit=100)
    await cw.aclose()

    assert len(server.started) == 1 and len(result.rows) == 10
    assert result.truncated and why in result.stopped_early


async def test_a_cut_aggregate_is_reported_not_split(settings: LogAISettings) -> None:
    # moto has no `stats`; the Stubber supplies the AWS response shape of a cut aggregate.
    client = make_client(settings)
    cw = _splitting(settings, client, rows_per_query=2)
    query = "stats count(*) by @logStream"
    with Stubber(client) as stubber:
        stubber.add_response(
            "start_query",
            {"queryId": QUERY_ID},
            {
                "logGroupNames": ["/app/api"],
                "startTime": ANY,
                "endTime": ANY,
                "queryString": query,
                "limit": 2,
            },
        )
        rows = [
            [{"field": "@logStream", "value": s}, {"field": "count(*)", "value": "9"}] for s in "ab"
        ]
        _poll(stubber, "Complete", results=rows, statistics={"recordsMatched": 500.0})

        result = await cw.run_query(query, ["/app/api"], *_hour(), limit=50)
        stubber.assert_no_pending_responses()
    await cw.aclose()

    assert result.rows == [
        {"@logStream": "a", "count(*)": "9"},
        {"@logStream": "b", "count(*)": "9"},
    ]
    assert result.truncated and "aggregates" in result.stopped_early
    # recordsMatched counts events, not groups: it is no row count for an aggregate.
    assert result.matched is None


#: Polling that yields to the loop between calls, for doubles whose queries never end.
_SHORT_POLL = PollPolicy(initial=0.01, factor=1.0, maximum=0.01)


class _SplitNeverEnding:
    """The first query comes back cut; every part after it runs until stopped."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.started: list[str] = []
        self.stopped: list[str] = []
        self.parts_polled = asyncio.Event()

    def start_query(self, **params: Any) -> dict[str, Any]:
        query_id = f"q{len(self.started)}"
        self.started.append(query_id)
        return {"queryId": query_id}

    def get_query_results(self, queryId: str) -> dict[str, Any]:
        if queryId == "q0":
            rows = [
                [{"field": "@message", "value": "x"}, {"field": "@ptr", "value": str(i)}]
                for i in range(10)
            ]
            return {"status": "Complete", "results": rows, "statistics": {"recordsMatched": 30.0}}
        if len(self.started) > 2:
            self.loop.call_soon_threadsafe(self.parts_polled.set)
        return {"status": "Running", "results": []}

    def stop_query(self, queryId: str) -> dict[str, Any]:
        self.stopped.append(queryId)
        return {"success": True}


async def test_cancelling_a_split_query_stops_every_running_part(settings: LogAISettings) -> None:
    client = _SplitNeverEnding()
    cw = _splitting(settings, client, poll=_SHORT_POLL)

    task = asyncio.create_task(cw.run_query("fields @message", ["/app/api"], *_hour()))
    await asyncio.wait_for(client.parts_polled.wait(), timeout=10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await cw.aclose()

    parts = client.started[1:]
    assert len(parts) >= 2
    assert sorted(client.stopped) == sorted(parts)


async def test_parts_that_run_out_of_time_are_stopped_and_reported(
    settings: LogAISettings,
) -> None:
    client = _SplitNeverEnding()
    cw = _splitting(settings, client, poll=_SHORT_POLL)

    result = await cw.run_query("fields @message", ["/app/api"], *_hour(), timeout=0.2)
    await cw.aclose()

    parts = client.started[1:]
    assert sorted(client.stopped) == sorted(parts)
    # The first query's rows are kept; the parts' time ran out, and the result says so.
    assert len(result.rows) == 10 and result.truncated and not result.complete
    assert "time budget of 0.2 s ran out" in result.stopped_early


@pytest.mark.parametrize(
    ("query", "splittable", "aggregates", "newest_first"),
    [
        ("fields @timestamp, @message", True, False, True),
        ("filter @message like /ERROR|WARN/ | fields @message", True, False, True),
        ('parse @message "user=* " as user | filter user = "a|b"', True, False, True),
        ("parse @message /(?<status>\\d+)|x/ | display status", True, False, True),
        ("fields @message | sort @timestamp asc", True, False, False),
        ("fields @message | SORT @timestamp DESC", True, False, True),
        ("fields @message # a comment with | stats in it\n| filter x > 1", True, False, True),
        ("stats count(*) by bin(5m)", False, True, True),
        ("filter @message like /x/ | stats count(*) by host | sort count desc", False, True, True),
        ("fields @message | pattern @message", False, True, True),
        ("fields @message | dedup @logStream", False, False, True),
        ("fields @message | limit 20", False, False, True),
        ("fields @message | sort @logStream", False, False, True),
        ("SOURCE logGroups(namePrefix: ['/app']) | fields @message", False, False, True),
    ],
)
def test_query_shape_splits_only_event_rows_in_time_order(
    query: str, splittable: bool, aggregates: bool, newest_first: bool
) -> None:
    shape = query_shape(query)

    assert (shape.splittable, shape.aggregates) == (splittable, aggregates)
    assert shape.newest_first is newest_first or not splittable
    assert bool(shape.why_not) is not splittable


# -- through the cache: only complete answers are kept ---------------------------------------------


@pytest.mark.parametrize(
    ("policy", "limit", "kept"),
    [
        ({}, 1000, True),  # split until complete
        ({}, 25, True),  # cut only by the caller's limit: complete for that limit
        ({"max_queries": 3}, 1000, False),  # stopped early at the query cap
        ({"max_rows": 20}, 1000, False),  # stopped early at the row cap
    ],
)
async def test_the_cache_keeps_a_split_query_only_when_complete(
    mocked_aws: None,
    settings: LogAISettings,
    logs_client: CloudWatchLogsClient,
    tmp_path: Path,
    policy: dict[str, Any],
    limit: int,
    kept: bool,
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(80), step_ms=450)
    server = EnforcingInsights(logs_client)
    cache = LogCache(tmp_path / "cache.db")
    cached = CachedDataSource(_splitting(settings, server, **policy), cache)
    span = _hour()

    first = await cached.run_query("fields @message", ["/app/api"], *span, limit=limit)
    queries_after_first = len(server.started)
    second = await cached.run_query("fields @message", ["/app/api"], *span, limit=limit)
    outcome = cache_outcome.get()
    await cached.aclose()

    assert second == first
    assert outcome == ("hit" if kept else "miss")
    assert (len(server.started) == queries_after_first) is kept
    assert first.complete is kept


# -- what the LLM reads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "limit", "first_line", "summary"),
    [
        ({}, 1000, r"^80 rows \(.*split by time into \d+ queries\)\.$", "80 rows"),
        (
            {},
            25,
            r"^25 rows .* Limit 25 reached of 80 matched: there are more rows; raise limit",
            "25 rows (limit reached)",
        ),
        (
            {"max_queries": 3},
            1000,
            r"STOPPED EARLY, rows are incomplete: .*cap of 3 queries.* narrow the query",
            "rows (stopped early)",
        ),
    ],
)
async def test_the_query_tool_says_when_rows_stopped_early(
    mocked_aws: None,
    settings: LogAISettings,
    logs_client: CloudWatchLogsClient,
    policy: dict[str, Any],
    limit: int,
    first_line: str,
    summary: str,
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(80), step_ms=450)
    cw = _splitting(settings, EnforcingInsights(logs_client), **policy)
    query_logs = query_tool(CloudWatchSource.query_language)
    args = QueryLogsArgs.model_validate(
        {
            "query": "fields @message",
            "log_groups": ["/app/api"],
            "start_time": "1h ago",
            "limit": limit,
        }
    )

    result = await query_logs.run(args, ToolContext(settings, source=cw))
    await cw.aclose()

    assert re.search(first_line, result.text.splitlines()[0])
    assert summary in result.summary


async def test_parts_run_side_by_side_within_the_concurrency_bound(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", numbered_messages(60), step_ms=500)
    server = EnforcingInsights(logs_client, latency=0.05)
    cw = _splitting(settings, server, poll=_SHORT_POLL, concurrency=2)

    result = await cw.run_query("fields @message", ["/app/api"], *_hour())
    await cw.aclose()

    assert len(result.rows) == 60 and result.complete
    assert 1 <= server.most_running <= 2


class _SlowStart:
    """StartQuery that answers only when released, so a cancel can land while it is sent."""

    def __init__(self) -> None:
        self.sending = threading.Event()
        self.release = threading.Event()
        self.stopped: list[str] = []

    def start_query(self, **_: Any) -> dict[str, Any]:
        self.sending.set()
        self.release.wait(10)
        return {"queryId": QUERY_ID}

    def get_query_results(self, queryId: str) -> dict[str, Any]:
        return {"status": "Running", "results": []}

    def stop_query(self, queryId: str) -> dict[str, Any]:
        self.stopped.append(queryId)
        return {"success": True}


async def test_a_query_cancelled_while_starting_is_stopped_once_it_has_an_id(
    settings: LogAISettings,
) -> None:
    client = _SlowStart()
    cw = _splitting(settings, client)

    task = asyncio.create_task(cw.run_query("fields @message", ["/app/api"], *_hour()))
    await asyncio.to_thread(client.sending.wait, 10)
    task.cancel()
    client.release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    await cw.aclose()

    assert client.stopped == [QUERY_ID]
