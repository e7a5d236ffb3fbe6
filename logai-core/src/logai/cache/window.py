"""A requested time range as the cache sees it: whole milliseconds, settled or still live.

The cache speaks integer epoch milliseconds, as CloudWatch does: a request's bounds are floored
to the millisecond and the range includes every event of its last millisecond. A range is
*settled* once it ends more than the source's ingestion delay before now: no event can still
arrive in it. The range is never widened or rounded: the source is asked for what the caller
asked (or for a part of it the cache does not hold), never for more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from logai.clock import from_ms, to_ms

__all__ = ["Span", "settled_before_ms", "span_of"]

_LAST_MICROSECOND = timedelta(milliseconds=1) - timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Span:
    """An inclusive range of whole milliseconds, ``[start_ms, end_ms]``."""

    start_ms: int
    end_ms: int

    @property
    def start(self) -> datetime:
        """The first moment of the range, to hand to a source."""
        return from_ms(self.start_ms)

    @property
    def end(self) -> datetime:
        """The last moment of the range: the end of its last millisecond.

        A source with millisecond timestamps (CloudWatch floors both bounds) sees exactly the
        range it would see without the cache; one with finer timestamps returns every event of
        the last millisecond, which is what the cache's coverage records assume.
        """
        return from_ms(self.end_ms) + _LAST_MICROSECOND

    @property
    def empty(self) -> bool:
        """A reversed range: left to the source, which owns that error message."""
        return self.start_ms > self.end_ms


def span_of(start: datetime, end: datetime) -> Span:
    """The millisecond span of a requested ``[start, end]``."""
    return Span(to_ms(start), to_ms(end))


def settled_before_ms(now: datetime, ingestion_delay_seconds: float) -> int:
    """The last millisecond that can no longer gain events: now minus the ingestion delay."""
    return to_ms(now) - int(ingestion_delay_seconds * 1000)
