"""Helpers that turn the per-rule tables and the labeled corpus into assertions with readable
failures, shared by the rule modules' tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from logai.sanitize import Rule, Sanitizer, default_rules


def assert_redacts(rule: Rule, line: str, value: str) -> None:
    """The rule alone replaces ``value`` in ``line`` by a placeholder of its kind."""
    assert value in line, "bad test case: the value is not in the line"
    out, stats = Sanitizer([rule]).sanitize_text(line)
    assert value not in out, f"{rule.name} left {value!r} in {out!r}"
    assert f"<{rule.kind}_1>" in out, out
    assert stats.counts.get(rule.kind, 0) >= 1


def assert_untouched(sanitizer: Sanitizer, line: str) -> None:
    """No default rule changes a look-alike line."""
    out, stats = sanitizer.sanitize_text(line)
    assert out == line, f"look-alike changed: {out!r}"
    assert not stats


#: Labeled log lines in many real formats (see tests/core/sanitize/test_corpus.py).
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "sanitize" / "corpus.jsonl"


def corpus_entries() -> list[dict[str, Any]]:
    """Every corpus entry: ``line``, ``secrets`` (the values that must go) and maybe ``family``."""
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def assert_family_found_in_full(
    sanitizer: Sanitizer, family: str, *, min_positives: int, min_negatives: int
) -> None:
    """Every secret of the corpus ``family`` goes, and none of its look-alike lines changes."""
    entries = [entry for entry in corpus_entries() if entry.get("family") == family]
    positives = [entry for entry in entries if entry["secrets"]]
    negatives = [entry for entry in entries if not entry["secrets"]]
    assert len(positives) >= min_positives and len(negatives) >= min_negatives
    missed = [
        secret
        for entry in positives
        for secret in entry["secrets"]
        if secret in sanitizer.sanitize_text(str(entry["line"]))[0]
    ]
    changed = [
        str(entry["line"])
        for entry in negatives
        if sanitizer.sanitize_text(str(entry["line"]))[0] != entry["line"]
    ]
    assert not missed, missed
    assert not changed, changed


def split_pack(names: Collection[str]) -> tuple[Sanitizer, Sanitizer, Sanitizer]:
    """(the rules ``names`` alone, the default pack without them, the whole default pack)."""
    rules = default_rules()
    assert set(names) <= {rule.name for rule in rules}
    return (
        Sanitizer([rule for rule in rules if rule.name in names]),
        Sanitizer([rule for rule in rules if rule.name not in names]),
        Sanitizer(rules),
    )


def assert_linear(sanitizer: Sanitizer, head: str, unit: str) -> None:
    """A line of ``unit`` repeated four times as long costs about four times the CPU time, not
    sixteen (a rule scanning to the end of the line from each of its starts). A ratio within
    one run, the best of three timings each: immune to a busy machine."""

    def cpu_seconds(line: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()
            sanitizer.sanitize_text(line)
            best = min(best, time.thread_time() - started)
        return best

    short, long = (
        cpu_seconds(head + unit * (length // len(unit)) + "_") for length in (5_000, 20_000)
    )
    assert long < 8 * short + 0.005, (short, long)


Case = tuple[str, str, str]
"""A rule's name, a line, and the value in it that the rule alone must redact."""


def flatten(cases: Mapping[str, Sequence[tuple[str, str]]]) -> list[Case]:
    """``{rule: [(line, value), ...]}`` as a list of :data:`Case`."""
    return [(name, line, value) for name, pairs in cases.items() for line, value in pairs]


def table_tests(
    cases: Sequence[Case], lookalikes: Sequence[str]
) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two tests every rule module's tables get, for a module to bind at top level::

        test_rule_redacts, test_lookalikes_stay = table_tests(CASES, LOOKALIKES)

    Each case runs its rule alone (so it proves that rule fired); each look-alike runs the
    whole default pack (so no rule may touch it).
    """

    @pytest.mark.parametrize(("name", "line", "value"), cases)
    def test_rule_redacts(rules_by_name: dict[str, Rule], name: str, line: str, value: str) -> None:
        assert_redacts(rules_by_name[name], line, value)

    @pytest.mark.parametrize("line", lookalikes)
    def test_lookalikes_stay(full_pack: Sanitizer, line: str) -> None:
        assert_untouched(full_pack, line)

    return test_rule_redacts, test_lookalikes_stay
