"""Scan files for the events of a time range that match a filter, streaming, with early stops.

This is the hot loop of the files source. It never holds more than one event (bounded by
:class:`.events.EventLimits`) plus what :class:`.collect.OldestKeeper` keeps (bounded by the
limit), and it avoids reading what cannot matter:

* a file last modified long before the range starts is skipped without opening it;
* a large plain file is entered by binary search near the start of the range
  (:func:`.reader.seek_to_time`) instead of read from its first byte;
* reading stops once events are later than the range's end, or later than the newest event the
  keeper still wants, by more than ``tolerance_ms``. Log lines are written roughly in time order
  (threads interleave, buffers flush late); the tolerance is how far out of order a line may be
  and still be found.

Lines are only decoded for events that are returned, and filters match on bytes.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from logai.sources.base import SourceAccessDenied
from logai.sources.files.collect import Kept, OldestKeeper
from logai.sources.files.events import EventLimits, assemble
from logai.sources.files.paths import LogFile, Skipped
from logai.sources.files.reader import iter_lines, open_log, seek_to_time
from logai.sources.files.timestamps import TimestampParser

__all__ = ["MTIME_SLACK_MS", "ScanCancelled", "ScanRequest", "scan_files"]

#: A file last modified more than this before the range starts is skipped unread. Generous,
#: because a time without a zone is read as UTC: a server writing local time east of UTC stamps
#: lines up to 14 hours *after* its files' modification times.
MTIME_SLACK_MS = 24 * 3600 * 1000


class ScanCancelled(Exception):
    """The caller gave up (the awaiting task was cancelled); the worker thread stops early."""


@dataclass
class ScanRequest:
    """What to look for, shared by every file of one fetch or search."""

    start_ms: int
    end_ms: int
    matcher: Callable[[bytes], bool] | None
    keeper: OldestKeeper
    tolerance_ms: int
    limits: EventLimits = field(default_factory=EventLimits)
    cancelled: threading.Event = field(default_factory=threading.Event)
    skipped: list[Skipped] = field(default_factory=list)
    """Files that turned out unreadable when opened (permissions changed since listing)."""

    def horizon_ms(self) -> tuple[int, int]:
        """(latest time an event can still be kept, time past which a file is read no further).

        The horizon is the range's end, or the keeper's cutoff once it is full; reading goes on
        ``tolerance_ms`` beyond it for lines written slightly out of order.
        """
        cutoff = self.keeper.cutoff_ms
        horizon = self.end_ms if cutoff is None else min(self.end_ms, cutoff)
        return horizon, horizon + self.tolerance_ms


def _scan_one(item: LogFile, group: str, request: ScanRequest) -> None:
    parser = TimestampParser(item.mtime_ms)
    parse = parser.parse
    limits = request.limits
    start_ms, matcher, keeper = request.start_ms, request.matcher, request.keeper
    cancelled = request.cancelled
    horizon, stop_after = request.horizon_ms()
    with open_log(item.path) as handle:
        offset = 0
        if not isinstance(handle, gzip.GzipFile):
            target = start_ms - request.tolerance_ms
            offset = seek_to_time(handle, item.size, target, parse, limits.max_line_bytes)
            handle.seek(offset)
        lines = iter_lines(handle, limits.max_line_bytes, offset, stop=cancelled.is_set)
        if offset:
            next(lines, None)  # the partial line the search landed in
        events = assemble(lines, parse, item.mtime_ms, limits, resumed=offset > 0)
        for stamp, event_offset, data in events:
            if stamp < start_ms:
                continue
            if stamp > horizon:
                if stamp > stop_after:
                    return
                continue
            if matcher is not None and not matcher(data):
                continue
            keeper.offer(Kept(stamp, group, item.name, event_offset, data))
            if keeper.cutoff_ms is not None:
                horizon, stop_after = request.horizon_ms()
    if cancelled.is_set():
        raise ScanCancelled


def scan_files(files: list[tuple[str, LogFile]], request: ScanRequest) -> None:
    """Scan ``(group, file)`` pairs into ``request.keeper``.

    A file that disappears mid-scan (rotated away) or whose gzip stream is truncated (still being
    written, or damaged) contributes what could be read. A file that cannot be opened is added
    to ``request.skipped``, unless it is the only one: then :class:`SourceAccessDenied` says so.
    """
    for group, item in files:
        if item.mtime_ms < request.start_ms - MTIME_SLACK_MS:
            continue
        try:
            _scan_one(item, group, request)
        except PermissionError:
            if len(files) == 1:
                raise SourceAccessDenied(
                    f"Cannot read {item.path}: permission denied for this user.", action="read"
                ) from None
            request.skipped.append(Skipped(item.name, "permission denied"))
        except FileNotFoundError:
            continue
        except (EOFError, gzip.BadGzipFile, zlib.error):
            continue
