"""Logs Insights at scale, over HTTP: past 50 groups, past the row limit, within the quota.

boto3 really talks to :class:`tests.fakes.insights_server.InsightsServer`, which refuses more
than 50 groups per query, cuts rows at the limit, reports statistics and counts the queries
running at once, as AWS does.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from logai.config import load_settings
from logai.sources.base import QueryResult, SourceValidationError
from logai.tools.base import ToolContext
from logai.tools.log_tools import QueryLogsArgs, query_tool
from logai_cloudwatch.insights import (
    PRICE_PER_GB_SCANNED_USD,
    PollPolicy,
    SplitPolicy,
)
from logai_cloudwatch.retry import RetryPolicy
from logai_cloudwatch.source import CloudWatchSource
from tests.fakes.insights_server import InsightsServer
from tests.fakes.moto_server import use_fake_aws

POLL = PollPolicy(initial=0.01, factor=1.0, maximum=0.01)
END = datetime.now(UTC).replace(microsecond=0)
START = END - timedelta(hours=1)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[InsightsServer]:
    with InsightsServer() as running:
        use_fake_aws(monkeypatch, running.endpoint)
        yield running


def _source(**policy: Any) -> CloudWatchSource:
    return CloudWatchSource(
        load_settings(),
        retry=RetryPolicy.immediate(max_attempts=5),
        poll=POLL,
        split=SplitPolicy(**policy),
    )


def _seed(server: InsightsServer, groups: int, per_group: int = 2, step_ms: int = 997) -> None:
    """``groups`` groups ``/svc/NNN``; event ``k`` of group ``g`` is unique in time and text."""
    base = int(START.timestamp() * 1000) + 60_000
    for g in range(groups):
        events = [
            (base + (k * groups + g) * step_ms, f"svc {g:03d} event {k}") for k in range(per_group)
        ]
        server.put_events(f"/svc/{g:03d}", events)


def _groups(count: int) -> list[str]:
    return [f"/svc/{g:03d}" for g in range(count)]


def _messages(result: QueryResult) -> list[str]:
    return [row["@message"] for row in result.rows]


def _newest_first(groups: int, per_group: int) -> list[str]:
    everything = [
        (k * groups + g, f"svc {g:03d} event {k}") for g in range(groups) for k in range(per_group)
    ]
    return [message for _, message in sorted(everything, reverse=True)]


async def test_a_query_over_more_than_50_groups_runs_in_batches_and_merges_in_time_order(
    server: InsightsServer,
) -> None:
    _seed(server, 120, per_group=3)
    cw = _source()

    result = await cw.run_query("fields @timestamp, @message", _groups(120), START, END)
    await cw.aclose()

    assert sorted(len(query["logGroupNames"]) for query in server.started) == [20, 50, 50]
    assert server.rejected == []
    assert _messages(result) == _newest_first(120, 3)
    assert (result.batches, result.queries, result.matched) == (3, 3, 360)
    assert result.complete and not result.truncated


async def test_the_callers_limit_keeps_the_newest_rows_over_every_batch(
    server: InsightsServer,
) -> None:
    _seed(server, 75, per_group=4)
    cw = _source()

    result = await cw.run_query("fields @timestamp, @message", _groups(75), START, END, limit=7)
    await cw.aclose()

    assert _messages(result) == _newest_first(75, 4)[:7]
    assert result.truncated and result.complete and result.matched == 300


async def test_an_ascending_query_merges_oldest_first(server: InsightsServer) -> None:
    _seed(server, 60, per_group=2)
    cw = _source()

    result = await cw.run_query(
        "fields @timestamp, @message | sort @timestamp asc", _groups(60), START, END, limit=5
    )
    await cw.aclose()

    assert _messages(result) == _newest_first(60, 2)[::-1][:5]


async def test_each_batch_is_split_by_time_past_the_row_limit_until_complete(
    server: InsightsServer,
) -> None:
    _seed(server, 70, per_group=4, step_ms=300)  # 280 events, 10 rows per query
    cw = _source(rows_per_query=40, max_queries=200)

    result = await cw.run_query("fields @timestamp, @message", _groups(70), START, END)
    await cw.aclose()

    assert all(len(query["logGroupNames"]) <= 50 for query in server.started)
    assert all(query["limit"] <= 40 for query in server.started)
    assert _messages(result) == _newest_first(70, 4)
    assert result.complete and result.queries == len(server.started) > 3


async def test_splitting_stops_at_the_query_cap_over_all_batches_and_says_so(
    server: InsightsServer,
) -> None:
    _seed(server, 70, per_group=4, step_ms=300)
    cw = _source(rows_per_query=10, max_queries=6)

    result = await cw.run_query("fields @timestamp, @message", _groups(70), START, END)
    await cw.aclose()

    assert len(server.started) == 6
    assert not result.complete and result.truncated
    assert "cap of 6 queries" in result.stopped_early
    assert "batch 1 of 2" in result.stopped_early
    assert len(set(_messages(result))) == len(result.rows) < 280


async def test_bytes_scanned_are_summed_over_every_query_and_priced(
    server: InsightsServer,
) -> None:
    _seed(server, 70, per_group=4, step_ms=300)
    cw = _source(rows_per_query=40, max_queries=200)

    result = await cw.run_query("fields @timestamp, @message", _groups(70), START, END)
    await cw.aclose()

    assert result.cost is not None
    assert result.cost.bytes_scanned == server.bytes_scanned > 0
    assert result.statistics["bytesScanned"] == server.bytes_scanned
    expected = server.bytes_scanned / 1024**3 * PRICE_PER_GB_SCANNED_USD
    assert result.cost.approx_usd == pytest.approx(expected)
    assert "approximate" in result.cost.basis and "region" in result.cost.basis


async def test_queries_stay_within_the_concurrent_query_quota(server: InsightsServer) -> None:
    server.latency = 0.05
    server.quota = 3
    _seed(server, 160, per_group=2, step_ms=300)
    cw = _source(rows_per_query=60, max_queries=100, concurrency=3)

    # Two questions at once draw from the same slots: the quota is the account's.
    first, second = await asyncio.gather(
        cw.run_query("fields @timestamp, @message", _groups(160), START, END),
        cw.run_query("fields @timestamp, @message", _groups(120), START, END),
    )
    await cw.aclose()

    assert server.rejected == []  # never a LimitExceededException
    assert server.most_running == 3  # the quota was used, and never exceeded
    assert len(server.started) > 7  # batches, and parts of split batches
    assert first.complete and len(first.rows) == 320
    assert second.complete and len(second.rows) == 240


async def test_cancelling_stops_every_running_query(server: InsightsServer) -> None:
    server.latency = 60.0  # queries run until stopped
    _seed(server, 150, per_group=1)
    cw = _source()

    task = asyncio.create_task(
        cw.run_query("fields @timestamp, @message", _groups(150), START, END, timeout=120)
    )
    for _ in range(500):
        if server.running == 3:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await cw.aclose()

    assert len(server.ids()) == 3
    assert sorted(server.stopped) == sorted(server.ids())
    assert server.running == 0


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("stats avg(bytes) by @log", "'avg(bytes)' does not add up over batches"),
        ("stats pct(bytes, 99) by @log", "a percentile of percentiles would be wrong"),
        ("stats count(*) as n by @log | sort n desc | limit 5", "a limit or other commands"),
        ("stats count(*) by @log | stats count(*)", "aggregates more than once"),
        ("fields @timestamp, @message | limit 5", "sets its own limit"),
    ],
)
async def test_a_query_that_batches_would_change_is_refused_with_the_reason(
    server: InsightsServer, query: str, why: str
) -> None:
    _seed(server, 60)
    cw = _source()

    with pytest.raises(SourceValidationError, match="cannot be run in batches") as caught:
        await cw.run_query(query, _groups(60), START, END)
    await cw.aclose()

    assert why in str(caught.value) and "at most 50 groups at a time" in str(caught.value)
    assert server.started == []


async def test_a_count_over_more_than_50_groups_is_combined_per_key(
    server: InsightsServer,
) -> None:
    """The headline question: which services logged timeouts? One row per group, summed."""
    base = int(START.timestamp() * 1000) + 60_000
    for g in range(130):
        timeouts = [(base + k * 1000 + g, f"timeout {k}") for k in range(g % 6)]
        server.put_events(f"/svc/{g:03d}", [*timeouts, (base + g, "fine")])
    cw = _source()

    by_group = await cw.run_query(
        "filter @message like /timeout/ | stats count(*) as n by @log | sort n desc",
        _groups(130),
        START,
        END,
    )
    overall = await cw.run_query(
        "filter @message like /timeout/ | stats count(*) as n by @logStream",
        _groups(130),
        START,
        END,
    )
    await cw.aclose()

    expected = {f"123456789012:/svc/{g:03d}": str(g % 6) for g in range(130) if g % 6}
    assert {row["@log"]: row["n"] for row in by_group.rows} == expected
    counts = [int(row["n"]) for row in by_group.rows]
    assert counts == sorted(counts, reverse=True)
    assert by_group.batches == 3 and by_group.complete and by_group.matched is None
    # One key in every batch: its counts add up to one row.
    assert overall.rows == [{"@logStream": "s1", "n": str(sum(g % 6 for g in range(130)))}]


async def test_an_aggregate_over_50_groups_or_fewer_runs_as_one_query(
    server: InsightsServer,
) -> None:
    _seed(server, 50, per_group=2)
    cw = _source()

    result = await cw.run_query("stats count(*) as n by @logStream", _groups(50), START, END)
    await cw.aclose()

    assert result.rows == [{"@logStream": "s1", "n": "100"}]
    assert result.batches == 1 and result.cost is not None


async def test_rows_without_timestamp_cut_across_batches_say_so(server: InsightsServer) -> None:
    _seed(server, 60, per_group=2)
    cw = _source()

    result = await cw.run_query("fields @message", _groups(60), START, END, limit=10)
    await cw.aclose()

    assert len(result.rows) == 10 and not result.complete
    assert "add it to `fields`" in result.stopped_early


async def test_the_query_tool_reports_batches_bytes_scanned_and_cost(
    server: InsightsServer,
) -> None:
    _seed(server, 60, per_group=2)
    cw = _source()
    args = QueryLogsArgs.model_validate(
        {"query": "fields @timestamp, @message", "log_groups": _groups(60), "start_time": "2h ago"}
    )

    result = await query_tool(cw.query_language).run(args, ToolContext(load_settings(), source=cw))
    await cw.aclose()

    first, second = result.text.splitlines()[:2]
    assert re.search(r"^120 rows \(.*over 60 groups in 2 batches, 2 queries\)\.$", first)
    assert re.search(r"^Scanned [\d.]+ KB, about <?\$0\.0\d+ \(approximate, .*region", second)
    assert re.search(r"^120 rows, [\d.]+ KB scanned \(~<?\$0\.0\d+\)$", result.summary)


def test_the_concurrent_query_quota_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from logai.config import load_settings
    from logai_cloudwatch.settings import load_cloudwatch_settings
    from logai_cloudwatch.source import CloudWatchSource

    monkeypatch.delenv("LOGAI_CLOUDWATCH_INSIGHTS_CONCURRENCY", raising=False)
    assert load_cloudwatch_settings().insights_concurrency == 30
    monkeypatch.setenv("LOGAI_CLOUDWATCH_INSIGHTS_CONCURRENCY", "5")
    source = CloudWatchSource.from_settings(load_settings())
    assert source._split.concurrency == 5
    monkeypatch.setenv("LOGAI_CLOUDWATCH_INSIGHTS_CONCURRENCY", "many")
    with pytest.raises(SourceValidationError, match="INSIGHTS_CONCURRENCY"):
        load_cloudwatch_settings()


@pytest.mark.parametrize(
    ("query", "combinable"),
    [
        ("stats count(*) by @log", True),
        ("filter x > 1 | stats sum(bytes) as b, min(ms), max(ms) by host, bin(5m)", True),
        ("parse @message 'a=* ' as a | stats count(*) by a | sort count(*) asc", True),
        ("stats count_distinct(user) by host", False),
        ("stats count(*), avg(ms) by host", False),
        ("stats count(*) by host | sort host | limit 3", False),
        ("fields @message | dedup host | stats count(*)", False),
    ],
)
def test_which_aggregates_combine_over_batches(query: str, combinable: bool) -> None:
    from logai_cloudwatch._combine import StatsCombiner, stats_combiner

    assert isinstance(stats_combiner(query), StatsCombiner) is combinable


def test_combining_adds_counts_and_sums_and_keeps_minima_and_maxima() -> None:
    from logai_cloudwatch._combine import StatsCombiner, stats_combiner

    combiner = stats_combiner(
        "stats count(*) as n, sum(bytes) as b, min(ms) as lo, max(ms) as hi by host | sort n desc"
    )
    assert isinstance(combiner, StatsCombiner)
    first = [{"host": "a", "n": "2", "b": "1.5", "lo": "3", "hi": "9"}]
    second = [
        {"host": "b", "n": "1", "b": "1", "lo": "1", "hi": "1"},
        {"host": "a", "n": "5", "b": "2", "lo": "2", "hi": "7"},
    ]

    assert combiner.combine([first, second]) == [
        {"host": "a", "n": "7", "b": "3.5", "lo": "2", "hi": "9"},
        {"host": "b", "n": "1", "b": "1", "lo": "1", "hi": "1"},
    ]
    assert combiner.combine([[{"host": "a", "count": "2"}]]) is None  # columns not as named


def test_the_stub_enforces_what_aws_enforces(server: InsightsServer) -> None:
    """The batching tests mean something only if the server refuses what AWS refuses."""
    import boto3  # type: ignore[import-untyped]
    from botocore.exceptions import ClientError  # type: ignore[import-untyped]

    _seed(server, 51)
    client = boto3.client("logs", endpoint_url=server.endpoint)
    span = {"startTime": int(START.timestamp()), "endTime": int(END.timestamp())}

    with pytest.raises(ClientError, match="InvalidParameterException"):
        client.start_query(logGroupNames=_groups(51), queryString="fields @message", **span)
    started = client.start_query(
        logGroupNames=_groups(50), queryString="fields @message", limit=7, **span
    )
    answer = client.get_query_results(queryId=started["queryId"])
    client.close()

    assert len(answer["results"]) == 7
    assert answer["statistics"]["recordsMatched"] == 100
    assert answer["statistics"]["bytesScanned"] > 0
