"""Property: with the cache on (cold and warm) LogAI returns exactly what CloudWatch returns.

Hypothesis drives sequences of random questions (relative and absolute ranges, live and settled,
limits, filters, multi-group searches, listings, Logs Insights queries) against moto's server
over HTTP, with a clock moved by hand. Each question is asked through a cached CloudWatch source
(SQLite file on disk) and straight to CloudWatch at the same instant, and the answers compared;
the sequence then runs again through a fresh process-like wrapper on the same file (warm).

Seeded data has bursts of events sharing a millisecond within a group (ties at a limit's cut),
and distinct milliseconds across groups (so a multi-group search has one right answer).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from logai.cache import CachedDataSource, LogCache, cache_outcome
from logai.config import load_settings
from logai.sources import DataSource
from logai_cloudwatch.insights import PollPolicy
from logai_cloudwatch.retry import RetryPolicy
from logai_cloudwatch.source import CloudWatchSource
from tests.core.cache.conftest import ManualClock
from tests.fakes.moto_server import MotoServer

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

pytestmark = pytest.mark.network_loopback

GROUPS = ("/prop/api", "/prop/db", "/prop/web")
FILTERS = (None, "ERROR", "INFO", '"took 3"')
#: The seeded events span these last minutes before the seeding instant.
SPAN_MINUTES = 120


def _seed(client: CloudWatchLogsClient, now_ms: int) -> None:
    """About 300 events per group over the last two hours, two streams, bursts of ties."""
    first = now_ms - SPAN_MINUTES * 60_000
    for index, group in enumerate(GROUPS):
        client.create_log_group(logGroupName=group)
        for stream in ("s1", "s2"):
            client.create_log_stream(logGroupName=group, logStreamName=stream)
        # Distinct milliseconds across groups: offsets differ by group index (mod 3).
        times = [first + step * 30_000 + index for step in range(240)]
        s1 = [
            {
                "timestamp": t,
                "message": f"{'ERROR' if n % 5 == 0 else 'INFO'} request {n} took {n % 7}",
            }
            for n, t in enumerate(times)
        ]
        # Every eighth millisecond of s1 also has two events in s2: three events share it.
        s2 = [
            {"timestamp": t, "message": f"INFO burst {n}.{k} took {k}"}
            for n, t in enumerate(times)
            if n % 8 == 3
            for k in range(2)
        ]
        for stream, batch in (("s1", s1), ("s2", s2)):
            answer = client.put_log_events(
                logGroupName=group,
                logStreamName=stream,
                logEvents=batch,  # type: ignore[arg-type]
            )
            assert not answer.get("rejectedLogEventsInfo"), answer


@dataclass(frozen=True)
class Ask:
    """One question, with times relative to the seeding instant or to the clock."""

    kind: str  # fetch | search | groups | query
    advance: float  # seconds the clock moves before the question
    relative: bool  # "the last N minutes" (from the clock) or absolute offsets (from seeding)
    start_s: float
    end_s: float
    limit: int
    pattern: str | None
    group: int


_offsets = st.sampled_from([0.0, 0.0004, 29.001, 87.003, 600.0, 1799.5, 3600.0, 5400.25, 7300.0])

asks = st.builds(
    Ask,
    kind=st.sampled_from(["fetch"] * 6 + ["search"] * 3 + ["groups", "query"]),
    advance=st.sampled_from([0.0, 0.0, 0.5, 45.0, 75.0, 400.0]),
    relative=st.booleans(),
    start_s=_offsets,
    end_s=_offsets,
    limit=st.sampled_from([1, 2, 3, 5, 8, 20, 60, 1000]),
    pattern=st.sampled_from(FILTERS),
    group=st.integers(min_value=0, max_value=len(GROUPS) - 1),
)


def _range(ask: Ask, clock: ManualClock, seeded: datetime) -> tuple[datetime, datetime]:
    if ask.relative:  # --since START_S ago --until END_S ago, as the CLI computes them
        low, high = sorted((ask.start_s, ask.end_s))
        low = min(low, 600.0)
        return clock() - timedelta(seconds=high + 1), clock() - timedelta(seconds=low)
    low, high = sorted((ask.start_s, ask.end_s))
    base = seeded - timedelta(minutes=SPAN_MINUTES)
    return base + timedelta(seconds=low), base + timedelta(seconds=high)


async def _answer(source: DataSource, ask: Ask, start: datetime, end: datetime) -> object:
    if ask.kind == "fetch":
        return await source.fetch_logs(GROUPS[ask.group], start, end, ask.pattern, ask.limit)
    if ask.kind == "search":
        named = [GROUPS[ask.group]] if ask.group else []
        prefixes = ["/prop/"] if not named or ask.limit % 2 else []
        return await source.search_logs(
            named, ask.pattern or "", start, end, ask.limit, prefixes=prefixes
        )
    if ask.kind == "groups":
        prefix = [None, "/prop/", "/prop/d", "/nope"][ask.group + (ask.limit % 2)]
        return await source.list_log_groups(prefix, min(ask.limit, 5))
    query = "fields @timestamp, @message | sort @timestamp asc"
    result = await source.run_query(query, [GROUPS[ask.group]], start, end, ask.limit)
    return (result.rows, result.status)


async def _replay(
    asks_: list[Ask], bare: CloudWatchSource, path: Path, clock: ManualClock, seeded: datetime
) -> None:
    cache = LogCache(path, now=clock, warn=pytest.fail)
    cached = CachedDataSource(bare, cache, now=clock)
    try:
        for ask in asks_:
            clock.advance(ask.advance)
            start, end = _range(ask, clock, seeded)
            truth = await _answer(bare, ask, start, end)
            served = await _answer(cached, ask, start, end)
            assert served == truth, (ask, start, end)
            event(f"{ask.kind}: {cache_outcome.get()}")  # --hypothesis-show-statistics
    finally:
        await cache.aclose()


@pytest.fixture
def seeded(moto_endpoint: MotoServer) -> datetime:
    """The emptied session server, seeded once for all examples; returns the seeding instant."""
    now = datetime.now(UTC).replace(microsecond=0)
    _seed(moto_endpoint.logs_client(), int(now.timestamp() * 1000))
    return now


@pytest.fixture
def bare(seeded: datetime) -> Iterator[CloudWatchSource]:
    """CloudWatch with no cache, shared by every example (its client is made once)."""
    source = CloudWatchSource(
        load_settings(),
        retry=RetryPolicy.immediate(max_attempts=2),
        poll=PollPolicy(initial=0.0, factor=1.0, maximum=0.0),
    )
    yield source
    asyncio.run(source.aclose())


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    database=None,  # examples depend on the seeding instant: nothing worth replaying later
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(questions=st.lists(asks, min_size=1, max_size=6))
def test_cache_on_cold_and_warm_equals_cache_off(
    questions: list[Ask], seeded: datetime, bare: CloudWatchSource
) -> None:
    async def scenario() -> None:
        clock = ManualClock(seeded + timedelta(seconds=1))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cache.sqlite3"
            await _replay(questions, bare, path, clock, seeded)  # cold
            await _replay(questions, bare, path, clock, seeded)  # warm, a new wrapper

    asyncio.run(scenario())
