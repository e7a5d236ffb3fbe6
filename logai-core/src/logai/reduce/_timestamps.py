"""Read the time a raw line was written from its header, when the header says it clearly.

Only the first and last line of each group are parsed (logs are written in time order), so this
is off the per-line hot path. Times without a zone are taken as UTC; a year-less syslog time gets
the current year. Anything unrecognised gives ``None`` rather than a guess.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}

_ISO_RE = re.compile(
    r"(?P<y>\d{4})[-/.](?P<mo>\d{1,2})[-/.](?P<d>\d{1,2})[T\s_-]+"
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})[:.](?P<s>\d{2})(?:[.,:](?P<f>\d{1,9}))?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?"
)
_SYSLOG_RE = re.compile(
    r"(?P<mon>[A-Z][a-z]{2})\s+(?P<d>\d{1,2})\s+(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"(?:\s+(?P<y>\d{4})\b)?"
)
_CLF_RE = re.compile(  # nginx/Apache access logs: 10/Oct/2000:13:55:36 -0700
    r"(?P<d>\d{2})/(?P<mon>[A-Z][a-z]{2})/(?P<y>\d{4}):(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"\s*(?P<tz>[+-]\d{4})?"
)
_EPOCH_RE = re.compile(r"(?<![\d.])(1[0-9]{9})(?:(\d{3})|\.(\d{1,6}))?(?![\d.])")


def iso_utc(stamp: datetime) -> str:
    """``2024-03-01T10:00:00.250Z``: ISO 8601 in UTC, milliseconds only when not zero."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    text = stamp.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z").replace(".000Z", "Z")


def parse_timestamp(header: str) -> datetime | None:
    """The timestamp written in a line header, as an aware UTC datetime, or ``None``."""
    if not header:
        return None
    try:
        return _parse(header)
    except (ValueError, OverflowError):
        return None


def _parse(header: str) -> datetime | None:
    if m := _ISO_RE.search(header):
        fraction = (m.group("f") or "0")[:6].ljust(6, "0")
        stamp = datetime(
            int(m.group("y")), int(m.group("mo")), int(m.group("d")),
            int(m.group("h")), int(m.group("mi")), int(m.group("s")), int(fraction),
        )  # fmt: skip
        return stamp.replace(tzinfo=_zone(m.group("tz"))).astimezone(UTC)
    if m := _CLF_RE.search(header):
        stamp = datetime(
            int(m.group("y")), _MONTHS[m.group("mon").lower()], int(m.group("d")),
            int(m.group("h")), int(m.group("mi")), int(m.group("s")),
        )  # fmt: skip
        return stamp.replace(tzinfo=_zone(m.group("tz"))).astimezone(UTC)
    if (m := _SYSLOG_RE.search(header)) and m.group("mon").lower() in _MONTHS:
        year = int(m.group("y")) if m.group("y") else datetime.now(UTC).year
        return datetime(
            year, _MONTHS[m.group("mon").lower()], int(m.group("d")),
            int(m.group("h")), int(m.group("mi")), int(m.group("s")), tzinfo=UTC,
        )  # fmt: skip
    if m := _EPOCH_RE.search(header):
        seconds = float(m.group(1))
        if m.group(2):
            seconds += int(m.group(2)) / 1000
        elif m.group(3):
            seconds += float("0." + m.group(3))
        return datetime.fromtimestamp(seconds, UTC)
    return None


def _zone(text: str | None) -> timezone:
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
