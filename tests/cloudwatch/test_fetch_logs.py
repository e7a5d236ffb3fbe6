"""``fetch_logs``: the nextToken loop, the limit per page and in total, ranges, filters, dedup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from logai.config import LogAISettings
from logai.sources.base import SourceNotFound
from logai_cloudwatch._convert import from_millis
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_POLL, FAST_RETRY
from tests.cloudwatch.fixtures import numbered_messages, seed_events, seed_groups

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

GROUP = "/app/api"


def _hour() -> tuple[datetime, datetime]:
    end = datetime.now(UTC)
    return end - timedelta(hours=1), end


def _spy(source: CloudWatchSource, client: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        seen.append(dict(params))

    client.meta.events.register("provide-client-params.logs.FilterLogEvents", record)
    return seen


@pytest.fixture
async def paged(mocked_aws: None, settings: LogAISettings) -> Any:
    """A source whose pages hold 10 events, so a few dozen events span many pages."""
    cw = CloudWatchSource(settings, retry=FAST_RETRY, poll=FAST_POLL, page_size=10)
    yield cw
    await cw.aclose()


async def test_fetch_logs_follows_next_token_over_more_than_three_pages(
    paged: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seeded = seed_events(logs_client, GROUP, numbered_messages(45))
    requests = _spy(paged, await paged._ensure_client())

    events = await paged.fetch_logs(GROUP, *_hour(), limit=1000)

    assert [e.message for e in events] == seeded.messages
    assert len(requests) == 5
    assert all(r["limit"] == 10 for r in requests)
    assert "nextToken" not in requests[0] and all("nextToken" in r for r in requests[1:])


async def test_fetch_logs_asks_only_for_what_is_still_needed(
    paged: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seeded = seed_events(logs_client, GROUP, numbered_messages(100))
    requests = _spy(paged, await paged._ensure_client())

    events = await paged.fetch_logs(GROUP, *_hour(), limit=25)

    assert [e.message for e in events] == seeded.messages[:25]
    assert [r["limit"] for r in requests] == [10, 10, 5]


async def test_fetch_logs_requests_at_most_the_limit_and_the_api_maximum(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, GROUP, numbered_messages(30))
    requests = _spy(source, await source._ensure_client())

    assert len(await source.fetch_logs(GROUP, *_hour(), limit=7)) == 7
    assert len(await source.fetch_logs(GROUP, *_hour(), limit=50_000)) == 30

    assert [r["limit"] for r in requests] == [7, 10_000]


async def test_fetch_logs_keeps_events_in_time_order_across_streams(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    base = datetime.now(UTC) - timedelta(minutes=30)
    start_ms = int(base.timestamp() * 1000)
    seed_events(logs_client, GROUP, ["a0", "a1", "a2"], stream="a", start_ms=start_ms, step_ms=10)
    seed_events(
        logs_client, GROUP, ["b0", "b1", "b2"], stream="b", start_ms=start_ms + 5, step_ms=10
    )

    events = await source.fetch_logs(GROUP, *_hour())

    assert [e.message for e in events] == ["a0", "b0", "a1", "b1", "a2", "b2"]
    assert [e.stream for e in events[:2]] == ["a", "b"]
    assert all(e.group == GROUP and e.event_id for e in events)


async def test_fetch_logs_honours_the_time_range_inclusively(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seeded = seed_events(logs_client, GROUP, numbered_messages(10), step_ms=1000)

    start, end = from_millis(seeded.timestamps[2]), from_millis(seeded.timestamps[5])
    events = await source.fetch_logs(GROUP, start, end)

    assert [e.message for e in events] == seeded.messages[2:6]
    assert events[0].timestamp == start and events[0].timestamp.tzinfo is UTC


async def test_fetch_logs_passes_the_filter_pattern(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, GROUP, ["ok", "ERROR disk full", "ok", "ERROR timeout"])

    events = await source.fetch_logs(GROUP, *_hour(), filter_pattern="ERROR")

    assert [e.message for e in events] == ["ERROR disk full", "ERROR timeout"]


async def test_fetch_logs_drops_events_repeated_across_pages(
    mocked_aws: None, settings: LogAISettings
) -> None:
    """Pages can overlap; the event id keeps each event once (and a repeated token ends it)."""

    def page(ids: list[int], token: str | None) -> dict[str, Any]:
        events = [
            {"eventId": str(i), "timestamp": 1_700_000_000_000 + i, "message": f"m{i}"} for i in ids
        ]
        return {"events": events, **({"nextToken": token} if token else {})}

    pages = iter([page([1, 2, 3], "t1"), page([3, 4], "t2"), page([4, 5], None)])

    class FakeClient:
        def filter_log_events(self, **_: Any) -> dict[str, Any]:
            return next(pages)

    cw = CloudWatchSource(settings, client=FakeClient(), retry=FAST_RETRY)  # type: ignore[arg-type]
    events = await cw.fetch_logs(GROUP, *_hour())
    await cw.aclose()

    assert [e.message for e in events] == ["m1", "m2", "m3", "m4", "m5"]


async def test_fetch_logs_of_an_empty_range_is_empty(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, [GROUP])
    assert await source.fetch_logs(GROUP, *_hour()) == []


async def test_fetch_logs_with_no_room_makes_no_request(source: CloudWatchSource) -> None:
    assert await source.fetch_logs("/does/not/matter", *_hour(), limit=0) == []


async def test_fetch_logs_of_an_unknown_group_suggests_close_names(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, ["/aws/lambda/checkout", "/aws/lambda/payments", "/aws/ecs/web"])

    with pytest.raises(SourceNotFound) as caught:
        await source.fetch_logs("/aws/lambda/chekout", *_hour())

    assert caught.value.name == "/aws/lambda/chekout"
    assert caught.value.suggestions[0] == "/aws/lambda/checkout"
    assert "does not exist" in str(caught.value)
    assert "/aws/lambda/checkout" in str(caught.value)


async def test_fetch_logs_suggests_groups_that_extend_a_partial_name(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, ["/aws/lambda/checkout-service-prod"])

    with pytest.raises(SourceNotFound) as caught:
        await source.fetch_logs("/aws/lambda/checkout", *_hour())

    assert caught.value.suggestions == ["/aws/lambda/checkout-service-prod"]


async def test_fetch_logs_suggestion_scan_is_bounded(
    mocked_aws: None, settings: LogAISettings, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, [f"/svc/g{i:03d}" for i in range(300)])
    cw = CloudWatchSource(settings, retry=FAST_RETRY, suggestion_scan_limit=60)
    listed: list[dict[str, Any]] = []
    client: Any = await cw._ensure_client()
    client.meta.events.register(
        "provide-client-params.logs.DescribeLogGroups",
        lambda params, **_: listed.append(dict(params)),
    )

    with pytest.raises(SourceNotFound):
        await cw.fetch_logs("/svc/nope", *_hour())
    await cw.aclose()

    assert sum(r["limit"] for r in listed) <= 60
