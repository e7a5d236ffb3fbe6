"""Bounded collectors for fetched events: memory stays at ``limit`` events whatever comes in.

A single-group fetch arrives in time order, so a list that stops at the limit is enough. A
multi-group search receives many time-ordered streams at once and must keep the *oldest*
``limit`` of their union: :class:`OldestEvents` keeps them in a max-heap and exposes the newest
kept timestamp (the cutoff), which lets each group's fetch stop as soon as its next events could
no longer make the cut.
"""

from __future__ import annotations

import heapq
import itertools
from operator import attrgetter
from typing import Protocol

from logai.sources.base import LogEvent

_by_time = attrgetter("timestamp")


class EventSink(Protocol):
    """Where a group fetch puts its events."""

    @property
    def full(self) -> bool:
        """True once ``limit`` events are held."""

    @property
    def cutoff_ms(self) -> int | None:
        """When full, the newest kept timestamp: later events cannot get in."""

    def offer(self, event: LogEvent, timestamp_ms: int) -> None:
        """Consider one event."""

    def events(self) -> list[LogEvent]:
        """What was kept, oldest first."""


class FirstEvents:
    """The first ``limit`` events offered (one time-ordered stream)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._events: list[LogEvent] = []
        self._newest_ms: int | None = None

    @property
    def full(self) -> bool:
        return len(self._events) >= self.limit

    @property
    def cutoff_ms(self) -> int | None:
        return self._newest_ms if self.full else None

    def offer(self, event: LogEvent, timestamp_ms: int) -> None:
        if self.full:
            return
        self._events.append(event)
        if self._newest_ms is None or timestamp_ms > self._newest_ms:
            self._newest_ms = timestamp_ms

    def events(self) -> list[LogEvent]:
        # Stable: events with equal timestamps keep the order CloudWatch returned them in.
        return sorted(self._events, key=_by_time)


class OldestEvents:
    """The oldest ``limit`` events of everything offered, in any order (many streams at once).

    Ties on the timestamp go to the event offered first, so the result is deterministic for a
    given arrival order.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # Max-heap on (timestamp, arrival) through negation: the root is the newest kept event.
        self._heap: list[tuple[int, int, LogEvent]] = []
        self._arrival = itertools.count()

    @property
    def full(self) -> bool:
        return len(self._heap) >= self.limit

    @property
    def cutoff_ms(self) -> int | None:
        return -self._heap[0][0] if self.full and self._heap else None

    def offer(self, event: LogEvent, timestamp_ms: int) -> None:
        if self.limit <= 0:
            return
        entry = (-timestamp_ms, -next(self._arrival), event)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, entry)
        elif entry[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, entry)

    def events(self) -> list[LogEvent]:
        ordered = sorted(self._heap, key=lambda entry: (-entry[0], -entry[1]))
        return [entry[2] for entry in ordered]
