"""What a rule's matches can start with, as the engine reads it off the pattern."""

from __future__ import annotations

import re

import pytest

from logai.sanitize import Sanitizer, default_rules
from logai.sanitize._matcher import Matcher
from logai.sanitize._starts import prefix_forms, start_chars


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        (r"\bab", "a"),
        (r"(?:x|y)z", "xy"),
        (r"(?P<n>[0-2])+", "012"),
        (r"(?>q)", "q"),
        (r"a?b", None),  # optional first item
        (r"[^a]", None),  # negated class
        (r"\w", None),  # also non-ASCII letters
        (r"(?i)a", None),
        (r"(?i:a)b", None),
        (r"é", None),
        (r"(?=a)", None),  # may match nothing
        (r"(?:x|)a", None),  # a branch that may match nothing
        (r".", None),
    ],
)
def test_start_chars_is_conservative(pattern: str, starts: str | None) -> None:
    assert start_chars(re.compile(pattern)) == starts


def test_default_rules_compile_on_first_use_and_match_as_before() -> None:
    rules = default_rules()
    lazy = Matcher(rules)
    iban = next(i for i, rule in enumerate(rules) if rule.name == "iban")
    assert lazy.rules[iban]._regex is None
    line = "payout to DE89 3704 0044 0532 0130 00 ok; uuid 9f1c2d43-1234-4a1b-8c2d-123456789abc"
    eager = Matcher(rules, guarded=[False] * len(rules))
    for compiled in eager.rules:
        compiled.regex  # noqa: B018 - compile now
    assert lazy.find(line) == eager.find(line)
    assert lazy.rules[iban]._regex is not None
    assert Sanitizer(rules).sanitize_text(line)[0].startswith("payout to <IBAN_1> ok")


@pytest.mark.parametrize(
    ("pattern", "forms"),
    [
        ("A(?:KIA|SIA)[A-Z0-9]{16}", ("akia", "asia")),
        ("md5[0-9a-f]{32}", ("md0",)),
        ("AUTH ", ("auth ",)),
        (r"\.[0-9]{1,2}\.[0-9]", (" 0 0", " 00 0")),
        ("(?:ab|c)d", ("abd", "cd")),
        ("ab?c", ("a",)),
        ("x(?:a|b*)", ("x",)),
        ("ab(?=c)d", ("ab",)),
        (r"a\wc", ("a",)),
        ("a[^b]c", ("a",)),
        ("a+b", None),
        ("a*b", None),
        ("(?i)abc", None),
        ("(?i:a)bc", None),
        ("(?<=x)abc", None),
        (r"\babc", None),
        ("\u00e9t\u00e9", None),
    ],
)
def test_prefix_forms_are_conservative(pattern: str, forms: tuple[str, ...] | None) -> None:
    """Every match's view starts with one of the forms; ``None`` when unsure of the first item."""
    assert prefix_forms(re.compile(pattern)) == forms
