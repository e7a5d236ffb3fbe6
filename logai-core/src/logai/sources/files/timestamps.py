"""Find the timestamp at the start of a log line, in the formats real log files use.

Recognised (first match wins):

* JSON lines with a top-level ``time``, ``timestamp``, ``@timestamp`` or ``ts`` field holding an
  ISO 8601 string or an epoch number (seconds, milliseconds, microseconds or nanoseconds, told
  apart by magnitude as in :mod:`logai.timeparse`).
* ISO 8601 within the first few bytes of the line, ``T`` or space separated, with or without a
  fraction (``.123`` or Python logging's ``,123``) and zone (``Z``, ``+02:00``, ``+0200``).
  A short prefix such as ``[`` or ``INFO`` is allowed, so ``[2026-11-25 14:03:07]`` matches.
* syslog (RFC 3164): ``Nov 25 14:03:07``. The year is not in the line; it is the year of the
  file's modification time, or the year before when that would put the event after the file
  was last written (a December line in a file rotated in January).
* Apache/nginx access logs: ``[25/Nov/2026:14:03:07 +0000]`` anywhere in the first 256 bytes.
* Apache error logs: ``[Wed Nov 25 14:03:07.123456 2026]``.

A time without a zone is UTC, the same rule :mod:`logai.timeparse` applies to user input.
Lines that begin with whitespace never carry a timestamp: they are the continuation lines of a
stack trace or a wrapped message, and skipping them early keeps the parse cheap.

Everything works on ``bytes`` and returns epoch milliseconds, because this runs once per line of
files that may be gigabytes long: decoding a line or building a ``datetime`` for every line would
cost more than the rest of the scan. Calendar arithmetic is cached per minute for the same reason.
"""

from __future__ import annotations

import calendar
import json
import re
import time

__all__ = ["TIME_FIELDS", "TimestampParser", "epoch_to_millis"]

#: Top-level JSON fields that hold the event time, in order of preference.
TIME_FIELDS = ("time", "timestamp", "@timestamp", "ts")

_MONTHS = {
    name.encode(): number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
_MONTH_ALT = b"|".join(_MONTHS)

# Only the fraction and zone are captured: date and time sit at fixed offsets from the match
# start and are sliced out, which is cheaper than nine capture groups on every line.
_ISO_RE = re.compile(
    rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,](\d{1,9}))?(Z|[+-]\d\d(?::?\d\d)?)?"
)
_ISO_MATCH = _ISO_RE.match
#: What may follow a timestamp's seconds (or its 3-digit fraction) for the regex-free fast path.
#: Anything else - a zone, more digits - goes through the regex.
_PLAIN_END = frozenset((b"", b" ", b"\t", b"]", b"|", b":"))
_FRACTION_MARKS = frozenset((b".", b","))
#: How far into a line an ISO timestamp may start (room for "[", a level or a host name).
_ISO_WINDOW = 64
_SYSLOG_RE = re.compile(
    rb"(" + _MONTH_ALT + rb") ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?=\s)"
)
_APACHE_ERROR_RE = re.compile(
    rb"\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ("
    + _MONTH_ALT
    + rb") ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]"
)
_CLF_RE = re.compile(rb"\[(\d\d)/(" + _MONTH_ALT + rb")/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\]")
_CLF_WINDOW = 256
_WHITESPACE = frozenset(b" \t")

#: Epoch magnitudes (see logai.timeparse): below 10^9 is not a plausible log time.
_EPOCH_UNITS = ((10**17, 10**20, 1_000_000), (10**14, 10**17, 1_000), (10**11, 10**14, 1))
_SECONDS_RANGE = (10**9, 10**11)
_DAY_MS = 86_400_000
#: Calendar results cached per parser; cleared when full so memory stays bounded.
_CACHE_SIZE = 4096

#: (year, month, day, hour, minute) as the regex captured them (bytes) or as numbers.
_MinuteKey = tuple[bytes | int, bytes | int, bytes | int, bytes | int, bytes | int]


def epoch_to_millis(value: float) -> int | None:
    """Epoch s, ms, µs or ns (told apart by magnitude) in milliseconds; None if implausible."""
    if value != value or value < 0:  # NaN or negative
        return None
    low, high = _SECONDS_RANGE
    if low <= value < high:
        return round(value * 1000)
    for low, high, divisor in _EPOCH_UNITS:
        if low <= value < high:
            return int(value) // divisor
    return None


def _fraction_ms(fraction: bytes | None) -> int:
    if not fraction:
        return 0
    return int(fraction[:3].ljust(3, b"0"))


def _zone_offset_ms(zone: bytes | None) -> int:
    """Milliseconds to *subtract* from a local time to get UTC."""
    if not zone or zone == b"Z":
        return 0
    digits = zone[1:].replace(b":", b"")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
    return (minutes if zone[:1] == b"+" else -minutes) * 60_000


class TimestampParser:
    """Parses line timestamps of one file; ``reference_ms`` (its mtime) anchors syslog years.

    One parser serves one file, whose lines nearly always share a format: the position where an
    ISO timestamp was last found is tried first, before the full detection.
    """

    __slots__ = (
        "_iso_at",
        "_minute_cache",
        "_reference_ms",
        "_reference_year",
        "_second_cache",
        "_zone_cache",
    )

    def __init__(self, reference_ms: int) -> None:
        self._reference_ms = reference_ms
        self._reference_year = _year_of(reference_ms)
        self._minute_cache: dict[_MinuteKey, int | None] = {}
        self._second_cache: dict[bytes, int | None] = {}
        self._zone_cache: dict[bytes, int] = {}
        self._iso_at = -1

    def parse(self, line: bytes) -> int | None:
        """Epoch milliseconds of the timestamp that opens ``line``, or None."""
        if not line or line[0] in _WHITESPACE:
            return None
        at = self._iso_at
        if at >= 0:
            # Fastest path, no regex: the same second as a recent line (so these 19 bytes are a
            # date and time already validated), then nothing or a 3-digit fraction, no zone.
            base = self._second_cache.get(line[at : at + 19])
            if base is not None:
                after = line[at + 19 : at + 20]
                if after in _PLAIN_END:
                    return base
                if after in _FRACTION_MARKS:
                    fraction = line[at + 20 : at + 23]
                    if fraction.isdigit() and line[at + 23 : at + 24] in _PLAIN_END:
                        return base + int(fraction)
            match = _ISO_MATCH(line, at)
            if match is not None:
                # Inlined hot path: same second as a recent line, cached zone.
                base = self._second_cache.get(line[at : at + 19])
                fraction, zone = match.groups()
                if base is None or (zone and zone not in self._zone_cache):
                    return self._iso(match)
                if fraction:
                    base += int(fraction) if len(fraction) == 3 else _fraction_ms(fraction)
                return base - self._zone_cache[zone] if zone else base
        if line[0] == 0x7B:  # "{": a JSON line
            found = self._parse_json(line)
            if found is not None:
                return found
        match = _ISO_RE.search(line, 0, _ISO_WINDOW)
        if match is not None:
            self._iso_at = match.start()
            return self._iso(match)
        return self._parse_other(line)

    def _parse_other(self, line: bytes) -> int | None:
        match = _SYSLOG_RE.match(line)
        if match is not None:
            return self._syslog(match)
        if line[0] == 0x5B:  # "["
            match = _APACHE_ERROR_RE.match(line)
            if match is not None:
                month, day, hour, minute, second, fraction, year = match.groups()
                return self._compose((year, _MONTHS[month], day, hour, minute), second, fraction, 0)
        match = _CLF_RE.search(line, 0, _CLF_WINDOW)
        if match is not None:
            day, month, year, hour, minute, second, zone = match.groups()
            return self._compose(
                (year, _MONTHS[month], day, hour, minute), second, None, _zone_offset_ms(zone)
            )
        return None

    def parse_iso_text(self, text: str) -> int | None:
        """An ISO 8601 string (a JSON time field) as epoch milliseconds."""
        match = _ISO_RE.match(text.strip().encode())
        return self._iso(match) if match is not None else None

    # -- formats -------------------------------------------------------------------------

    def _iso(self, match: re.Match[bytes]) -> int | None:
        start = match.start()
        line = match.string
        second_key = line[start : start + 19]  # "2026-11-25T14:03:07"
        base = self._second_cache.get(second_key, -1)
        if base == -1:
            base = self._compose(
                (second_key[0:4], second_key[5:7], second_key[8:10], second_key[11:13],
                 second_key[14:16]), second_key[17:19], None, 0,
            )  # fmt: skip
            if len(self._second_cache) >= _CACHE_SIZE:
                self._second_cache.clear()
            self._second_cache[second_key] = base
        if base is None:
            return None
        fraction, zone = match.groups()
        if fraction:
            base += int(fraction[:3]) if len(fraction) >= 3 else int(fraction.ljust(3, b"0"))
        if zone:
            offset = self._zone_cache.get(zone)
            if offset is None:
                offset = self._zone_cache[zone] = _zone_offset_ms(zone)
            base -= offset
        return base

    def _syslog(self, match: re.Match[bytes]) -> int | None:
        month, day, hour, minute, second, fraction = match.groups()
        year = self._reference_year
        stamp = self._compose((year, _MONTHS[month], day, hour, minute), second, fraction, 0)
        if stamp is not None and stamp > self._reference_ms + _DAY_MS:
            # Written before the file's last change, so it must be from the previous year.
            key = (year - 1, _MONTHS[month], day, hour, minute)
            stamp = self._compose(key, second, fraction, 0)
        return stamp

    def _parse_json(self, line: bytes) -> int | None:
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        for name in TIME_FIELDS:
            value = record.get(name)
            if isinstance(value, bool) or value is None:
                continue
            if isinstance(value, int | float):
                return epoch_to_millis(value)
            if isinstance(value, str):
                text = value.strip()
                if text.replace(".", "", 1).isdigit():
                    return epoch_to_millis(float(text))
                return self.parse_iso_text(text)
        return None

    # -- arithmetic ----------------------------------------------------------------------

    def _compose(
        self, minute: _MinuteKey, second: bytes, fraction: bytes | None, offset_ms: int
    ) -> int | None:
        """Epoch ms from (year, month, day, hour, minute) + seconds, cached per minute."""
        cache = self._minute_cache
        base = cache.get(minute, -1)
        if base == -1:
            base = _minute_base(minute)
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[minute] = base
        if base is None:
            return None
        seconds = int(second)
        if seconds > 60:  # 60 is a leap second; anything above is not a time
            return None
        return base + seconds * 1000 + _fraction_ms(fraction) - offset_ms


def _minute_base(minute: _MinuteKey) -> int | None:
    """Epoch ms of the start of a (year, month, day, hour, minute) minute; None if invalid."""
    year, month, day, hour, mins = (int(part) for part in minute)
    if not (1 <= month <= 12 and 0 <= hour <= 23 and 0 <= mins <= 59 and year >= 1970):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return calendar.timegm((year, month, day, hour, mins, 0, 0, 0, 0)) * 1000


def _year_of(epoch_ms: int) -> int:
    return time.gmtime(epoch_ms / 1000).tm_year
