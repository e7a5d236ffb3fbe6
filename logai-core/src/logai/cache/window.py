"""Time windows as the cache sees them: exact when settled, bucketed when they touch "now".

A range that ends within the source's ingestion delay of now may still gain events. Its bounds
are rounded out to a bucket (floor the start, ceil the end), the source is asked for that
rounded range, and the key uses it too, so "the last hour" asked twice within a bucket gives
the same key and data that really matches it. Callers then trim the events back to the range
that was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from logai.cache.clock import from_ms, to_ms

__all__ = ["Window", "plan_window"]


@dataclass(frozen=True, slots=True)
class Window:
    """The range to fetch and key on, and the range the caller asked for (epoch ms)."""

    start_ms: int
    end_ms: int
    asked_start_ms: int
    asked_end_ms: int
    live: bool
    bucket_ms: int

    @property
    def start(self) -> datetime:
        """Start of the range to fetch."""
        return from_ms(self.start_ms)

    @property
    def end(self) -> datetime:
        """End of the range to fetch."""
        return from_ms(self.end_ms)

    def key_params(self) -> dict[str, int]:
        """The part of a cache key that identifies this window."""
        return {"start": self.start_ms, "end": self.end_ms}

    def previous(self) -> Window | None:
        """The same live window one bucket earlier: what the same question gave a moment ago."""
        if not self.live or self.bucket_ms <= 0:
            return None
        return Window(
            self.start_ms - self.bucket_ms,
            self.end_ms - self.bucket_ms,
            self.asked_start_ms,
            self.asked_end_ms,
            live=True,
            bucket_ms=self.bucket_ms,
        )


def plan_window(
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    ingestion_delay_seconds: float,
    bucket_seconds: float,
) -> Window:
    """Classify ``[start, end]`` as live or settled and round a live one out to its bucket."""
    start_ms, end_ms = to_ms(start), to_ms(end)
    settled_before_ms = to_ms(now) - int(ingestion_delay_seconds * 1000)
    live = end_ms >= settled_before_ms
    bucket_ms = int(bucket_seconds * 1000)
    if not live or bucket_ms <= 0 or start_ms > end_ms:
        # A reversed range is passed through untouched: the source owns that error message.
        return Window(start_ms, end_ms, start_ms, end_ms, live, bucket_ms)
    floor_start = start_ms - start_ms % bucket_ms
    ceil_end = -(-end_ms // bucket_ms) * bucket_ms
    return Window(floor_start, ceil_end, start_ms, end_ms, live, bucket_ms)
