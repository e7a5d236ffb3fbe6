"""What a cached run of events is known to hold, and whether that answers a request exactly.

Sources return, for ``[start, end]`` and ``limit``, the *first* ``limit`` events of the range in
time order. So a fetch that came back with fewer than ``limit`` events holds *every* event of its
range, and one that was cut holds every event strictly before the millisecond of its last event,
plus the first few events *of* that millisecond (more may share it: a tie at the cut). A
:class:`Segment` records exactly that: the milliseconds ``[lo, hi]`` it holds completely and the
``tail`` events of millisecond ``hi + 1`` (the first ones the source gave for it).

A request is answered from a segment only when that is provably the source's own answer
(:func:`plan`): every event the source would return either lies in the complete part, or is
among the first events of the tail millisecond. What is missing is fetched as a *gap*, the part
of the range after the complete part, with just the limit still needed; a request that starts
outside every segment is fetched as asked. Nothing is ever fetched wider than asked.

Two assumptions, which CloudWatch, moto and the sources in this repository honour: events come
oldest first, and events sharing a millisecond come in an order that does not depend on the range
or limit asked (for a multi-group search that order is the source's arbitrary one anyway).

Live data: a part of a segment past its *settled* point (fetch time minus the source's ingestion
delay) may still gain late events, so it is trusted only for the live TTL after its fetch, and
never for a request that has itself settled (that answer is kept for days).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

from logai.cache.window import Span
from logai.clock import from_ms, to_ms
from logai.sources.base import LogEvent

__all__ = [
    "Plan",
    "Segment",
    "merge_into",
    "plan",
    "segment_from_fetch",
    "segments_from_meta",
]

_timestamp = attrgetter("timestamp")


@dataclass(frozen=True, slots=True)
class Segment:
    """Events known to be every event of milliseconds ``[lo, hi]``, then ``tail`` more.

    ``events`` is in source order: the complete part, then ``tail`` events of millisecond
    ``hi + 1`` that are the first the source gives for it. ``lo == hi + 1`` means no complete
    part (only a tail). ``fetched_ms`` is when the newest-trusted part was fetched and
    ``settled_ms`` the last millisecond that had settled then.
    """

    lo: int
    hi: int
    events: tuple[LogEvent, ...]
    tail: int
    fetched_ms: int
    settled_ms: int

    @property
    def reach(self) -> int:
        """The last millisecond this segment says anything about."""
        return self.hi + 1 if self.tail else self.hi

    @property
    def complete(self) -> tuple[LogEvent, ...]:
        return self.events[: len(self.events) - self.tail]

    @property
    def tail_events(self) -> tuple[LogEvent, ...]:
        return self.events[len(self.events) - self.tail :] if self.tail else ()

    @property
    def tentative(self) -> bool:
        """Whether part of it lies past its settled point (late events may still arrive)."""
        return self.reach > self.settled_ms

    def meta(self) -> dict[str, int]:
        """Everything but the events, for the entry's metadata."""
        return {
            "lo": self.lo,
            "hi": self.hi,
            "n": len(self.events),
            "tail": self.tail,
            "fetched": self.fetched_ms,
            "settled": self.settled_ms,
        }

    def trusted(self, now_ms: int, live_ttl_ms: int, *, settled_request: bool) -> Segment | None:
        """The part that may still be served now; None when nothing is left.

        The tentative part goes once the live TTL has passed, and is never used for a request
        that has settled (it would then be kept for days).
        """
        if not self.tentative or (now_ms < self.fetched_ms + live_ttl_ms and not settled_request):
            return self
        hi = min(self.hi, self.settled_ms)
        if hi < self.lo:
            return None
        complete = self.complete
        return replace(self, hi=hi, events=complete[: _index(complete, hi + 1)], tail=0)


def segment_from_fetch(
    span: Span, limit: int, events: Sequence[LogEvent], fetched_ms: int, settled_ms: int
) -> Segment | None:
    """What a fetch of ``span`` with ``limit`` proves; None when it proves nothing storable."""
    if span.empty or limit < 1:
        return None
    if events and not (
        span.start_ms <= to_ms(events[0].timestamp) and to_ms(events[-1].timestamp) <= span.end_ms
    ):
        return None  # a source that answered outside the range asked: prove nothing
    if len(events) < limit:
        return Segment(span.start_ms, span.end_ms, tuple(events), 0, fetched_ms, settled_ms)
    last_ms = to_ms(events[-1].timestamp)
    tail = len(events) - _index(events, last_ms)
    return Segment(span.start_ms, last_ms - 1, tuple(events), tail, fetched_ms, settled_ms)


@dataclass(frozen=True, slots=True)
class Plan:
    """How to answer a request: ``known`` from the cache, then ``gap`` from the source.

    ``gap`` is None when ``known`` is the whole answer; otherwise the source is asked for
    ``gap`` with ``gap_limit`` and its answer appended to ``known``.
    """

    known: list[LogEvent]
    gap: Span | None = None
    gap_limit: int = 0


def plan(segment: Segment, span: Span, limit: int) -> Plan | None:
    """The answer to ``span``/``limit`` from ``segment``, or None when it does not start there."""
    if not segment.lo <= span.start_ms <= segment.hi + 1 or span.empty or limit < 1:
        return None
    complete = segment.complete
    first = _index(complete, span.start_ms)
    last = _index(complete, min(span.end_ms, segment.hi) + 1)
    known = list(complete[first:last])
    if len(known) >= limit:
        return Plan(known[:limit])
    if span.end_ms <= segment.hi:
        return Plan(known)
    missing = limit - len(known)
    if segment.tail >= missing:
        return Plan(known + list(segment.tail_events[:missing]))
    return Plan(known, Span(segment.hi + 1, span.end_ms), missing)


def merge_into(segments: Iterable[Segment], new: Segment) -> tuple[list[Segment], Segment]:
    """``segments`` with ``new`` added: overlapping or adjacent ones become one, newest wins.

    Returns the segments in time order and, separately, the one ``new`` ended up in.
    """
    merged = new
    rest: list[Segment] = []
    for old in segments:
        # Only complete parts may touch: a tail millisecond is not known in full.
        if old.lo <= merged.hi + 1 and merged.lo <= old.hi + 1:
            merged = _merge(old, merged)
        else:
            rest.append(old)
    return sorted([*rest, merged], key=attrgetter("lo")), merged


def _merge(old: Segment, new: Segment) -> Segment:
    old_complete = old.complete
    before = old_complete[: _index(old_complete, new.lo)]
    after = old_complete[_index(old_complete, new.hi + 1) :] if old.hi > new.hi else ()
    if new.hi != old.hi:
        tail = new.tail_events if new.hi > old.hi else old.tail_events
    else:  # both hold the first events of the same millisecond: keep the longer run
        tail = new.tail_events if new.tail >= old.tail else old.tail_events
    # Trust: the older fetch's clock when either holds live data, else the newer one's.
    # Treating data as older than it is only ever shortens how long it is served.
    live = [part for part in (old, new) if part.tentative]
    by_fetch = attrgetter("fetched_ms")
    clock = min(live, key=by_fetch) if live else max((old, new), key=by_fetch)
    return Segment(
        lo=min(old.lo, new.lo),
        hi=max(old.hi, new.hi),
        events=(*before, *new.complete, *after, *tail),
        tail=len(tail),
        fetched_ms=clock.fetched_ms,
        settled_ms=clock.settled_ms,
    )


def _index(events: Sequence[LogEvent], ms: int) -> int:
    """Index of the first event at or after millisecond ``ms``."""
    return bisect_left(events, from_ms(ms), key=_timestamp)


def segments_from_meta(
    meta: Mapping[str, Any], events: Sequence[LogEvent] | None
) -> list[Segment] | None:
    """Rebuild the segments of an entry; None when the metadata does not fit the events.

    With ``events`` None, the segments come back without their events: enough to tell what an
    entry covers before its payload is decoded.
    """
    try:
        fields = ("lo", "hi", "n", "tail", "fetched", "settled")
        described = [tuple(int(item[name]) for name in fields) for item in meta["segments"]]
    except (KeyError, TypeError, ValueError):
        return None
    if events is not None and sum(item[2] for item in described) != len(events):
        return None
    segments: list[Segment] = []
    offset = 0
    for lo, hi, n, tail, fetched, settled in described:
        if not 0 <= tail <= n:
            return None
        held = () if events is None else tuple(events[offset : offset + n])
        segments.append(Segment(lo, hi, held, tail, fetched, settled))
        offset += n
    return segments
