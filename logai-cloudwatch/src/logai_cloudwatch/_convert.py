"""Translate between CloudWatch's wire shapes (epoch milliseconds, dicts) and LogAI's types."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from logai.sources.base import LogEvent, LogGroup

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)

#: Fields of a DescribeLogGroups entry kept in :attr:`LogGroup.extra` when present.
_EXTRA_GROUP_FIELDS = ("logGroupArn", "logGroupClass", "kmsKeyId", "dataProtectionStatus")


def to_millis(moment: datetime) -> int:
    """Epoch milliseconds of a datetime; a naive one is taken as UTC (never local time)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _ONE_MS


def from_millis(millis: int) -> datetime:
    """Aware UTC datetime from epoch milliseconds, exact (no float rounding)."""
    return _EPOCH + timedelta(milliseconds=millis)


def to_log_group(raw: Mapping[str, Any]) -> LogGroup:
    """A DescribeLogGroups entry as a :class:`LogGroup`."""
    created = raw.get("creationTime")
    return LogGroup(
        name=str(raw["logGroupName"]),
        stored_bytes=raw.get("storedBytes"),
        created=from_millis(int(created)) if created is not None else None,
        retention_days=raw.get("retentionInDays"),
        extra={key: raw[key] for key in _EXTRA_GROUP_FIELDS if raw.get(key)},
    )


def to_log_event(raw: Mapping[str, Any], group: str, streams: dict[str, str]) -> LogEvent:
    """A FilterLogEvents entry as a :class:`LogEvent`.

    ``streams`` interns stream names: a page repeats the same few names thousands of times, and
    sharing one string per stream keeps large fetches noticeably smaller in memory.
    """
    stream = str(raw.get("logStreamName", ""))
    return LogEvent(
        timestamp=from_millis(int(raw.get("timestamp", 0))),
        message=str(raw.get("message", "")),
        group=group,
        stream=streams.setdefault(stream, stream),
        event_id=str(raw.get("eventId", "")),
    )
