"""Turn a file's lines into events: a timestamped line starts one, untimed lines continue it.

A Java stack trace, a Python traceback or a pretty-printed JSON body follows the line that logged
it, without a timestamp of its own; an on-call engineer (and the LLM) needs the whole thing as one
event, and a filter for ``NullPointerException`` must find the event that logged it. So:

* a line with a timestamp (see :mod:`.timestamps`) opens a new event;
* a line without one is appended to the open event, up to ``max_event_lines`` lines and
  ``max_event_bytes`` bytes; past that bound the line opens a new event with the same timestamp,
  so a runaway trace stays searchable while memory stays bounded;
* untimed lines at the very top of a file (a banner, a header) are held back, at most
  ``lead_lines`` of them, and take the time of the first timestamped line; a file with no
  timestamp in its first ``lead_lines`` lines is *untimed*: every line is an event of its own,
  stamped with the file's modification time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

__all__ = ["EventLimits", "RawEvent", "assemble"]

#: (timestamp in epoch ms, byte offset of the first line, UTF-8 bytes of the message)
RawEvent = tuple[int, int, bytes]


@dataclass(frozen=True)
class EventLimits:
    """Bounds that keep memory independent of what a file contains."""

    max_line_bytes: int = 64 * 1024
    """A longer line is cut here (the rest of it is skipped)."""

    max_event_lines: int = 500
    """Continuation lines joined into one event before a new event is started."""

    max_event_bytes: int = 256 * 1024
    """Bytes joined into one event before a new event is started."""

    lead_lines: int = 64
    """Untimed lines read at the top of a file before it is treated as untimed."""


def assemble(
    lines: Iterable[tuple[int, bytes]],
    parse: Callable[[bytes], int | None],
    fallback_ms: int,
    limits: EventLimits,
    *,
    resumed: bool = False,
) -> Iterator[RawEvent]:
    """Group ``(offset, line)`` pairs into events, in file order.

    ``fallback_ms`` stamps events of an untimed file. ``resumed`` means reading starts in the
    middle of the file (after :func:`.reader.seek_to_time`): untimed lines before the first
    timestamp then belong to an event that started earlier, and are dropped.
    """
    max_lines, max_bytes, lead_max = (
        limits.max_event_lines,
        limits.max_event_bytes,
        limits.lead_lines,
    )
    stamp: int | None = None  # time of the open event; None when no event is open
    offset = 0
    head = b""  # the open event's first line
    more: list[bytes] | None = None  # all its lines, once it has continuation lines
    size = 0
    leading: list[tuple[int, bytes]] | None = None if resumed else []
    for line_offset, line in lines:
        found = parse(line)
        if found is not None:
            if stamp is not None:
                yield stamp, offset, head if more is None else b"\n".join(more)
            elif leading:
                for held_offset, held in leading:
                    yield found, held_offset, held
            leading = None
            stamp, offset, head, more, size = found, line_offset, line, None, len(line)
            continue
        if stamp is not None:
            if more is None:
                more = [head]
            if len(more) < max_lines and size + len(line) < max_bytes:
                more.append(line)
                size += len(line) + 1
                continue
            # Bound reached: the line starts a new event with the same time.
            yield stamp, offset, b"\n".join(more)
            offset, head, more, size = line_offset, line, None, len(line)
        elif leading is not None:
            leading.append((line_offset, line))
            if len(leading) >= lead_max:  # no timestamp near the top: an untimed file
                for held_offset, held in leading:
                    yield fallback_ms, held_offset, held
                leading = None
        elif not resumed:
            yield fallback_ms, line_offset, line
    if stamp is not None:
        yield stamp, offset, head if more is None else b"\n".join(more)
    elif leading:
        for held_offset, held in leading:
            yield fallback_ms, held_offset, held
