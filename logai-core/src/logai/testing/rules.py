"""Assertions for sanitizer rule packs: "this rule redacts these lines and leaves those alone".

A rule is only as good as its look-alike negatives: a pattern that also eats request ids or
timestamps makes logs unreadable for the LLM. So a pack's tests should be two tables, and these
helpers make each row one line::

    from logai.testing import assert_leaves, assert_redacts

    @pytest.mark.parametrize("line", ["badge EMP-004211 entered", "owner=emp-123456"])
    def test_employee_id_redacted(line):
        assert_redacts(EMPLOYEE_ID, line, "EMPLOYEE_ID")

    @pytest.mark.parametrize("line", ["build EMP-4211", "temp-123456 dir"])
    def test_employee_id_look_alikes_untouched(line):
        assert_leaves(EMPLOYEE_ID, line)

Start with ``assert_rule_loads(MY_RULE)``: it fails the way LogAI would refuse the rule (and
block sanitization) when your pack is installed, and names a pattern that backtracks.

Pass a single :class:`~logai.sanitize.Rule`, several, or a ready
:class:`~logai.sanitize.Sanitizer` (for instance one with the default pack plus yours, to check
that your rule still wins, or does not interfere). The sanitizer is imported on first use, so
importing the test kit stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logai.sanitize import Rule, Sanitizer, SanitizeStats

__all__ = ["assert_leaves", "assert_redacts", "assert_rule_loads", "sanitize_with"]


def _sanitizer(rules: Rule | Sanitizer | Iterable[Rule]) -> Sanitizer:
    from logai.sanitize import Rule, Sanitizer

    if isinstance(rules, Sanitizer):
        return rules
    if isinstance(rules, Rule):
        return Sanitizer([rules])
    return Sanitizer(list(rules))


def _default_kind(rules: Rule | Sanitizer | Iterable[Rule]) -> str | None:
    from logai.sanitize import Rule

    return rules.kind if isinstance(rules, Rule) else None


def sanitize_with(rules: Rule | Sanitizer | Iterable[Rule], text: str) -> tuple[str, SanitizeStats]:
    """Sanitize ``text`` with a rule, rules or a sanitizer; returns ``(text, stats)``."""
    return _sanitizer(rules).sanitize_text(text)


def assert_redacts(
    rules: Rule | Sanitizer | Iterable[Rule],
    text: str,
    expected_kind: str | None = None,
    *,
    value: str | None = None,
    count: int | None = None,
) -> str:
    """Assert that sanitizing ``text`` redacts at least one value of ``expected_kind``.

    ``expected_kind`` defaults to the kind of a single rule (``"EMAIL"`` for ``<EMAIL_1>``).
    ``value``, when given, must be gone from the result (the whole secret, not just part of
    it); ``count`` checks the exact number of redactions of that kind. Returns the sanitized
    text for further checks.
    """
    kind = expected_kind or _default_kind(rules)
    if kind is None:
        raise TypeError("pass expected_kind when checking several rules or a Sanitizer")
    result, stats = sanitize_with(rules, text)
    found = stats.counts.get(kind, 0)
    assert found > 0 and f"<{kind}_" in result, (
        f"expected a {kind} redaction in {text!r}\n"
        f"  result: {result!r}\n  stats:  {stats.counts or 'nothing redacted'}"
    )
    if count is not None:
        assert found == count, f"expected {count} {kind} redactions in {text!r}, got {found}"
    if value is not None:
        assert value not in result, (
            f"{value!r} is still in the result {result!r} (only part of it was redacted?)"
        )
    return result


def assert_leaves(rules: Rule | Sanitizer | Iterable[Rule], text: str) -> None:
    """Assert that sanitizing ``text`` changes nothing: a look-alike that must stay readable."""
    result, stats = sanitize_with(rules, text)
    assert result == text and not stats, (
        f"expected {text!r} to stay untouched\n  result: {result!r}\n  stats:  {stats.counts}"
    )


def assert_rule_loads(rule: Rule, *, allow_slow: bool = False) -> None:
    """Assert that LogAI would accept ``rule`` from a pack, and that it does not backtrack badly.

    Runs the checks LogAI runs when it loads a pack (pattern, group and trigger valid in the
    time-limited engine; ``example`` redacted through the engine, which catches ``hints`` or a
    ``reach`` that would keep the rule from ever firing) and the backtracking probe that
    ``logai plugins`` runs; ``allow_slow`` skips the latter.
    """
    from logai.sanitize._matcher import check_rule
    from logai.sanitize._probe import probe_rule

    try:
        check_rule(rule)
    except ValueError as exc:
        raise AssertionError(f"LogAI would reject this rule: {exc}") from None
    finding = None if allow_slow else probe_rule(rule)
    assert finding is None, f"rule {rule.name!r} {finding}"
