"""Keep the oldest ``limit`` matching events of a scan: memory is bounded by the limit.

Files are scanned one after another and each is only roughly in time order, so the result is
"the oldest ``limit`` of everything seen", kept in a max-heap. Once the heap is full its newest
timestamp is a *cutoff*: later events cannot get in, which is what lets a scan stop reading a file
early (after allowing for lines slightly out of order).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

__all__ = ["Kept", "OldestKeeper"]


@dataclass(frozen=True, slots=True)
class Kept:
    """One kept event, still undecoded: decoding waits until it is certain to be returned."""

    timestamp_ms: int
    group: str
    stream: str
    offset: int
    data: bytes


class OldestKeeper:
    """The ``limit`` oldest events offered; ties go to the event offered first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # Max-heap through negation: the root is the newest kept event (the one to evict).
        self._heap: list[tuple[int, int, Kept]] = []
        self._arrival = itertools.count()

    @property
    def cutoff_ms(self) -> int | None:
        """When full, the newest kept timestamp; events later than it cannot get in."""
        if len(self._heap) < self.limit or not self._heap:
            return None
        return -self._heap[0][0]

    def offer(self, event: Kept) -> None:
        """Consider one event (events are offered in arrival order)."""
        if self.limit <= 0:
            return
        entry = (-event.timestamp_ms, -next(self._arrival), event)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, entry)
        elif entry[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, entry)

    def events(self) -> list[Kept]:
        """What was kept, oldest first (arrival order among equal timestamps)."""
        ordered = sorted(self._heap, key=lambda entry: (-entry[0], -entry[1]))
        return [entry[2] for entry in ordered]
