"""Following CloudWatch groups: Live Tail where it works, FilterLogEvents polling where not.

moto's in-process mock answers StartLiveTail once and closes the stream (AWS keeps a session
open for three hours), so against it the source must notice and poll. A scripted client stands
in for AWS's own Live Tail (boto3's event stream cannot be produced by moto or the Stubber).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError  # type: ignore[import-untyped]

from logai.config import LogAISettings
from logai.sources.base import LogEvent, SourceNotFound
from logai.sources.notes import collect_notes
from logai_cloudwatch.source import CloudWatchSource
from tests.cloudwatch.conftest import FAST_RETRY

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

GROUP = "/app/api"


def _put(client: CloudWatchLogsClient, *messages: str) -> None:
    now = int(time.time() * 1000)
    client.put_log_events(
        logGroupName=GROUP,
        logStreamName="s",
        logEvents=[{"timestamp": now + i, "message": text} for i, text in enumerate(messages)],
    )


@pytest.fixture
def seeded(logs_client: CloudWatchLogsClient) -> CloudWatchLogsClient:
    logs_client.create_log_group(logGroupName=GROUP)
    logs_client.create_log_stream(logGroupName=GROUP, logStreamName="s")
    # Stamped two minutes ago: older than any follow's start.
    old = int((datetime.now(UTC) - timedelta(minutes=2)).timestamp() * 1000)
    logs_client.put_log_events(
        logGroupName=GROUP, logStreamName="s", logEvents=[{"timestamp": old, "message": "old"}]
    )
    return logs_client


async def _messages_until(polls: Any, count: int) -> list[str]:
    found: list[str] = []
    for _ in range(200):
        found += [event.message for event in await anext(polls)]
        if len(found) >= count:
            return found
    raise AssertionError(f"only {found} arrived")


async def test_against_moto_live_tail_is_noticed_as_partial_and_polling_takes_over(
    seeded: CloudWatchLogsClient, settings: LogAISettings
) -> None:
    cw = CloudWatchSource(settings, retry=FAST_RETRY)
    with collect_notes() as notes:
        polls = cw.follow([GROUP], poll_interval=0.01)
        first = await anext(polls)
        _put(seeded, "new 1", "new 2")
        found = await _messages_until(polls, 2)
        _put(seeded, "new 3")
        found += await _messages_until(polls, 1)
        await polls.aclose()  # type: ignore[attr-defined]
    await cw.aclose()

    assert [event.message for event in first] == []  # "old" predates the follow
    assert found == ["new 1", "new 2", "new 3"]
    assert any("Live Tail is not available" in note for note in notes), notes


async def _follow_one_new_event(
    client: Any, seeded: CloudWatchLogsClient, settings: LogAISettings
) -> tuple[list[str], list[str]]:
    """Follow GROUP through ``client``, write one event "after", and return what the follow
    saw of it and the notes it left."""
    cw = CloudWatchSource(settings, client=client, retry=FAST_RETRY)
    with collect_notes() as notes:
        polls = cw.follow([GROUP], poll_interval=0.01)
        await anext(polls)
        _put(seeded, "after")
        found = await _messages_until(polls, 1)
        await polls.aclose()  # type: ignore[attr-defined]
    return found, notes


async def test_an_unknown_operation_falls_back_to_polling(
    seeded: CloudWatchLogsClient, settings: LogAISettings
) -> None:
    client = _NoLiveTail(seeded)
    found, notes = await _follow_one_new_event(client, seeded, settings)

    assert found == ["after"]
    assert client.live_tail_calls == 1
    assert any("UnknownOperationException" in note for note in notes), notes


async def test_without_permission_to_list_groups_polling_takes_over(
    seeded: CloudWatchLogsClient, settings: LogAISettings
) -> None:
    found, notes = await _follow_one_new_event(_NoDescribe(seeded), seeded, settings)

    assert found == ["after"]
    assert any("logs:DescribeLogGroups" in note and "polling" in note for note in notes), notes


async def test_an_unknown_group_is_not_found_with_suggestions(
    seeded: CloudWatchLogsClient, settings: LogAISettings
) -> None:
    cw = CloudWatchSource(settings, retry=FAST_RETRY)
    polls = cw.follow(["/app/apj"], poll_interval=0.01)

    with pytest.raises(SourceNotFound) as caught:
        await anext(polls)
    await cw.aclose()

    assert caught.value.suggestions == [GROUP]


async def test_live_tail_events_arrive_as_batches_and_closing_ends_the_session(
    seeded: CloudWatchLogsClient, settings: LogAISettings
) -> None:
    now = int(time.time() * 1000) + 1000
    arn = seeded.describe_log_groups()["logGroups"][0]["logGroupArn"]
    updates = [
        [_result(arn, now, "one"), _result(arn, now + 1, "two")],
        [],
        [_result(arn, now + 1, "two"), _result(arn, now + 2, "three")],  # "two" replayed
        [_result(arn, now - 600_000, "from before the start")],
    ]
    client = _ScriptedLiveTail(seeded, updates)
    cw = CloudWatchSource(settings, client=client, retry=FAST_RETRY)  # type: ignore[arg-type]

    polls = cw.follow([GROUP], "ERROR", poll_interval=0.01)
    batches: list[list[LogEvent]] = [await anext(polls) for _ in updates]
    await polls.aclose()  # type: ignore[attr-defined]

    assert [[event.message for event in batch] for batch in batches] == [
        ["one", "two"],
        [],
        ["three"],
        [],
    ]
    assert {event.group for batch in batches for event in batch} == {GROUP}
    assert client.params == [{"logGroupIdentifiers": [arn], "logEventFilterPattern": "ERROR"}]
    assert client.stream.closed.wait(5)


def _result(arn: str, timestamp: int, message: str) -> dict[str, Any]:
    return {
        "logGroupIdentifier": arn,
        "logStreamName": "s",
        "timestamp": timestamp,
        "ingestionTime": timestamp + 5,
        "message": message,
    }


class _AwsLooking:
    """A moto client that says it talks to AWS's own endpoint, so Live Tail is tried."""

    def __init__(self, client: CloudWatchLogsClient) -> None:
        self._client = client

    @property
    def meta(self) -> Any:
        meta = self._client.meta
        return type("Meta", (), {"endpoint_url": meta.endpoint_url, "region_name": "us-east-1"})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class _NoLiveTail(_AwsLooking):
    live_tail_calls = 0

    def start_live_tail(self, **_: Any) -> Any:
        self.live_tail_calls += 1
        raise ClientError(
            {"Error": {"Code": "UnknownOperationException", "Message": ""}}, "StartLiveTail"
        )


class _NoDescribe(_AwsLooking):
    def describe_log_groups(self, **_: Any) -> Any:
        raise ClientError(
            {
                "Error": {"Code": "AccessDeniedException", "Message": "not authorized"},
                "ResponseMetadata": {"RequestId": "r1", "HTTPStatusCode": 400},
            },
            "DescribeLogGroups",
        )


class _Stream:
    """An event stream as boto3 yields it: a session start, updates, then open until closed."""

    def __init__(self, updates: list[list[dict[str, Any]]]) -> None:
        self._updates = updates
        self.closed = threading.Event()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        yield {"sessionStart": {"sessionId": "1"}}
        for results in self._updates:
            yield {
                "sessionUpdate": {"sessionMetadata": {"sampled": False}, "sessionResults": results}
            }
        self.closed.wait(30)

    def close(self) -> None:
        self.closed.set()


class _ScriptedLiveTail(_AwsLooking):
    def __init__(self, client: CloudWatchLogsClient, updates: list[list[dict[str, Any]]]) -> None:
        super().__init__(client)
        self.stream = _Stream(updates)
        self.params: list[dict[str, Any]] = []

    def start_live_tail(self, **params: Any) -> Any:
        self.params.append(params)
        return {"responseStream": self.stream}
