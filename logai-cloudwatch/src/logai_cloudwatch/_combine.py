"""Which ``stats`` queries may run in batches of log groups, and how their rows add up.

CloudWatch queries at most 50 log groups at a time. Batches of groups are disjoint, so an
aggregate whose value over a union is a function of its values over the parts can be computed
per batch and combined: ``count`` and ``sum`` add up, ``min`` of minima and ``max`` of maxima.
Nothing else does - an average of averages, a percentile of percentiles or a distinct count
of distinct counts is wrong - so a query is combinable only when its one ``stats`` command
uses those four functions alone, comes after row commands only, and is followed by nothing but
a ``sort`` by one of its columns. A ``limit`` after ``stats`` is refused: the top N of each
batch are not the top N of the union when a key occurs in several batches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from logai_cloudwatch._query_shape import commands

#: Row commands that may come before ``stats`` (each event is a row, or is dropped).
_BEFORE = frozenset({"fields", "filter", "parse", "display", "unmask", "filterindex"})
_COMBINE = {"count": "sum", "sum": "sum", "min": "min", "max": "max"}
_AGGREGATE = re.compile(
    r"^(?P<expr>(?P<function>[A-Za-z_]\w*)\s*\((?P<argument>[^()]*)\))(?:\s+as\s+(?P<alias>[@\w.]+))?$",
    re.IGNORECASE,
)
_SORT = re.compile(r"^sort\s+(?P<column>[@\w.()*]+)(?:\s+(?P<way>asc|desc))?$", re.IGNORECASE)


@dataclass(frozen=True)
class StatsCombiner:
    """How to combine the rows of one ``stats`` query run over disjoint batches of groups."""

    columns: dict[str, str]
    """Aggregate column name -> how values of the same key combine (sum, min or max)."""
    sort_by: str = ""
    descending: bool = True

    def combine(self, batches: Sequence[Sequence[dict[str, str]]]) -> list[dict[str, str]] | None:
        """One row per key (the non-aggregate columns), or None when a row does not have the
        aggregate columns this query names (then the rows cannot be told apart safely)."""
        merged: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        for rows in batches:
            for row in rows:
                if any(column not in row for column in self.columns):
                    return None
                key = tuple(
                    (name, value) for name, value in row.items() if name not in self.columns
                )
                known = merged.get(key)
                if known is None:
                    merged[key] = dict(row)
                    continue
                for column, how in self.columns.items():
                    combined = _apply(how, known[column], row[column])
                    if combined is None:
                        return None
                    known[column] = combined
        rows = list(merged.values())
        if self.sort_by:
            rows.sort(key=lambda row: _sort_key(row.get(self.sort_by, "")), reverse=self.descending)
        return rows


def stats_combiner(query: str) -> StatsCombiner | str:
    """The combiner for ``query``, or why its per-batch results cannot be combined."""
    segments = [segment.strip() for segment in commands(query)]
    names = [segment.split(None, 1)[0].lower() if segment else "" for segment in segments]
    if names.count("stats") != 1:
        return "it aggregates more than once, or with a command other than stats"
    at = names.index("stats")
    if any(name not in _BEFORE for name in names[:at]):
        return "a command before its stats is not a plain row command"
    columns: dict[str, str] = {}
    body = segments[at][len("stats") :].strip()
    aggregates = re.split(r"\s+by\s+", body, maxsplit=1, flags=re.IGNORECASE)[0]
    for part in _split_commas(aggregates):
        match = _AGGREGATE.match(part.strip())
        how = _COMBINE.get(match["function"].lower()) if match else None
        if match is None or how is None:
            return (
                f"'{part.strip()}' does not add up over batches (only count, sum, min and max "
                "do; an average of averages or a percentile of percentiles would be wrong)"
            )
        columns[match["alias"] or match["expr"]] = how
    rest = segments[at + 1 :]
    if len(rest) > 1 or (rest and names[at + 1] != "sort"):
        return (
            "it has a limit or other commands after stats (the top rows of each batch are "
            "not the top rows overall)"
        )
    if not rest:
        return StatsCombiner(columns)
    sort = _SORT.match(rest[0])
    if sort is None:
        return "it sorts by more than one column after stats"
    return StatsCombiner(
        columns, sort.group("column"), (sort.group("way") or "desc").lower() == "desc"
    )


def _split_commas(text: str) -> list[str]:
    """``text`` cut at commas outside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _apply(how: str, left: str, right: str) -> str | None:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return None
    value = a + b if how == "sum" else min(a, b) if how == "min" else max(a, b)
    whole = "." not in left + right and "e" not in (left + right).lower()
    return str(int(value)) if whole and value.is_integer() else repr(value)


def _sort_key(text: str) -> tuple[int, float, str]:
    number = _number(text)
    return (1, number, "") if number is not None else (0, 0.0, text)
