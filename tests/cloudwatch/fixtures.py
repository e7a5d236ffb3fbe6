"""Seeding helpers for CloudWatch Logs tests and benchmarks (moto in-process or over HTTP).

moto rejects - silently, via ``rejectedLogEventsInfo`` - events older than 14 days or more than
2 hours in the future, exactly like AWS, so seeded timestamps are relative to now.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient
    from mypy_boto3_logs.type_defs import InputLogEventTypeDef

#: PutLogEvents accepts at most 10,000 events and 1 MB per call; stay well inside both.
PUT_BATCH = 5000


def now_ms() -> int:
    """The current time in epoch milliseconds."""
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Seeded:
    """What :func:`seed_events` put in, for assertions."""

    group: str
    stream: str
    timestamps: list[int]
    messages: list[str]


def seed_groups(client: CloudWatchLogsClient, names: Iterable[str]) -> list[str]:
    """Create empty log groups; returns the names sorted as DescribeLogGroups lists them."""
    created = []
    for name in names:
        client.create_log_group(logGroupName=name)
        created.append(name)
    return sorted(created)


def seed_events(
    client: CloudWatchLogsClient,
    group: str,
    messages: Sequence[str],
    *,
    stream: str = "stream-1",
    start_ms: int | None = None,
    step_ms: int = 1000,
    create_group: bool = True,
) -> Seeded:
    """Put ``messages`` into one stream, ``step_ms`` apart, in chronological batches.

    Timestamps start ``start_ms`` (default: just over ``len(messages) * step_ms`` ago, so the
    last event is about a minute old and well inside moto's 14-day window).
    """
    if create_group:
        existing = client.describe_log_groups(logGroupNamePrefix=group).get("logGroups", [])
        if not any(g.get("logGroupName") == group for g in existing):
            client.create_log_group(logGroupName=group)
    client.create_log_stream(logGroupName=group, logStreamName=stream)
    first = start_ms if start_ms is not None else now_ms() - 60_000 - len(messages) * step_ms
    timestamps = [first + i * step_ms for i in range(len(messages))]
    for offset in range(0, len(messages), PUT_BATCH):
        batch: list[InputLogEventTypeDef] = [
            {"timestamp": ts, "message": msg}
            for ts, msg in zip(
                timestamps[offset : offset + PUT_BATCH],
                messages[offset : offset + PUT_BATCH],
                strict=True,
            )
        ]
        answer = client.put_log_events(logGroupName=group, logStreamName=stream, logEvents=batch)
        rejected = answer.get("rejectedLogEventsInfo")
        if rejected:
            raise AssertionError(f"moto rejected seeded events: {rejected}")
    return Seeded(group, stream, timestamps, list(messages))


def numbered_messages(count: int, template: str = "event {i}", width: int = 0) -> list[str]:
    """``count`` distinct messages; ``width`` pads each to that many characters."""
    return [template.format(i=i).ljust(width, ".") for i in range(count)]


class Requests:
    """Every API call a client makes: operation name and parameters, in order."""

    def __init__(self, client: Any) -> None:
        self.made: list[tuple[str, dict[str, Any]]] = []
        client.meta.events.register("provide-client-params.logs.*", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.made.append((model.name, dict(params)))

    def describes(self) -> list[dict[str, Any]]:
        return [params for name, params in self.made if name == "DescribeLogGroups"]

    def by_identifiers(self) -> list[list[str]]:
        return [p["logGroupIdentifiers"] for p in self.describes() if "logGroupIdentifiers" in p]

    def one_by_one(self) -> list[str]:
        """Names checked alone: a listing of one group under the name as prefix."""
        return [p["logGroupNamePrefix"] for p in self.describes() if p.get("limit") == 1]

    def listings(self) -> int:
        """Pages listed to suggest close names (neither identifiers nor a one-group probe)."""
        return len([p for p in self.describes() if "logGroupIdentifiers" not in p]) - len(
            self.one_by_one()
        )
