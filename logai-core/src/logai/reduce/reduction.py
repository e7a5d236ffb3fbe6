"""Fit a list of events into a token budget: exact lines when they fit, templates when not.

What the LLM reads must be faithful. When everything fits, it gets every line verbatim. When not,
it gets one entry per template (count, first/last time, template, one raw sample, two for errors
and warnings), errors and warnings first; if even that is too long, samples go first, then the
templates that cover the fewest events (errors and warnings last), and the text says how many
templates and events were left out. Nothing is cut silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from logai.reduce._structured_groups import MAX_DISTINCT
from logai.reduce._timestamps import iso_utc
from logai.reduce.grouping import TemplateGroup, group_messages, importance
from logai.reduce.tokens import count_tokens as default_count_tokens

if TYPE_CHECKING:
    from logai.sources import LogEvent

TokenCounter = Callable[[str], int]

#: Longest template or sample shown, in characters; longer ones are cut with a visible marker.
MAX_SHOWN_CHARS = 500
_CUT = " …[cut]"


@dataclass
class Reduction:
    """The result of :func:`reduce_events`: what happened, how often, when."""

    total_events: int
    """Number of events that went in."""
    groups: list[TemplateGroup]
    """Templates, most important first (errors and warnings, then by count)."""
    reduced: bool
    """``False`` when every exact line fits the budget and :meth:`render` shows them verbatim."""
    budget_tokens: int = 8000
    """The budget :meth:`render` keeps to."""
    exact_lines: list[str] = field(default_factory=list, repr=False)
    """``timestamp message`` for each event, in input order (used when not reduced)."""
    count_tokens: TokenCounter = field(default=default_count_tokens, repr=False)

    def summary(self) -> str:
        """One line: ``12,408 events → 37 templates``."""
        return f"{self.total_events:,} events → {len(self.groups):,} templates"

    def render(self) -> str:
        """The text for the LLM, within ``budget_tokens`` (see the module docstring)."""
        if not self.reduced:
            return _exact_text(self.exact_lines)
        return _render_groups(self, self.groups)


def reduce_events(
    events: Sequence[LogEvent],
    *,
    budget_tokens: int,
    count_tokens: TokenCounter | None = None,
) -> Reduction:
    """Group ``events`` and decide whether the exact lines fit ``budget_tokens``."""
    counter = count_tokens or default_count_tokens
    exact = [f"{iso_utc(event.timestamp)} {event.message.rstrip()}" for event in events]
    groups = group_messages(
        [event.message.rstrip("\r\n") for event in events],
        [event.timestamp for event in events],
    )
    fits = _fits(_exact_text(exact), budget_tokens, counter)
    return Reduction(
        total_events=len(events),
        groups=groups,
        reduced=not fits,
        budget_tokens=budget_tokens,
        exact_lines=exact,
        count_tokens=counter,
    )


def _exact_text(lines: list[str]) -> str:
    noun = "event" if len(lines) == 1 else "events"
    return "\n".join([f"{len(lines):,} {noun} (all shown verbatim):", *lines])


def _render_groups(reduction: Reduction, groups: list[TemplateGroup]) -> str:
    """Fit: fewer samples first, then fewer templates, and say what was left out."""
    count = reduction.count_tokens
    budget = reduction.budget_tokens
    ordered = sorted(groups, key=importance)
    head = (
        f"{reduction.summary()} (grouped to fit the context budget). "
        "<*> marks a variable part; errors and warnings first, then by count."
    )
    # Samples per (serious, other) group, most generous first: errors and warnings keep theirs
    # longest, because their exact wording is what an on-call engineer searches for.
    for serious_samples, other_samples in ((2, 1), (1, 1), (1, 0), (0, 0)):
        blocks = [
            _block(i, g, serious_samples if _serious(g) else other_samples)
            for i, g in enumerate(ordered, 1)
        ]
        text = "\n".join([head, *blocks])
        if _fits(text, budget, count):
            return text
    # Too many templates: keep errors and warnings, then the templates covering the most
    # events, so that what is omitted is as little of the log as possible. Block costs are
    # additive enough to choose quickly (counted only until the room is used up); the final
    # text is measured again and the least valuable kept template dropped until it fits.
    priority = sorted(ordered, key=lambda g: (not _serious(g), -g.count, importance(g)))
    room = budget - count(head) - count(_omitted(ordered, set())) - 2
    chosen: list[TemplateGroup] = []
    costs: list[int] = []
    used = 0
    for group in priority:
        cost = count(_block(len(ordered), group, 0)) + 1
        if used + cost > room:
            break
        chosen.append(group)
        costs.append(cost)
        used += cost
    while True:
        kept = {id(g) for g in chosen}
        shown = [g for g in ordered if id(g) in kept]
        blocks = [_block(i, g, 0) for i, g in enumerate(shown, 1)]
        text = "\n".join([head, *blocks, _omitted(ordered, kept)])
        over = count(text) - budget
        if over <= 0:
            return text
        if not chosen:
            return _shortest(reduction, budget, count)
        while chosen and over > 0:  # drop enough templates to cover the overshoot at once
            chosen.pop()
            over -= costs.pop()


def _shortest(reduction: Reduction, budget: int, count: TokenCounter) -> str:
    """For budgets too small for even one template: say what was there, as much as fits."""
    text = (
        f"{reduction.summary()}; the context budget ({budget:,} tokens) is too small to list "
        "any of them. Narrow the time range or filter."
    )
    while text and count(text) > budget:
        text = text[: len(text) // 2]
    return text


def _fits(text: str, budget: int, count: TokenCounter) -> bool:
    """``count(text) <= budget``, without tokenizing megabytes that cannot possibly fit."""
    return len(text) <= budget * _MAX_CHARS_PER_TOKEN and count(text) <= budget


#: No tokenizer packs more characters than this into one token on average (English prose is
#: ~4-5, logs ~2-3.5), so longer texts are over budget without counting.
_MAX_CHARS_PER_TOKEN = 10


def _serious(group: TemplateGroup) -> bool:
    return group.severity in _SERIOUS


_SERIOUS = frozenset({"FATAL", "ERROR", "WARN"})


def _omitted(ordered: list[TemplateGroup], kept: set[int]) -> str:
    rest = [g for g in ordered if id(g) not in kept]
    events = sum(g.count for g in rest)
    serious = sum(1 for g in rest if _serious(g))
    note = f", {serious:,} of them errors or warnings" if serious else ""
    return (
        f"… {len(rest):,} more templates ({events:,} events){note} omitted to fit the "
        "context budget; narrow the time range or filter to see them."
    )


def _block(number: int, group: TemplateGroup, samples: int) -> str:
    level = f" {group.severity}" if group.severity else ""
    when = _when(group.first_timestamp, group.last_timestamp)
    lines = [f"[{number}]{level} ×{group.count:,}{when}", f"  {_shown(group.template)}"]
    if group.varying:
        lines.append(f"  {_shown(_varies(group))}")
    lines.extend(f"  e.g. {_shown(sample)}" for sample in group.samples[:samples])
    return "\n".join(lines)


def _varies(group: TemplateGroup) -> str:
    """``varies: method 3 (GET, POST, PUT), path 412, ...``: which fields differ, how much.

    Two or three distinct values are listed: ``GET``/``POST`` or ``true``/``false`` is what a
    reader wants to know; hundreds of ids are only counted.
    """
    parts = []
    for spread in group.varying:
        many = "+" if spread.distinct >= MAX_DISTINCT else ""
        listed = f" ({', '.join(spread.examples)})" if spread.distinct <= _LISTED else ""
        parts.append(f"{spread.name} {spread.distinct:,}{many}{listed}")
    return "varies: " + ", ".join(parts)


#: Up to this many distinct values of a varying field are listed by value.
_LISTED = 3


def _when(first: datetime | None, last: datetime | None) -> str:
    if first is None:
        return ""
    if last is None or last == first:
        return f" at {iso_utc(first)}"
    return f" {iso_utc(first)} → {iso_utc(last)}"


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + _CUT
