"""Across targets, "did you mean" listings are made only when no target has the group.

Two CloudWatch sources (two regions of moto's in-process account) behind a
:class:`~logai.sources.targets.TargetSet`, each with its own client and its requests counted by a
botocore hook. A lone source, asked the same thing in the same test, gives the messages and the
listing cost the set must match.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from logai.config import LogAISettings
from logai.sources.base import SourceNotFound
from logai.sources.targets import TargetSet
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_POLL, FAST_RETRY
from tests.cloudwatch.fixtures import Requests, seed_events, seed_groups

END = datetime.now(UTC) + timedelta(minutes=5)
START = END - timedelta(hours=1)
REGIONS = {"a": "us-east-1", "b": "eu-west-1"}
SIBLINGS = ["/app/checkout", "/app/orders", "/app/payments"]


def _prefix_listing(prefix: str) -> dict[str, Any]:
    """The one DescribeLogGroups page a search lists a prefix with."""
    return {"logGroupNamePrefix": prefix, "limit": 50}


def _source(settings: LogAISettings, region: str) -> tuple[CloudWatchSource, Requests]:
    import boto3  # type: ignore[import-untyped]

    client = boto3.client("logs", region_name=region)
    source = CloudWatchSource(settings, client=client, retry=FAST_RETRY, poll=FAST_POLL)
    return source, Requests(client)


class World:
    """The set, each target's requests, and a lone source over target ``a``'s region."""

    def __init__(self, settings: LogAISettings) -> None:
        import boto3

        for alias, region in REGIONS.items():
            client = boto3.client("logs", region_name=region)
            seed_groups(client, SIBLINGS)
            seed_events(client, f"/only/{alias}", [f"{alias} says hello"])
        members = {alias: _source(settings, region) for alias, region in REGIONS.items()}
        self.set = TargetSet({alias: source for alias, (source, _) in members.items()})
        self.requests = {alias: requests for alias, (_, requests) in members.items()}
        self.lone, self.lone_requests = _source(settings, REGIONS["a"])

    def describes(self, alias: str) -> int:
        return len(self.requests[alias].describes())


@pytest.fixture
async def world(mocked_aws: None, settings: LogAISettings) -> AsyncIterator[World]:
    built = World(settings)
    yield built
    await built.set.aclose()
    await built.lone.aclose()


async def test_a_group_held_only_by_the_second_target_costs_the_first_no_listing(
    world: World,
) -> None:
    events = await world.set.fetch_logs("/only/b", START, END)

    assert [(e.group, e.message) for e in events] == [("b:/only/b", "b says hello")]
    assert world.describes("a") == 0  # its FilterLogEvents failed; no "did you mean" listing
    assert [name for name, _ in world.requests["a"].made] == ["FilterLogEvents"]


async def test_a_group_in_no_target_gets_suggestions_once_per_target_as_a_lone_source_does(
    world: World,
) -> None:
    with pytest.raises(SourceNotFound) as caught:
        await world.set.fetch_logs("/app/chekout", START, END)
    with pytest.raises(SourceNotFound) as alone:
        await world.lone.fetch_logs("/app/chekout", START, END)

    assert str(caught.value) == (
        "Log group '/app/chekout' is in none of the targets (a, b). "
        "Did you mean 'a:/app/checkout' or 'b:/app/checkout'?"
    )
    assert caught.value.suggestions == ["a:/app/checkout", "b:/app/checkout"]
    assert alone.value.suggestions == ["/app/checkout"]
    lone_cost = len(world.lone_requests.describes())
    assert lone_cost > 0
    assert world.describes("a") == world.describes("b") == lone_cost


async def test_a_prefix_missing_in_one_target_costs_it_only_the_prefix_listing(
    world: World,
) -> None:
    events = await world.set.search_logs([], "hello", START, END, prefixes=["/only/b"])

    assert [e.group for e in events] == ["b:/only/b"]
    assert world.requests["a"].describes() == [_prefix_listing("/only/b")]


async def test_a_group_named_with_its_target_keeps_the_lone_sources_message(
    world: World,
) -> None:
    with pytest.raises(SourceNotFound) as caught:
        await world.set.search_logs(["a:/app/chekout", "b:/only/b"], "hello", START, END)
    with pytest.raises(SourceNotFound) as alone:
        await world.lone.search_logs(["/app/chekout"], "hello", START, END)

    assert str(caught.value) == str(alone.value)
    assert "Did you mean '/app/checkout'?" in str(caught.value)
    assert caught.value.suggestions == alone.value.suggestions


async def test_a_prefix_in_no_target_is_the_sets_own_message_with_no_listing(world: World) -> None:
    with pytest.raises(SourceNotFound) as caught:
        await world.set.search_logs([], "x", START, END, prefixes=["/app/chekout"])

    assert str(caught.value) == "No log group starts with '/app/chekout' in any target (a, b)."
    for alias in REGIONS:
        assert world.requests[alias].describes() == [_prefix_listing("/app/chekout")]
