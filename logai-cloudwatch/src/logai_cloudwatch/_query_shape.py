"""What a Logs Insights query does to rows, as far as splitting it by time is concerned.

Splitting a query's time range and concatenating the parts' rows gives the same answer as one
query only when every result row stands for one log event: ``fields``, ``filter``, ``parse``
and friends. An aggregate (``stats``, ``pattern``, ``dedup``...) would come back once per part
- two ``count(*)`` rows per host instead of one - and a query's own ``limit`` or a sort by
anything but ``@timestamp`` means "the top N overall", which no concatenation of parts gives.

The reading here is deliberately conservative: a query is splittable only when every command
is on a short allow-list. Anything unknown or unparsable counts as not splittable, which costs
nothing but a truncation notice instead of more rows; the opposite error would return wrong
rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Commands that map each matching log event to at most one row, keeping its timestamp.
_ROW_COMMANDS = frozenset({"fields", "filter", "parse", "display", "unmask", "filterindex"})
#: Commands that aggregate rows; results of time-split parts cannot be concatenated.
_AGGREGATES = frozenset({"stats", "pattern", "diff", "anomaly"})
#: Words after which a ``/`` opens a regular expression rather than dividing.
_REGEX_AFTER = ("like", "=~", "(", ",", "=", "parse")
_SORT = re.compile(r"^sort\s+@timestamp(?:\s+(asc|desc))?\s*$", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n]*")


@dataclass(frozen=True, slots=True)
class QueryShape:
    """How a query's rows relate to the events in its time range."""

    splittable: bool
    """Splitting the time range and concatenating the parts' rows gives the same rows."""
    aggregates: bool
    """The query aggregates (``stats`` and the like): a row is a group, not an event."""
    newest_first: bool = True
    """Rows come newest first (Insights' default order, and ``sort @timestamp desc``)."""
    why_not: str = ""
    """Why the query is not splittable, in words for the user; empty when it is."""


def query_shape(query: str) -> QueryShape:
    """Read ``query`` far enough to know whether it may be split by time, and in which order."""
    segments = [segment.strip() for segment in commands(query)]
    names = [segment.split(None, 1)[0].lower() if segment else "" for segment in segments]
    aggregates = any(name in _AGGREGATES for name in names)
    if aggregates:
        return QueryShape(
            splittable=False,
            aggregates=True,
            why_not=(
                "it aggregates (stats), and aggregating each part of a split range would "
                "count every group once per part"
            ),
        )
    newest_first = True
    for name, segment in zip(names, segments, strict=True):
        if name == "sort":
            sort = _SORT.match(segment)
            if sort is None:
                return QueryShape(
                    splittable=False,
                    aggregates=False,
                    why_not="it sorts by a field other than @timestamp",
                )
            newest_first = (sort.group(1) or "desc").lower() == "desc"
        elif name == "limit":
            return QueryShape(splittable=False, aggregates=False, why_not="it sets its own limit")
        elif name not in _ROW_COMMANDS:
            return QueryShape(
                splittable=False,
                aggregates=False,
                why_not=f"LogAI does not split queries using '{name or segment}'",
            )
    return QueryShape(splittable=True, aggregates=False, newest_first=newest_first)


def commands(query: str) -> list[str]:
    """The query cut at its pipes, skipping pipes inside quotes and regular expressions."""
    text = _COMMENT.sub("", query)
    segments: list[str] = []
    current: list[str] = []
    closing = ""
    for char in text:
        if closing:
            current.append(char)
            if char == closing and not _escaped(current):
                closing = ""
            continue
        if char in "'\"`":
            closing = char
        elif char == "/" and _opens_regex("".join(current)):
            closing = "/"
        elif char == "|":
            segments.append("".join(current))
            current = []
            continue
        current.append(char)
    segments.append("".join(current))
    return [segment for segment in segments if segment.strip()]


def _escaped(chars: list[str]) -> bool:
    """Whether the last character is escaped by an odd number of backslashes before it."""
    count = 0
    for char in reversed(chars[:-1]):
        if char != "\\":
            break
        count += 1
    return count % 2 == 1


def _opens_regex(before: str) -> bool:
    stripped = before.rstrip()
    if stripped.lower().startswith("parse"):
        return True
    return stripped.lower().endswith(_REGEX_AFTER)
