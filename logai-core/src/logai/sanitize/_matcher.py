"""Finding what to redact: locate hints, run each rule only there, settle overlaps.

Default rules run on :mod:`re` in the tight loops below; every other rule runs under a time
budget (:mod:`logai.sanitize._guard`), so a third-party pattern cannot hang or starve LogAI.

Speed comes from not looking. The :class:`~logai.sanitize._prefilter.Prefilter` finds every
rule's hints in the whole text with a few C-level scans; a rule then runs only where its hints
are: tried with ``re.match`` right at the hint when the rule says its match starts there
(:attr:`Rule.reach`), otherwise scanned over the rest of that line. A clean line thus costs
its share of those scans and nothing per rule.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from logai.sanitize._automaton import available as automaton_available
from logai.sanitize._guard import UNCHECKED_KIND, GuardedRule, RuleBudget, cover_unchecked
from logai.sanitize._prefilter import Prefilter, TriggerScanner, trigger_starts
from logai.sanitize._starts import prefix_forms, start_chars
from logai.sanitize.rule import Rule, Validator, normalize_for_prefilter

#: ``(start, end, rule index)`` of one value to redact, offsets into the sanitized text.
Span = tuple[int, int, int]

#: Rules whose matches start at most this far before a hint are tried with ``re.match`` at
#: each possible start; rules that reach further scan the rest of the line.
ANCHOR_REACH = 4


class CompiledRule:
    """A rule with its pattern compiled, ready for the hot loop.

    LogAI's own rules compile on first use (``lazy``): most log text never reaches most rules,
    and compiling a pack of them costs a noticeable part of a short ``logai sanitize`` run.
    Their patterns and groups are proven sound by the test suite; any other rule compiles,
    and is checked, right away.
    """

    __slots__ = (
        "_regex",
        "_rule",
        "group",
        "kind",
        "multiline",
        "name",
        "normalize",
        "priority",
        "reach",
        "reach_chars",
        "starts",
        "starts_search",
        "validator",
    )

    def __init__(self, rule: Rule, *, lazy: bool = False) -> None:
        self._rule = rule
        self.name = rule.name
        self.kind = rule.kind
        self.group = rule.group
        self.validator: Validator | None = rule.validator
        self.normalize: Callable[[str], str] | None = rule.normalize
        self.priority = rule.priority
        self.multiline = rule.multiline
        self.reach = rule.reach
        self.reach_chars = rule.reach_chars
        #: What a match can start with, when that is fewer characters than the run the engine
        #: backs up over (see :mod:`logai.sanitize._starts`); set with the regex.
        self.starts: str | None = None
        self.starts_search: Callable[[str, int, int], re.Match[str] | None] | None = None
        self._regex: re.Pattern[str] | None = None
        if not lazy:
            self._compile()

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return self._regex or self._compile()

    def _compile(self) -> re.Pattern[str]:
        regex = self._rule.compile()
        name, group = self.name, self.group
        if isinstance(group, int) and group > regex.groups:
            raise ValueError(f"rule {name!r}: pattern has no group {group}")
        if isinstance(group, str) and group not in regex.groupindex:
            raise ValueError(f"rule {name!r}: pattern has no group named {group!r}")
        if self.reach_chars:
            starts = start_chars(regex)
            if starts is not None and set(self.reach_chars) - set(starts):
                self.starts = starts
                self.starts_search = re.compile(f"[{re.escape(starts)}]").search
        self._regex = regex
        return regex


def is_trusted(rule: Rule) -> bool:
    """Whether ``rule`` is one of LogAI's default rules, which run unguarded on :mod:`re`."""
    from logai.sanitize import trusted_rules

    try:
        return rule in trusted_rules()
    except TypeError:  # an unhashable field: certainly not one of ours
        return False


def check_rule(rule: Rule) -> None:
    """Raise ``ValueError`` naming the rule if its pattern, group or trigger is unusable.

    A third-party rule must also work in the time-limited engine, and a rule with an
    ``example`` must redact it there: a rule whose ``hints`` never occur in what it matches, or
    whose ``reach`` is too small, would otherwise silently never fire.
    """
    if is_trusted(rule):
        return  # the test suite holds LogAI's own rules to all of this
    CompiledRule(rule)
    if rule.trigger is not None:
        try:
            re.compile(rule.trigger)
        except re.error as exc:
            raise ValueError(f"rule {rule.name!r}: invalid trigger: {exc}") from None
    GuardedRule(0, rule, RuleBudget())
    if rule.example:
        _check_example(rule)


#: For checking a rule against its example: generous, so that a busy machine cannot make a
#: sound rule look broken (and block sanitization); running out of it proves nothing either way.
_CHECK_BUDGET = RuleBudget(line_seconds=0.25, trip_after=1_000_000)


def _check_example(rule: Rule) -> None:
    matcher = Matcher([rule], guarded=[True], budget=_CHECK_BUDGET)
    if any(index == 0 for _, _, index in matcher.find(rule.example)):
        return
    if matcher.budget_report()[0]["overruns"]:
        return  # too slow to tell; the time budget deals with the rule at run time
    guard = GuardedRule(0, rule, _CHECK_BUDGET)
    guard.scan_all, guard.trigger, guard.reach = True, None, None
    spans: list[Span] = []
    guard.find(rule.example, None, spans, [])
    if guard.overruns:
        return
    if spans:
        raise ValueError(
            f"rule {rule.name!r}: its hints, trigger or reach keep the engine from the match in "
            f"its example {rule.example!r} (hints={rule.hints!r}, reach={rule.reach!r}): the "
            "rule would never fire there"
        )
    raise ValueError(f"rule {rule.name!r}: does not redact its own example {rule.example!r}")


#: A trigger rides the prefilter's automaton only if each string its matches' views may start
#: with is at least this long: shorter ones (``%``, ``+0``) stop too often.
_MIN_RIDER_PREFIX = 3


def _riders(triggers: Iterable[re.Pattern[str]]) -> dict[re.Pattern[str], tuple[str, ...]]:
    """Trigger to the normalized strings its matches start with (as the view reads them).

    ``md5[0-9a-f]{32}`` costs a regex scan of the text on its own; as the stop ``md0`` in the
    prefilter's automaton it costs a few more states, and ``re.match`` only where it stops.
    """
    riders: dict[re.Pattern[str], tuple[str, ...]] = {}
    for trigger in triggers:
        forms = prefix_forms(trigger)
        if forms and min(map(len, forms)) >= _MIN_RIDER_PREFIX:
            riders[trigger] = forms
    return riders


def _windows(text: str, positions: list[int], reach: int | None) -> dict[int, int]:
    """``scan start -> line end`` for each line of ``text`` holding one of ``positions``.

    The scan starts ``reach`` characters before the line's first position (at the line start
    when ``reach`` is None); matches of the rule cannot start earlier.
    """
    positions.sort()
    windows: dict[int, int] = {}
    rfind = text.rfind
    find = text.find
    end = -1
    for at in positions:
        if at < end:
            continue  # same line as the previous position
        start = rfind("\n", 0, at) + 1
        end = find("\n", at)
        if end < 0:
            end = len(text)
        windows[start if reach is None else max(start, at - reach)] = end
    return windows


class Matcher:
    """Finds the spans to redact in a text for a fixed set of rules.

    Span indexes point into :attr:`rules`; one more index, ``len(rules)``, marks a line that a
    third-party rule could not check within its time budget (kind :data:`UNCHECKED_KIND`).
    """

    __slots__ = (
        "_guarded",
        "_guards",
        "_hints_of",
        "_prefilter",
        "_priorities",
        "_riders",
        "_scan_all",
        "_trigger_scanner",
        "_triggers",
        "rules",
    )

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        guarded: Sequence[bool] | None = None,
        budget: RuleBudget | None = None,
    ) -> None:
        """``guarded[i]``: run rule ``i`` under ``budget`` (default: all but LogAI's own)."""
        if guarded is None:
            guarded = [not is_trusted(rule) for rule in rules]
        budget = budget or RuleBudget()
        self.rules = [
            CompiledRule(rule, lazy=not guarded[index] and is_trusted(rule))
            for index, rule in enumerate(rules)
        ]
        self._guards = [
            GuardedRule(index, rule, budget) for index, rule in enumerate(rules) if guarded[index]
        ]
        self._guarded = frozenset(guard.index for guard in self._guards)
        self._priorities = [rule.priority for rule in rules] + [sys.maxsize]
        self._hints_of: list[tuple[str, ...]] = [
            tuple(dict.fromkeys(normalize_for_prefilter(h) for h in rule.hints)) for rule in rules
        ]
        self._scan_all = [
            i
            for i, rule in enumerate(rules)
            if not rule.hints and not rule.trigger and not guarded[i]
        ]
        all_hints = [hint for hints in self._hints_of for hint in hints]
        self._triggers: dict[int, re.Pattern[str]] = {}
        compiled: dict[str, re.Pattern[str]] = {}
        for index, rule in enumerate(rules):
            if rule.trigger is None or guarded[index]:
                continue
            if rule.trigger not in compiled:
                try:
                    compiled[rule.trigger] = re.compile(rule.trigger)
                except re.error as exc:
                    raise ValueError(f"rule {rule.name!r}: invalid trigger: {exc}") from None
            self._triggers[index] = compiled[rule.trigger]
        #: triggers whose matches start with a few literal strings: found by the prefilter's
        #: automaton along with the hints (see :func:`_riders`), not by a scan of their own
        self._riders = _riders(compiled.values()) if all_hints and automaton_available() else {}
        self._prefilter = (
            Prefilter(all_hints, stops=[s for stops in self._riders.values() for s in stops])
            if all_hints
            else None
        )
        self._trigger_scanner = TriggerScanner(
            trigger for trigger in self._triggers.values() if trigger not in self._riders
        )

    @property
    def kinds(self) -> list[str]:
        """Placeholder kind per span index: each rule's, then :data:`UNCHECKED_KIND`."""
        return [rule.kind for rule in self.rules] + [UNCHECKED_KIND]

    def budget_report(self) -> list[dict[str, Any]]:
        """Per third-party rule: overruns, lines redacted whole, whether it was switched off."""
        return [guard.report() for guard in self._guards]

    def find(self, text: str) -> list[Span]:
        """Non-overlapping spans to redact, sorted by start."""
        spans: list[Span] = []
        for index in self._scan_all:
            self._scan(index, text, 0, len(text), spans)
        candidates = self._candidates(text)
        unguarded = candidates.items()
        if self._guards:  # third-party rules run below, under their time budget
            unguarded = {i: p for i, p in unguarded if i not in self._guarded}.items()
        for index, positions in unguarded:
            rule = self.rules[index]
            if rule.multiline:
                first = min(positions)
                start = text.rfind("\n", 0, first) + 1
                if rule.reach is not None:
                    start = max(start, first - rule.reach)
                self._scan(index, text, start, len(text), spans)
            elif rule.reach is not None and (rule.reach <= ANCHOR_REACH or rule.reach_chars):
                self._anchored(index, text, positions, spans)
            else:
                for start, end in _windows(text, positions, rule.reach).items():
                    self._scan(index, text, start, end, spans)
        if not self._guards:
            return _settle_overlaps(spans, self._priorities) if spans else spans
        unchecked: list[tuple[int, int]] = []
        for guard in self._guards:
            guard.find(text, candidates.get(guard.index), spans, unchecked)
        kept = _settle_overlaps(spans, self._priorities) if spans else spans
        return cover_unchecked(text, kept, unchecked, len(self.rules)) if unchecked else kept

    def _candidates(self, text: str) -> dict[int, list[int]]:
        """Rule index to the offsets of its hints and trigger matches in ``text``."""
        found: dict[int, list[int]] = {}
        stops: dict[str, list[int]] = {}
        if self._prefilter is not None:
            by_hint = self._prefilter.positions(text, self._prefilter.view(text), stops)
            for index, hints in enumerate(self._hints_of):
                if len(hints) == 1:
                    if by_hint[hints[0]]:
                        found[index] = by_hint[hints[0]]  # shared list; sorted in place later
                    continue
                offsets = [at for hint in hints for at in by_hint[hint]]
                if offsets:
                    found[index] = offsets
        if self._triggers:
            scanned = self._trigger_scanner.positions(text)
            merged: dict[tuple[str, ...], list[int]] = {}  # triggers that start alike share it
            for trigger, prefixes in self._riders.items():
                places = stops[prefixes[0]]
                if len(prefixes) > 1:
                    places = merged.get(prefixes) or merged.setdefault(
                        prefixes, sorted({at for prefix in prefixes for at in stops[prefix]})
                    )
                scanned[trigger] = trigger_starts(text, trigger, places) if places else []
            for index, trigger in self._triggers.items():
                if scanned[trigger]:
                    found[index] = found.get(index, []) + scanned[trigger]  # new: may be shared
        return found

    def _scan(self, index: int, text: str, start: int, end: int, spans: list[Span]) -> None:
        """Add the accepted matches of rule ``index`` anywhere in ``text[start:end]``."""
        accept = self._accept
        for match in self.rules[index].regex.finditer(text, start, end):
            accept(index, match, spans)

    def _anchored(self, index: int, text: str, positions: list[int], spans: list[Span]) -> None:
        """Add the accepted matches of rule ``index`` that start up to ``reach`` before a hint.

        ``re.match`` at those few offsets costs a fraction of scanning the rest of the line,
        which is what makes declaring a small :attr:`Rule.reach` worth it. With
        :attr:`Rule.reach_chars` the first offset tried is where those characters begin.
        """
        rule = self.rules[index]
        match_at = rule.regex.match
        reach = rule.reach or 0
        chars = rule.reach_chars
        group = rule.group
        validator = rule.validator
        append = spans.append
        covered = 0
        if not reach and not chars:  # the common case, kept tight: one attempt per hint
            for at in sorted(positions):
                if at < covered:
                    continue
                match = match_at(text, at)
                if match is None:
                    continue
                value_start, value_end = match.span(group)
                if value_start >= value_end:
                    continue
                if validator is not None:
                    try:
                        if not validator(match):
                            continue
                    except Exception as exc:
                        _warn_once(rule.name, exc)  # when in doubt, redact
                append((value_start, value_end, index))
                covered = match.end()
            return
        starts, jump = rule.starts, rule.starts_search
        tried = 0  # every start below this was tried already: re.match would say the same
        for at in sorted(positions):
            if at < covered:
                continue  # inside the previous match, or a repeated position
            if not chars:
                start = at - reach
            elif at > covered and text[at - 1] in chars:
                before = text[at - reach if at - reach > covered else covered : at]
                start = at - len(before) + len(before.rstrip(chars))
            else:
                start = at  # nothing to back up over (the common case for IBANs)
            if start < covered:
                start = covered
            if start < tried:
                start = tried
            while start <= at:
                if starts is not None and text[start] not in starts:
                    # no match starts here: on to the next character one can start with
                    ahead = jump(text, start + 1, at + 1) if start < at else None  # type: ignore[misc]
                    if ahead is None:
                        start = at + 1
                        break
                    start = ahead.start()
                match = match_at(text, start)
                start += 1
                if match is None:
                    continue
                value_start, value_end = match.span(group)
                if value_start >= value_end:
                    continue
                if validator is not None:
                    try:
                        if not validator(match):
                            continue
                    except Exception as exc:
                        _warn_once(rule.name, exc)  # when in doubt, redact
                append((value_start, value_end, index))
                covered = match.end()
                break
            tried = start

    def _accept(self, index: int, match: re.Match[str], spans: list[Span]) -> None:
        """Record the value of ``match`` unless empty or vetoed by the rule's validator."""
        rule = self.rules[index]
        value_start, value_end = match.span(rule.group)
        if value_start < value_end and (rule.validator is None or self._validate(rule, match)):
            spans.append((value_start, value_end, index))

    @staticmethod
    def _validate(rule: CompiledRule, match: re.Match[str]) -> bool:
        try:
            return rule.validator(match)  # type: ignore[misc]
        except Exception as exc:
            # When in doubt, redact: a broken validator fails closed.
            _warn_once(rule.name, exc)
            return True


_warned: set[str] = set()


def _warn_once(rule_name: str, exc: Exception) -> None:
    if rule_name not in _warned:
        _warned.add(rule_name)
        sys.stderr.write(
            f"logai: warning: sanitizer rule '{rule_name}' validator raised "
            f"{type(exc).__name__}; its matches are redacted unvalidated\n"
        )


def _settle_overlaps(spans: list[Span], priorities: Sequence[int]) -> list[Span]:
    """Drop spans that overlap a better one: higher priority, then earlier, then longer.

    One sweep in order of start: a span either clears the last kept one or competes with it.
    Kept spans never overlap, so a newcomer can only ever collide with the last of them.
    """
    spans.sort()
    kept: list[Span] = []
    last_end = -1
    for span in spans:
        start, end, index = span
        if start >= last_end:
            kept.append(span)
            last_end = end
            continue
        rival = kept[-1]
        if (priorities[index], rival[0] - start, end - start) > (
            priorities[rival[2]],
            0,
            rival[1] - rival[0],
        ):
            kept[-1] = span
            last_end = end
    return kept
