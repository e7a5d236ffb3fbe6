"""Group raw log lines into templates: the reducer's engine.

Per line, two compiled-regex passes: :func:`~logai.reduce._header.split_line` separates the
header (time, level, host, logger) from the message, :func:`~logai.reduce._mask.mask` replaces
what is visibly variable. Lines whose masked messages are equal share a group at once (a dict
lookup); only the *distinct* masked messages then go through the slower sibling analysis of
:mod:`logai.reduce._cluster`, which finds the word variables masking cannot see. The cost per
line is therefore flat, and the expensive part grows with the variety of a log, not its volume.

Structured lines (JSON, logfmt, access logs: :mod:`logai.reduce._structured`) are recognised on
a miss of the digit-folding cache and grouped by shape in
:mod:`logai.reduce._structured_groups`; their messages share the generalisation step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from logai.reduce._cluster import generalize
from logai.reduce._header import split_line
from logai.reduce._mask import DIGITS_TO_ZERO, HEX_ID_RE, WILDCARD, mask
from logai.reduce._structured import parse_message_fields, parse_structured
from logai.reduce._structured_groups import StructuredGroups, graver
from logai.reduce._timestamps import parse_timestamp

#: Raw sample lines kept per group.
MAX_SAMPLES = 2


@dataclass(slots=True)
class TemplateGroup:
    """Lines that are the same event: one template, how often, when, and what it looked like."""

    template: str
    """The message with variable parts shown as ``<*>`` (header stripped)."""
    count: int
    """How many input lines belong to the group."""
    line_numbers: list[int] = field(default_factory=list)
    """0-based indices of the member lines in the input, ascending."""
    samples: list[str] = field(default_factory=list)
    """One or two member lines, verbatim (the first, and the last when it differs)."""
    severity: str | None = None
    """``FATAL``, ``ERROR``, ``WARN``, ``NOTICE``, ``INFO``, ``DEBUG``, ``TRACE`` when the lines
    carry a recognisable level (the gravest one among the members), else ``None``."""
    first_timestamp: datetime | None = None
    """Earliest member timestamp (aware UTC) when known."""
    last_timestamp: datetime | None = None
    """Latest member timestamp (aware UTC) when known."""
    varying: list[FieldSpread] = field(default_factory=list)
    """For structured lines (JSON, logfmt, access logs): the fields whose value differs between
    members, in line order, with how many distinct values each has."""


@dataclass(slots=True)
class FieldSpread:
    """A field of a structured template that varies, and how much."""

    name: str
    distinct: int
    """Distinct values among the members (counting stops at 1,000)."""
    examples: list[str]
    """The first few distinct values seen."""


def group_lines(lines: Iterable[str]) -> list[TemplateGroup]:
    """Group raw log lines; every input line ends up in exactly one group.

    Timestamps are read from the headers of each group's first and last line (logs are written
    in time order); groups come most important first (see :func:`importance`).
    """
    texts = [line.rstrip("\r\n") for line in lines]
    return group_messages(texts)


def group_messages(
    messages: Sequence[str], timestamps: Sequence[datetime] | None = None
) -> list[TemplateGroup]:
    """Group ``messages``; with ``timestamps`` (one per message) first/last come from them."""
    by_key: dict[str, list[int]] = {}
    levels: dict[str, str | None] = {}
    # Lines that differ only in their digits (timestamps, ids, counters) are split and masked
    # once: the line with every digit turned into 0 is the cache key (bytes.translate is the
    # cheapest whole-line operation Python has); on a miss, hex ids (uuids, request ids) are
    # folded too and tried as a second key. Most lines of a log hit this cache. A template that
    # kept digits (``eth1``, ``IPV6``) is reused only for lines that contain those same pieces.
    seen: dict[bytes, list[_Known]] = {}
    # Headers of the lines that were split anyway (the first line of every template is one):
    # their timestamps are read later without splitting again.
    headers: dict[int, str] = {}
    structured = StructuredGroups()
    for index, text in enumerate(messages):
        shape = text.encode("utf-8", "surrogatepass").translate(DIGITS_TO_ZERO)
        candidates = seen.get(shape)
        if candidates is not None and not candidates[0][2]:
            known: _Known | None = candidates[0]  # the common case, inlined
        else:
            known = _lookup(candidates, text)
        if known is None:
            # Structured lines are never cached (each line's values are counted), so a cache
            # hit is free text and only a miss needs the format tests.
            parsed = parse_structured(text)
            if parsed is not None:
                structured.add(index, parsed)
                continue
            folded = HEX_ID_RE.sub(b"0", shape)
            known = _lookup(seen.get(folded), text) if folded != shape else None
            if known is None:
                split = split_line(text)
                fields = parse_message_fields(split) if split.header else None
                if fields is not None:  # never cached: each line's values are counted
                    structured.add(index, fields)
                    continue
                template = mask(split.message)
                known = (template, split.severity, _kept_digits(template))
                _remember(seen, folded, known)
                if timestamps is None:
                    headers[index] = split.header
            _remember(seen, shape, known)
        template, severity, _ = known
        members = by_key.get(template)
        if members is None:
            by_key[template] = [index]
            levels[template] = severity
        else:
            members.append(index)
            if severity != levels[template]:
                levels[template] = graver(levels[template], severity)

    general = generalize([*by_key, *structured.message_templates()])
    merged: dict[str, list[int]] = {}
    merged_levels: dict[str, str | None] = {}
    for template, members in by_key.items():
        final = general[template]
        if final in merged:
            merged[final].extend(members)
            merged_levels[final] = graver(merged_levels[final], levels[template])
        else:
            merged[final] = members
            merged_levels[final] = levels[template]

    groups = [
        _build(template, merged_levels[template], members, messages, timestamps, headers)
        for template, members in merged.items()
    ]
    for template, severity, members, varying, first, last in structured.groups(general):
        headers[members[0]] = first
        headers[members[-1]] = last
        group = _build(template, severity, members, messages, timestamps, headers)
        group.varying = [FieldSpread(name, n, examples) for name, n, examples in varying]
        groups.append(group)
    groups.sort(key=importance)
    return groups


_Known = tuple[str, str | None, tuple[str, ...]]  # template, severity, digit pieces it kept
_MAX_VARIANTS = 8


def _lookup(candidates: list[_Known] | None, text: str) -> _Known | None:
    """The cached result for a line of this shape whose kept digit pieces the line contains."""
    if candidates:
        for known in candidates:
            if all(piece in text for piece in known[2]):
                return known
    return None


def _remember(seen: dict[bytes, list[_Known]], shape: bytes, known: _Known) -> None:
    candidates = seen.get(shape)
    if candidates is None:
        if len(seen) < _CACHE_LIMIT:  # a pathological log: keep memory bounded, work uncached
            seen[shape] = [known]
    elif len(candidates) < _MAX_VARIANTS and known not in candidates:
        candidates.append(known)


def _kept_digits(template: str) -> tuple[str, ...]:
    """Pieces of a template that still hold digits (``eth1``): they depend on digit values."""
    if not _DIGIT_RE.search(template):
        return ()
    return tuple(t for t in template.replace(WILDCARD, " ").split() if _DIGIT_RE.search(t))


_CACHE_LIMIT = 200_000
_DIGIT_RE = re.compile(r"\d")
_SEVERITY_RANK = {"FATAL": 0, "ERROR": 1, "WARN": 2}
_PROBLEM_WORDS = (
    "error", "exception", "fail", "fatal", "panic", "traceback", "denied", "refused", "timeout",
    "timed out", "unable", "cannot", "could not", "invalid", "critical", "abort", "break-in",
)  # fmt: skip


def looks_like_problem(template: str) -> bool:
    """Whether an unlevelled template reads like trouble (``Failed password``, ``refused``)."""
    lowered = template.lower()
    return any(word in lowered for word in _PROBLEM_WORDS)


def importance(group: TemplateGroup) -> tuple[float, int, int]:
    """Sort key: fatal, error, warning; then unlevelled lines that read like trouble; then the
    rest. Within a rank, the most frequent first, then the earliest."""
    rank: float = _SEVERITY_RANK.get(group.severity or "", 4)
    if rank == 4 and group.severity is None and looks_like_problem(group.template):
        rank = 3
    first = group.line_numbers[0] if group.line_numbers else 0
    return (rank, -group.count, first)


def _build(
    template: str,
    severity: str | None,
    members: list[int],
    messages: Sequence[str],
    timestamps: Sequence[datetime] | None,
    headers: dict[int, str],
) -> TemplateGroup:
    members.sort()
    samples = [messages[members[0]]]
    if len(members) > 1 and messages[members[-1]] != samples[0] and MAX_SAMPLES > 1:
        samples.append(messages[members[-1]])
    first: datetime | None
    last: datetime | None
    if timestamps is not None:
        times = [timestamps[i] for i in members]
        first, last = min(times), max(times)
    else:
        first = parse_timestamp(_header_of(members[0], messages, headers))
        last = parse_timestamp(_header_of(members[-1], messages, headers))
        if first is not None and last is not None and last < first:
            first, last = last, first
    return TemplateGroup(
        template=template,
        count=len(members),
        line_numbers=members,
        samples=samples,
        severity=severity,
        first_timestamp=first,
        last_timestamp=last,
    )


def _header_of(index: int, messages: Sequence[str], headers: dict[int, str]) -> str:
    header = headers.get(index)
    return header if header is not None else split_line(messages[index]).header
