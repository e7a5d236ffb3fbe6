"""Say why a range found nothing when every event in the files is older than the range.

The default window is the last hour; old logs (a downloaded bundle, last week's rotation, a
sample folder) then give an empty answer that looks like "no errors". Naming how old the newest
event is tells the user, and the LLM, how far back to ask instead.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from logai.sources.files.paths import LogFile
from logai.sources.files.reader import open_log
from logai.sources.files.timestamps import TimestampParser

_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60))
#: How much of a file's end is read to find its newest event.
TAIL_BYTES = 64 * 1024
#: Past this many files only modification times are used (no file is opened).
MAX_TAILS = 100


def describe_age(seconds: float) -> str:
    """``3 days``, ``1 hour``, ``5 minutes``: the largest whole unit, singular when one."""
    for name, size in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {name}{'' if count == 1 else 's'}"
    return "less than a minute"


def newest_event_ms(item: LogFile) -> int | None:
    """The latest timestamp among the last lines of ``item``; None if none parses.

    Only the file's end is read (compressed files are skipped: their end is not seekable), so
    the cost is bounded whatever the file's size.
    """
    parse = TimestampParser(item.mtime_ms).parse
    try:
        with open_log(item.path) as handle:
            if isinstance(handle, gzip.GzipFile):
                return None
            handle.seek(max(0, item.size - TAIL_BYTES))
            tail = handle.read(TAIL_BYTES)
    except OSError:
        return None
    stamps = (parse(line) for line in tail.splitlines()[-200:])
    return max((stamp for stamp in stamps if stamp is not None), default=None)


def _iso(ms: int) -> str:
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def stale_files_note(
    files: Sequence[LogFile], start_ms: int, now_ms: float | None = None
) -> str | None:
    """A note when every event in ``files`` is older than ``start_ms``; None otherwise.

    The newest event is read from each file's end; a file last written before the range
    began holds nothing newer, so its modification time stands in when no timestamp can be
    read (a compressed file, too many files to open).
    """
    newest: int | None = None
    read_tails = len(files) <= MAX_TAILS
    for item in files:
        stamp = newest_event_ms(item) if read_tails else None
        if stamp is None and item.mtime_ms < start_ms:
            stamp = item.mtime_ms
        if stamp is None:
            return None  # a recent file without readable timestamps: nothing to say
        newest = stamp if newest is None else max(newest, stamp)
    if newest is None or newest >= start_ms:
        return None
    now = time.time() * 1000 if now_ms is None else now_ms
    age = describe_age(max(0.0, (now - newest) / 1000))
    where = "the file searched" if len(files) == 1 else f"the {len(files)} files searched"
    return (
        f"nothing in the time range: the newest event in {where} is {age} old "
        f"({_iso(newest)}); ask for an earlier start (e.g. --since) to read them."
    )
