"""Say why a range found nothing when every file was last written before it began.

The default window is the last hour; old logs (a downloaded bundle, last week's rotation) then
give an empty answer that looks like "no errors". Naming how long ago the newest file was
written tells the user, and the LLM, how far back to ask instead.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from logai.sources.files.paths import LogFile

_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60))


def describe_age(seconds: float) -> str:
    """``3 days``, ``1 hour``, ``5 minutes``: the largest whole unit, singular when one."""
    for name, size in _UNITS:
        if seconds >= size:
            count = int(seconds // size)
            return f"{count} {name}{'' if count == 1 else 's'}"
    return "less than a minute"


def stale_files_note(
    files: Sequence[LogFile], start_ms: int, now_ms: int | None = None
) -> str | None:
    """A note when ``files`` were all last written before ``start_ms``; None otherwise."""
    if not files:
        return None
    newest = max(item.mtime_ms for item in files)
    if newest >= start_ms:
        return None
    now = time.time() * 1000 if now_ms is None else now_ms
    written = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=newest)
    stamp = written.isoformat(timespec="seconds").replace("+00:00", "Z")
    age = describe_age(max(0.0, (now - newest) / 1000))
    if len(files) == 1:
        what = f"the file searched was last written {age} ago ({stamp}), before it began"
    else:
        what = (
            f"all {len(files)} files searched were last written before it began, the newest "
            f"{age} ago ({stamp})"
        )
    return f"nothing in the time range: {what}; ask for an earlier start (e.g. --since)."
