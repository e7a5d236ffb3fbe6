"""Running third-party rules under a time budget, so no pattern can hang or starve LogAI.

Python's :mod:`re` backtracks without limit: ``(a+)+$`` takes seconds on 24 characters and
practically forever on 30. Default rules are written and benchmarked with LogAI and keep running
on :mod:`re` (:mod:`logai.sanitize._matcher`); every other rule runs here, compiled with the
``regex`` module, which takes Python's syntax (lookarounds included) and stops a search after a
timeout. Per rule and line:

* the search gets :attr:`RuleBudget.line_seconds` (plus a little per character for very long
  lines), validators included;
* a line that exceeds it is redacted whole (never passed through raw: the rule could not say
  what on it is sensitive): the other rules' placeholders stay, everything else on the line
  but whitespace becomes ``<UNCHECKED_TEXT_n>``; the overrun is reported on stderr;
* after :attr:`RuleBudget.trip_after` overruns the rule is no longer run at all for this
  sanitizer: every line it would have searched is redacted whole at once. So hostile log text
  costs a rule at most ``trip_after`` budgets in total, and the rest of its pack still applies.

A rule with hints or a trigger runs one line at a time (``pos``/``endpos`` on the line, so
``$`` means the end of the line), which is what gives the budget its meaning. A rule without
either first searches the whole text under one budget sized to it, and only after that runs out
goes line by line. A multi-line rule gets one budget for the text from its first hinted line to
the end, and on overrun that whole stretch is redacted.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: ``(start, end, rule index)`` of one value to redact.
Span = tuple[int, int, int]

__all__ = ["UNCHECKED_KIND", "GuardedRule", "RuleBudget", "compile_guarded", "cover_unchecked"]

#: The placeholder kind of text a rule could not check in time: ``<UNCHECKED_TEXT_1>``.
UNCHECKED_KIND = "UNCHECKED_TEXT"

#: Python ``re`` flags and the ``regex`` module's equivalents (ASCII differs in value).
_FLAGS = {re.IGNORECASE: 2, re.MULTILINE: 8, re.DOTALL: 16, re.VERBOSE: 64, re.ASCII: 128}


@dataclass(frozen=True)
class RuleBudget:
    """How much time a third-party rule may spend, per line and in total."""

    line_seconds: float = 0.02
    """CPU time for one rule on one line. Sane patterns need microseconds; a catastrophic one
    would need years. CPU time (the ``regex`` module's timeout counts the searching thread's),
    so a busy machine that deschedules LogAI cannot make a sane rule overrun."""

    char_seconds: float = 1e-7
    """Extra time per character of the searched text (0.1 s per MB), for very long lines."""

    trip_after: int = 5
    """Overruns after which the rule is no longer run (its lines are redacted whole)."""

    def limit(self, chars: int) -> float:
        """Seconds allowed for searching ``chars`` characters."""
        return self.line_seconds + chars * self.char_seconds


def compile_guarded(pattern: str | re.Pattern[str], what: str) -> Any:
    """``pattern`` compiled by the ``regex`` module; ``ValueError`` naming ``what`` if it fails."""
    import regex  # type: ignore[import-untyped]

    flags = 0
    if isinstance(pattern, re.Pattern):
        flags = sum(value for flag, value in _FLAGS.items() if pattern.flags & flag)
        pattern = pattern.pattern
    try:
        return regex.compile(pattern, flags | regex.VERSION0)
    except (regex.error, TypeError, ValueError) as exc:
        raise ValueError(f"{what} not accepted by the time-limited engine: {exc}") from None


class GuardedRule:
    """One third-party rule, its compiled forms and its record of overruns."""

    __slots__ = (
        "budget",
        "group",
        "index",
        "multiline",
        "name",
        "overruns",
        "per_line",
        "reach",
        "regex",
        "scan_all",
        "trigger",
        "tripped",
        "unchecked",
        "validator",
    )

    def __init__(self, index: int, rule: Any, budget: RuleBudget) -> None:
        self.index = index
        self.name: str = rule.name
        self.regex = compile_guarded(rule.pattern, f"rule {rule.name!r}: pattern")
        self.trigger: Any = (
            compile_guarded(rule.trigger, f"rule {rule.name!r}: trigger") if rule.trigger else None
        )
        self.group = rule.group
        self.validator = rule.validator
        self.multiline: bool = rule.multiline
        self.reach: int | None = rule.reach
        self.scan_all = not rule.hints and not rule.trigger
        self.budget = budget
        self.overruns = 0
        self.per_line = False
        self.unchecked = 0
        self.tripped = False

    def report(self) -> dict[str, Any]:
        """Counters for people and tests: overruns, lines redacted whole, whether tripped."""
        return {
            "rule": self.name,
            "overruns": self.overruns,
            "unchecked_lines": self.unchecked,
            "tripped": self.tripped,
        }

    # -- finding ---------------------------------------------------------------------------

    def find(
        self,
        text: str,
        positions: list[int] | None,
        spans: list[Span],
        unchecked: list[tuple[int, int]],
    ) -> None:
        """Add this rule's spans in ``text``, and the ranges it could not check in time.

        ``positions`` are where the prefilter found the rule's hints (``None``: nowhere).
        """
        every_line = self.scan_all
        if self.trigger is not None:
            found = self._trigger_positions(text)
            if found is None:
                every_line = True  # the trigger itself ran out of time: look everywhere
            elif found:
                positions = (positions or []) + found
        if not every_line and not positions:
            return
        if self.multiline:
            first = 0 if every_line or not positions else min(positions)
            start = text.rfind("\n", 0, first) + 1
            if self.reach is not None and positions and not every_line:
                start = max(start, first - self.reach)
            self._search(text, start, len(text), text.rfind("\n", 0, start) + 1, spans, unchecked)
            return
        if self.scan_all and not self.per_line and not self.tripped:
            # One search over the whole text is many times faster than one per line; only if
            # it runs out of time does the rule go line by line (from then on), so that the
            # budget can single out the lines at fault.
            everything = self._search_within_budget(text, 0, len(text))
            if everything is not None:
                spans.extend(everything)
                return
            self.per_line = True
        for start, end in self._lines(text, None if every_line else positions):
            self._search(text, start, end, text.rfind("\n", 0, start) + 1, spans, unchecked)

    def _lines(self, text: str, positions: list[int] | None) -> list[tuple[int, int]]:
        """``(search start, line end)`` of every line, or of the lines holding ``positions``."""
        find = text.find
        windows: list[tuple[int, int]] = []
        if positions is None:
            start = 0
            while start < len(text):
                end = find("\n", start)
                end = len(text) if end < 0 else end
                windows.append((start, end))
                start = end + 1
            return windows
        end = -1
        for at in sorted(positions):
            if at < end:
                continue
            line_start = text.rfind("\n", 0, at) + 1
            end = find("\n", at)
            end = len(text) if end < 0 else end
            start = line_start if self.reach is None else max(line_start, at - self.reach)
            windows.append((start, end))
        return windows

    def _trigger_positions(self, text: str) -> list[int] | None:
        """Where the trigger matches, or ``None`` when it ran out of time."""
        if self.tripped:
            return None
        try:
            limit = self.budget.limit(len(text))
            return [m.start() for m in self.trigger.finditer(text, timeout=limit)]
        except TimeoutError:
            self._overrun()
            return None

    def _search(
        self,
        text: str,
        start: int,
        end: int,
        line_start: int,
        spans: list[Span],
        unchecked: list[tuple[int, int]],
    ) -> None:
        """Search ``text[start:end]`` within budget; on overrun, mark the lines unchecked."""
        if not self.tripped:
            found = self._search_within_budget(text, start, end)
            if found is not None:
                spans.extend(found)
                return
        self.unchecked += 1
        unchecked.append((line_start, end))

    def _search_within_budget(self, text: str, start: int, end: int) -> list[Span] | None:
        """The accepted matches in ``text[start:end]``, or ``None`` (an overrun) if out of time."""
        limit = self.budget.limit(end - start)
        clock = time.thread_time  # CPU time, as regex's own timeout counts it
        began = clock()
        found: list[Span] = []
        group, validator, index = self.group, self.validator, self.index
        try:
            for match in self.regex.finditer(text, start, end, timeout=limit):
                value_start, value_end = match.span(group)
                if value_start < value_end and _accepted(self.name, validator, match):
                    found.append((value_start, value_end, index))
                if clock() - began > limit:
                    raise TimeoutError
        except TimeoutError:
            self._overrun()
            return None
        return found

    def _overrun(self) -> None:
        self.overruns += 1
        if self.overruns == 1:
            _warn(
                f"sanitizer rule '{self.name}' took more than its "
                f"{self.budget.line_seconds * 1000:.0f} ms budget on a line; such lines are "
                f"redacted whole (<{UNCHECKED_KIND}_n>)"
            )
        if self.overruns >= self.budget.trip_after and not self.tripped:
            self.tripped = True
            _warn(
                f"sanitizer rule '{self.name}' exceeded its time budget {self.overruns} times "
                "and is no longer run: every line it would search is redacted whole"
            )


def _accepted(name: str, validator: Any, match: Any) -> bool:
    if validator is None:
        return True
    try:
        return bool(validator(match))
    except Exception as exc:
        from logai.sanitize._matcher import _warn_once

        _warn_once(name, exc)  # when in doubt, redact
        return True


def _warn(message: str) -> None:
    sys.stderr.write(f"logai: warning: {message}\n")


def cover_unchecked(
    text: str, spans: Sequence[Span], ranges: list[tuple[int, int]], index: int
) -> list[Span]:
    """``spans`` plus spans of ``index`` over whatever else is in the unchecked ``ranges``.

    The other rules' redactions inside an unchecked line stay as they are (``<EMAIL_1>``), so
    the rest of the pack still shows; every other character of the line that is not
    whitespace goes into ``<UNCHECKED_TEXT_n>`` placeholders. Nothing of it passes raw.
    """
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    pieces: list[Span] = []
    cursor = 0
    for start, end in merged:
        while cursor < len(spans) and spans[cursor][1] <= start:
            cursor += 1
        position = start
        walk = cursor
        while walk < len(spans) and spans[walk][0] < end:
            if spans[walk][0] > position:
                _add_piece(text, position, spans[walk][0], index, pieces)
            position = max(position, spans[walk][1])
            walk += 1
        if position < end:
            _add_piece(text, position, end, index, pieces)
    return sorted([*spans, *pieces]) if pieces else list(spans)


def _add_piece(text: str, start: int, end: int, index: int, pieces: list[Span]) -> None:
    """Add ``text[start:end]`` without its outer whitespace, unless that is all it holds."""
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        start += len(piece) - len(piece.lstrip())
        pieces.append((start, start + len(stripped), index))
