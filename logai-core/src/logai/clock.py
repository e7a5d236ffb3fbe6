"""Time for the stores: an injectable clock and exact conversions to integer milliseconds.

The cache and the history compare and store times as integer epoch milliseconds (UTC): that is
what the databases index, what log backends speak, and what makes "12:00:00.0004" and
"12:00:00.000" the same key. The clock is a plain callable so tests (and a frontend replaying a
session) can move time by hand. It lives outside both packages so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

__all__ = ["EPOCH", "Clock", "from_ms", "to_ms", "utc_now"]

#: A callable returning the current time as a timezone-aware datetime.
Clock = Callable[[], datetime]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc_now() -> datetime:
    """The wall clock, timezone-aware UTC."""
    return datetime.now(UTC)


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch, truncated; a naive datetime is taken as UTC.

    Integer arithmetic on a timedelta avoids float rounding (``timestamp()`` can turn
    .123 s into 122.99999 ms).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(millis: int) -> datetime:
    """The UTC datetime of an epoch-milliseconds value, exactly."""
    return EPOCH + timedelta(milliseconds=millis)
