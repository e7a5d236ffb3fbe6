"""Helpers that turn the per-rule tables into assertions with readable failures."""

from __future__ import annotations

from logai.sanitize import Rule, Sanitizer


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
