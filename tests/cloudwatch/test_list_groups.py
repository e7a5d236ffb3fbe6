"""``list_log_groups``: pagination at 50 per page, prefixes, limits, conversion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.fixtures import seed_events, seed_groups

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient


def _spy_requests(source_client: Any, operation: str) -> list[dict[str, Any]]:
    """Record the parameters of every ``operation`` request the client sends."""
    seen: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        seen.append(dict(params))

    source_client.meta.events.register(f"provide-client-params.logs.{operation}", record)
    return seen


async def _client_of(source: CloudWatchSource) -> Any:
    return await source._ensure_client()


async def test_list_log_groups_follows_more_than_three_pages(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    names = seed_groups(logs_client, [f"/app/service-{i:03d}" for i in range(173)])
    requests = _spy_requests(await _client_of(source), "DescribeLogGroups")

    groups = await source.list_log_groups(limit=1000)

    assert [g.name for g in groups] == names
    assert len(requests) == 4  # 50 + 50 + 50 + 23
    assert all(r["limit"] <= 50 for r in requests)


async def test_list_log_groups_stops_at_the_limit_without_extra_pages(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    names = seed_groups(logs_client, [f"/app/service-{i:03d}" for i in range(173)])
    requests = _spy_requests(await _client_of(source), "DescribeLogGroups")

    groups = await source.list_log_groups(limit=120)

    assert [g.name for g in groups] == names[:120]
    assert [r["limit"] for r in requests] == [50, 50, 20]


async def test_list_log_groups_filters_by_prefix(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, ["/aws/lambda/a", "/aws/lambda/b", "/aws/ecs/c", "other"])

    groups = await source.list_log_groups(prefix="/aws/lambda/")

    assert [g.name for g in groups] == ["/aws/lambda/a", "/aws/lambda/b"]


@pytest.mark.parametrize("limit", [0, -5])
async def test_list_log_groups_with_no_room_returns_nothing(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient, limit: int
) -> None:
    seed_groups(logs_client, ["a"])
    assert await source.list_log_groups(limit=limit) == []


async def test_list_log_groups_of_an_empty_account_is_empty(source: CloudWatchSource) -> None:
    assert await source.list_log_groups() == []


async def test_list_log_groups_converts_size_retention_and_creation(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_events(logs_client, "/app/api", ["hello", "world"])
    logs_client.put_retention_policy(logGroupName="/app/api", retentionInDays=30)

    (group,) = await source.list_log_groups()

    assert group.name == "/app/api"
    assert group.retention_days == 30
    assert group.stored_bytes == len("hello") + len("world")
    assert group.created is not None and group.created.tzinfo is not None
    assert group.extra["logGroupArn"].endswith(":log-group:/app/api")
