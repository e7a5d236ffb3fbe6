"""Turn what users and LLMs type as a time ("1h ago", "2024-05-01", 1714564800000) into UTC.

Every data source speaks timezone-aware UTC datetimes; this module is the one place where loose
human input becomes one, so the CLI, the LLM tools and every plugin accept the same forms and
fail with the same helpful message.

Accepted forms (case-insensitive, surrounding spaces ignored):

* ISO 8601: ``2024-05-01T12:00:00Z``, ``2024-05-01 12:00``, ``2024-05-01T12:00:00+02:00``,
  ``2024-05-01`` (midnight). A time without a zone is UTC, not local time: logs are stamped in
  UTC and an on-call engineer comparing against them should not have to think about their laptop's
  zone.
* Epoch numbers (int, float or a string of digits): below 10^11 they are **seconds**, from 10^11
  up to 10^14 **milliseconds**. 10^11 seconds is the year 5138 and 10^11 milliseconds is March
  1973, so no real log time is ambiguous. Values below 10^9 (before 2001-09-09: a forgotten
  unit such as "30", or a compact date such as "20240501") and from 10^14 up are rejected rather
  than guessed.
* Relative to ``now`` (always in the past): ``30m``, ``90s``, ``1w``, ``2h ago``,
  ``2 days ago``, ``an hour ago``, ``1h30m``, ``last 2 hours``, ``past hour``, ``-15m``,
  ``now-1h``. Units: s/sec/second, m/min/minute, h/hr/hour, d/day, w/wk/week (months and years are
  not accepted: their length is ambiguous).
* Words: ``now``, ``today`` (00:00 UTC today), ``yesterday`` (00:00 UTC yesterday).
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "ACCEPTED_FORMS",
    "TimeInput",
    "TimeParseError",
    "format_time",
    "parse_duration",
    "parse_time",
    "resolve_range",
]

TimeInput = str | int | float | datetime | None

#: Shown in every error message, so a user (or the LLM) can correct the input in one go.
ACCEPTED_FORMS = (
    "ISO 8601 (2024-05-01T12:00:00Z, 2024-05-01 12:00, 2024-05-01; no zone means UTC), "
    "epoch seconds or milliseconds (1714564800, 1714564800000), "
    "a relative time (30m, 2h ago, 2 days ago, last 2 hours, 1w), "
    "or now, today, yesterday"
)

#: Epoch values at or above this are milliseconds (10^11 s is the year 5138).
_MILLIS_THRESHOLD = 10**11
#: Epoch values at or above this are rejected (10^14 ms is the year 5138 too).
_EPOCH_LIMIT = 10**14
#: Epoch values below this (2001-09-09) are rejected: a bare "30" or "20240501" is far more
#: likely a forgotten unit or a compact date than a time in the 1970s, and guessing would
#: silently search decades of logs.
_EPOCH_FLOOR = 10**9

_UNIT_SECONDS: dict[str, int] = {}
for _names, _seconds in (
    (("s", "sec", "secs", "second", "seconds"), 1),
    (("m", "min", "mins", "minute", "minutes"), 60),
    (("h", "hr", "hrs", "hour", "hours"), 3600),
    (("d", "day", "days"), 86400),
    (("w", "wk", "wks", "week", "weeks"), 604800),
):
    for _name in _names:
        _UNIT_SECONDS[_name] = _seconds

_UNITS = "|".join(sorted(_UNIT_SECONDS, key=len, reverse=True))
#: Units that may stand without a number ("last hour", "a day ago"); "h" alone may not.
_WORD_UNITS = frozenset({"second", "minute", "hour", "day", "week", "sec", "min", "hr", "wk"})
# One "<number> <unit>" term; "a"/"an"/nothing before a word unit means one.
_TERM = rf"(?:(\d+(?:\.\d+)?)\s*|(an?)\s+)?({_UNITS})(?![a-z])"
_TERM_RE = re.compile(_TERM)
_DURATION_RE = re.compile(rf"^(?:{_TERM}\s*)+$")
_SEPARATOR_RE = re.compile(r"\s*(?:,|\band\b)\s*")
_EPOCH_RE = re.compile(r"^\d+(?:\.\d+)?$")
_NOW_MINUS_RE = re.compile(r"^now\s*-\s*(.+)$")
_RELATIVE_RE = re.compile(r"^(?:(?:last|past)\s+)?(.+?)(?:\s+ago)?$")


class TimeParseError(ValueError):
    """A time the parser cannot understand, or a range whose start is after its end.

    The message names the offending input and lists every accepted form.
    """


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _to_utc(value: datetime) -> datetime:
    """Aware datetimes are converted; naive ones are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_duration(text: str) -> timedelta:
    """Parse a duration such as ``90s``, ``2 hours``, ``1h30m`` or ``an hour``.

    Raises :class:`TimeParseError` when ``text`` is not made only of duration terms.
    """
    cleaned = _SEPARATOR_RE.sub(" ", text.strip().lower()).strip()
    if not cleaned or not _DURATION_RE.match(cleaned):
        raise TimeParseError(f"'{text}' is not a duration such as 30m, 2h or 2 days.")
    total = 0.0
    for number, _article, unit in _TERM_RE.findall(cleaned):
        if not number and unit.rstrip("s") not in _WORD_UNITS:
            raise TimeParseError(f"'{text}' needs a number before '{unit}', e.g. 1{unit}.")
        total += (float(number) if number else 1.0) * _UNIT_SECONDS[unit]
    return timedelta(seconds=total)


def _from_epoch(number: float, original: object) -> datetime:
    if not math.isfinite(number) or number < _EPOCH_FLOOR or number >= _EPOCH_LIMIT:
        hint = ""
        if math.isfinite(number) and 0 <= number < _EPOCH_FLOOR:
            hint = " A bare number needs a unit (30m, 2h) or must be a full epoch time."
        raise TimeParseError(
            f"Cannot use {original!r} as an epoch time: expected seconds (10^9 to 10^11) or "
            f"milliseconds (10^11 to 10^14) since 1970-01-01.{hint} "
            f"Accepted forms: {ACCEPTED_FORMS}."
        )
    seconds = number / 1000 if number >= _MILLIS_THRESHOLD else number
    # timedelta arithmetic keeps millisecond precision that float timestamps can lose.
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)


def _parse_iso(text: str) -> datetime | None:
    candidate = text.strip()
    if candidate[-1:] in ("z", "Z"):
        candidate = candidate[:-1] + "+00:00"
    if len(candidate) > 10 and candidate[10] in ("t", " "):
        candidate = candidate[:10] + "T" + candidate[11:]
    try:
        return _to_utc(datetime.fromisoformat(candidate))
    except ValueError:
        return None


def _parse_text(text: str, now: datetime) -> datetime:
    lowered = " ".join(text.strip().lower().split())
    if lowered == "now":
        return now
    if lowered == "today":
        return _midnight(now.date())
    if lowered == "yesterday":
        return _midnight(now.date() - timedelta(days=1))
    if _EPOCH_RE.match(lowered):
        return _from_epoch(float(lowered), text)
    iso = _parse_iso(lowered) if lowered[:1].isdigit() else None
    if iso is not None:
        return iso
    minus = _NOW_MINUS_RE.match(lowered)
    if minus:
        return now - parse_duration(minus.group(1))
    body = lowered[1:].strip() if lowered.startswith("-") else lowered
    relative = _RELATIVE_RE.match(body)
    if relative:
        try:
            return now - parse_duration(relative.group(1))
        except TimeParseError:
            pass
    hint = _corrected(lowered, now)
    suggestion = f" Did you mean '{hint}'?" if hint else ""
    raise TimeParseError(f"Cannot understand the time '{text}'.{suggestion} Use {ACCEPTED_FORMS}.")


#: The words of the accepted forms, for suggesting a fix to a misspelt one.
_VOCABULARY = sorted(
    {"now", "today", "yesterday", "ago", "last", "past", "and"}
    | {unit for unit in _UNIT_SECONDS if len(unit) >= 3}
)
_WORD_RE = re.compile(r"[a-z]+")


def _corrected(lowered: str, now: datetime) -> str | None:
    """The input with each misspelt word replaced by the closest accepted one, if that parses.

    ``yesterdy`` becomes ``yesterday`` and ``2 hors ago`` becomes ``2 hours ago``; nothing is
    suggested unless the corrected text is a time this module accepts.
    """
    import difflib

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in _VOCABULARY or word in _UNIT_SECONDS or word in {"a", "an"} or len(word) < 3:
            return word
        close = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.75)
        return close[0] if close else word

    fixed = _WORD_RE.sub(fix, lowered)
    if fixed == lowered:
        return None
    try:
        _parse_text(fixed, now)
    except TimeParseError:
        return None
    return fixed


def parse_time(
    value: TimeInput,
    *,
    now: datetime | None = None,
    default: TimeInput = "now",
) -> datetime:
    """Parse one time into an aware UTC datetime.

    ``now`` anchors relative forms (tests pass a fixed one; default: the current time).
    ``value`` of ``None`` or a blank string means ``default``, which is parsed the same way, so a
    caller can say ``parse_time(user_start, default="1h")``. Raises :class:`TimeParseError`.
    """
    anchor = _to_utc(now) if now is not None else datetime.now(UTC)
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None or (isinstance(default, str) and not default.strip()):
            raise TimeParseError(f"No time given. Use {ACCEPTED_FORMS}.")
        return parse_time(default, now=anchor, default=None)
    if isinstance(value, datetime):
        return _to_utc(value)
    if isinstance(value, bool):  # bool is an int subclass; True is never a time.
        raise TimeParseError(f"Cannot use {value!r} as a time. Use {ACCEPTED_FORMS}.")
    if isinstance(value, int | float):
        return _from_epoch(float(value), value)
    if isinstance(value, str):
        return _parse_text(value, anchor)
    raise TimeParseError(f"Cannot use a {type(value).__name__} as a time. Use {ACCEPTED_FORMS}.")


def resolve_range(
    start: TimeInput,
    end: TimeInput,
    *,
    now: datetime | None = None,
    default_start: TimeInput = "1h",
) -> tuple[datetime, datetime]:
    """Parse a ``[start, end]`` pair; a missing end is now and a missing start ``default_start``.

    Both are resolved against the same ``now`` so "1h" to "now" is exactly one hour. Raises
    :class:`TimeParseError` when either is unparseable or when start is after end (the message
    shows both resolved times, which is what the user needs to see the mistake).
    """
    anchor = _to_utc(now) if now is not None else datetime.now(UTC)
    resolved_start = parse_time(start, now=anchor, default=default_start)
    resolved_end = parse_time(end, now=anchor, default="now")
    if resolved_start > resolved_end:
        raise TimeParseError(
            f"The start time {format_time(resolved_start)} (from {start!r}) is after the end "
            f"time {format_time(resolved_end)} (from {end!r}). Swap them or widen the range."
        )
    return resolved_start, resolved_end


def format_time(value: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a ``Z``, the form LogAI prints everywhere."""
    return _to_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")
