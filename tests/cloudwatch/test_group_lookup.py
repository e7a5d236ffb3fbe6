"""Finding the missing group of a multi-group request: 50 names per DescribeLogGroups call.

Against moto in-process, three ways an endpoint may treat ``logGroupIdentifiers``: filtering as
AWS does (:func:`tests.fakes.group_identifiers.honoured`), ignoring it as plain moto does, and
refusing it. Requests are counted with a botocore hook on the source's own client; the messages
are the ones LogAI gave when it checked the names one by one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from logai.config import LogAISettings
from logai.sources.base import SourceNotFound
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_POLL, FAST_RETRY
from tests.cloudwatch.fixtures import Requests, seed_groups
from tests.fakes import group_identifiers

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

END = datetime.now(UTC) + timedelta(minutes=5)
START = END - timedelta(hours=1)
SERVICES = [f"/svc/service-{i:03d}" for i in range(120)]


ENDPOINTS = {
    "aws": group_identifiers.honoured,
    "moto": contextlib.nullcontext,  # lists the whole account: the answer is not trusted
    "refusing": group_identifiers.refused,
}


@pytest.fixture(params=list(ENDPOINTS))
def endpoint(request: pytest.FixtureRequest, mocked_aws: None) -> Iterator[str]:
    with ENDPOINTS[request.param]():
        yield request.param


@pytest.fixture
async def counted(endpoint: str, logs_client: CloudWatchLogsClient, settings: LogAISettings) -> Any:
    import boto3  # type: ignore[import-untyped]

    seed_groups(logs_client, ["/app/orders", "/app/payments", "/app/shipping", *SERVICES])
    client = boto3.client("logs")
    cw = CloudWatchSource(settings, client=client, retry=FAST_RETRY, poll=FAST_POLL)
    yield cw, Requests(client)
    await cw.aclose()


async def _query_error(cw: CloudWatchSource, groups: list[str]) -> SourceNotFound:
    with pytest.raises(SourceNotFound) as caught:
        await cw.run_query("fields @message", groups, START, END)
    return caught.value


def _checked(endpoint: str, requests: Requests, asked: list[str], up_to: int) -> None:
    """The lookup's requests: ``asked`` 50 per call on AWS; one by one (up to and including
    index ``up_to``, the first missing name) where identifiers are ignored or refused."""
    batches = [asked[i : i + 50] for i in range(0, up_to + 1, 50)]
    if endpoint == "aws":
        assert requests.by_identifiers() == batches
        assert requests.one_by_one() == []
    else:
        assert requests.by_identifiers() == batches[:1]  # found out on the first call
        assert requests.one_by_one() == asked[: up_to + 1]


async def test_one_missing_group_is_named_with_its_close_names(
    counted: tuple[CloudWatchSource, Requests], endpoint: str
) -> None:
    cw, requests = counted
    asked = ["/app/orders", "/app/paymnts"]

    error = await _query_error(cw, asked)

    assert str(error) == "Log group '/app/paymnts' does not exist. Did you mean '/app/payments'?"
    assert (error.name, error.suggestions) == ("/app/paymnts", ["/app/payments"])
    _checked(endpoint, requests, asked, 1)
    # The suggestions, bounded as before: the siblings under '/app/' (one page), then the
    # start of the account's list (123 groups: three pages).
    assert requests.listings() == 1 + 3


async def test_of_several_missing_groups_the_first_is_named(
    counted: tuple[CloudWatchSource, Requests], endpoint: str
) -> None:
    cw, requests = counted
    asked = ["/app/orders", "/app/shiping", "/app/payments", "/app/ordrs", SERVICES[7]]

    error = await _query_error(cw, asked)

    assert str(error) == "Log group '/app/shiping' does not exist. Did you mean '/app/shipping'?"
    assert error.suggestions == ["/app/shipping"]
    _checked(endpoint, requests, asked, 1)


@pytest.mark.parametrize("missing_at", [105, 12])
async def test_more_than_50_groups_are_looked_up_50_per_call(
    counted: tuple[CloudWatchSource, Requests], endpoint: str, missing_at: int
) -> None:
    cw, requests = counted
    asked = list(SERVICES[:110])
    asked[missing_at] = asked[missing_at].replace("service", "servise")

    error = await _query_error(cw, asked)

    close = " or ".join(repr(name) for name in error.suggestions)
    assert str(error) == f"Log group '{asked[missing_at]}' does not exist. Did you mean {close}?"
    assert error.suggestions[0] == SERVICES[missing_at]
    _checked(endpoint, requests, asked, missing_at)


async def test_a_follow_of_many_groups_looks_their_arns_up_together(
    counted: tuple[CloudWatchSource, Requests], endpoint: str
) -> None:
    cw, requests = counted
    asked = [*SERVICES[:60], "/app/ordrs"]

    with pytest.raises(SourceNotFound) as caught:
        await anext(cw.follow(asked, poll_interval=0.01))

    assert str(caught.value).endswith("Did you mean '/app/orders'?")
    _checked(endpoint, requests, asked, 60)


async def test_a_follow_of_present_groups_gets_every_arn(
    counted: tuple[CloudWatchSource, Requests], endpoint: str
) -> None:
    from logai_cloudwatch.live_tail import _Follow

    cw, requests = counted
    follow = _Follow(cw, cw._call, cw._ensure_client, cw._not_found)

    arns = await follow._arns([*SERVICES[:55], SERVICES[0]])

    assert list(arns.values()) == SERVICES[:55]
    assert all(arn.endswith(f":log-group:{name}") for arn, name in arns.items())
    if endpoint == "aws":
        assert [len(batch) for batch in requests.by_identifiers()] == [50, 5]


async def test_a_search_with_several_misspelt_groups_lists_close_names_once(
    source: CloudWatchSource, logs_client: CloudWatchLogsClient
) -> None:
    seed_groups(logs_client, ["/app/orders", "/app/payments", "/app/shipping", *SERVICES])
    requests = Requests(await source._ensure_client())
    asked = ["/app/ordrs", "/app/paymnts", "/app/shiping", *SERVICES[:3]]

    with pytest.raises(SourceNotFound) as caught:
        await source.search_logs(asked, "ERROR", START, END)
    several = len(requests.describes())
    with pytest.raises(SourceNotFound) as alone:
        await source.search_logs([caught.value.name], "ERROR", START, END)

    assert caught.value.name in asked[:3]
    assert str(caught.value) == str(alone.value)
    assert "Did you mean" in str(caught.value)
    assert several == len(requests.describes()) - several > 0  # one listing, as for one group
