"""Following log groups as events arrive, for any data source, by polling ``fetch_logs``.

This is the generic way :meth:`DataSource.follow` works when a source has nothing better
(CloudWatch has StartLiveTail; files and most plugins have only ``fetch_logs``). Each poll asks
every group for the events from a little before the newest one seen to now: the *overlap*
catches events that become visible late (CloudWatch's ingestion delay, a log line written with
an older timestamp), and event ids drop what was already shown, so an event appears once even
though several polls return it. Events older than the follow's start are never shown.

It calls ``fetch_logs`` on the source it is given, never on a cache: a cached answer for a
range ending "now" could be a few seconds stale, and a follow exists to show what is new.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Coroutine, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from logai.sources.base import DataSource, LogEvent

__all__ = ["DEFAULT_POLL_INTERVAL", "FollowPolicy", "event_key", "poll_follow"]

#: Seconds between two polls unless the caller says otherwise.
DEFAULT_POLL_INTERVAL = 2.0


@dataclass(frozen=True)
class FollowPolicy:
    """How a polling follow reads: how often, how far back each poll looks, how much at once."""

    poll_interval: float = DEFAULT_POLL_INTERVAL
    """Seconds between polls."""

    overlap: float = 60.0
    """Each poll starts this many seconds before the newest event seen (never before the
    follow's start), so late-arriving events are still caught."""

    page: int = 1000
    """Events asked of one group in one call; a full page is followed at once by the next."""

    future: float = 300.0
    """Seconds past now each poll reaches, for events stamped by a clock running ahead."""

    def __post_init__(self) -> None:
        if self.poll_interval <= 0:
            raise ValueError(f"the poll interval must be positive, not {self.poll_interval}")
        if self.overlap < 0 or self.page < 1 or self.future < 0:
            raise ValueError("overlap and future must be >= 0 and page >= 1")


def event_key(event: LogEvent) -> str:
    """What tells two events apart: the source's event id, else a digest of the event."""
    if event.event_id:
        return f"{event.group}\0{event.event_id}"
    text = f"{event.group}\0{event.stream}\0{event.timestamp_ms}\0{event.message}"
    return hashlib.sha256(text.encode()).hexdigest()


class _Seen:
    """Keys of events already shown, forgotten once they fall out of the overlap window."""

    def __init__(self) -> None:
        self._at: dict[str, int] = {}

    def fresh(self, event: LogEvent) -> bool:
        key = event_key(event)
        if key in self._at:
            return False
        self._at[key] = event.timestamp_ms
        return True

    def forget_before(self, cutoff_ms: int) -> None:
        self._at = {key: at for key, at in self._at.items() if at >= cutoff_ms}


async def poll_follow(
    source: DataSource,
    groups: Sequence[str],
    filter_pattern: str | None = None,
    *,
    policy: FollowPolicy | None = None,
    start: datetime | None = None,
) -> AsyncIterator[list[LogEvent]]:
    """Yield, poll after poll, the events of ``groups`` not shown before, oldest first.

    A batch may be empty (a poll that found nothing), so a consumer can do other work between
    events. Errors of the source (an unknown group, no permission) propagate from the first
    poll that meets them. Runs until cancelled.
    """
    rules = policy or FollowPolicy()
    names = list(dict.fromkeys(groups))
    begin = start or datetime.now(UTC)
    newest = dict.fromkeys(names, begin)
    seen = _Seen()
    overlap = timedelta(seconds=rules.overlap)
    while True:
        now = datetime.now(UTC)
        found = await _poll_all(
            [
                _poll_group(source, name, filter_pattern, newest, begin, overlap, now, rules, seen)
                for name in names
            ]
        )
        batch = sorted((event for events in found for event in events), key=_order)
        low = min(max(begin, moment - overlap) for moment in newest.values())
        seen.forget_before(_ms(low) - 1)
        yield batch
        await asyncio.sleep(rules.poll_interval)


async def _poll_all(polls: list[Coroutine[Any, Any, list[LogEvent]]]) -> list[list[LogEvent]]:
    """Every group's poll side by side; the first failure cancels the others and is raised
    as itself (an unknown group's ``SourceNotFound``), not as an exception group."""
    try:
        async with asyncio.TaskGroup() as tasks:
            running = [tasks.create_task(poll) for poll in polls]
    except BaseExceptionGroup as failure:
        first: BaseException = failure
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        raise first from None
    return [task.result() for task in running]


async def _poll_group(
    source: DataSource,
    group: str,
    filter_pattern: str | None,
    newest: dict[str, datetime],
    begin: datetime,
    overlap: timedelta,
    now: datetime,
    rules: FollowPolicy,
    seen: _Seen,
) -> list[LogEvent]:
    """New events of one group; pages past a full one until the window is read."""
    low = max(begin, newest[group] - overlap)
    high = now + timedelta(seconds=rules.future)
    fresh: list[LogEvent] = []
    while True:
        page = await source.fetch_logs(group, low, high, filter_pattern, rules.page)
        for event in page:
            if event.timestamp >= begin and seen.fresh(event):
                fresh.append(event)
                # A clock running ahead must not move the window past events still to come.
                newest[group] = max(newest[group], min(event.timestamp, now))
        if len(page) < rules.page:
            return fresh
        last = page[-1].timestamp
        # A full page: read on from its last millisecond (ids drop the repeats); if the whole
        # page shares one millisecond, step past it rather than read it forever.
        low = last if last > low else last + timedelta(milliseconds=1)


def _order(event: LogEvent) -> tuple[datetime, str, str]:
    return (event.timestamp, event.group, event.event_id)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
