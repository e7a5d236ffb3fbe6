"""``assert_rule_loads``: a pack author's test fails the way LogAI would refuse the rule."""

from __future__ import annotations

import pytest

from logai.sanitize import Rule
from logai.testing import assert_rule_loads

GOOD = Rule(
    name="employee_id",
    kind="EMPLOYEE_ID",
    pattern=r"(?<![A-Za-z0-9])EMP-[0-9]{6}(?![0-9])",
    hints=("EMP-000000",),
    reach=0,
    example="badge swipe by EMP-004211 at door 3",
)


def test_a_sound_rule_loads() -> None:
    assert_rule_loads(GOOD)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule(name="a", kind="A", pattern="(EMP-"), "invalid pattern"),
        (Rule(name="a", kind="A", pattern="EMP-[0-9]+", group=1), "no group 1"),
        (Rule(name="a", kind="A", pattern="x", trigger="(y"), "invalid trigger"),
        (
            Rule(name="a", kind="A", pattern=r"ORD-\d{6}", hints=("ORD_",), example="ORD-123456"),
            "would never fire",
        ),
        (
            Rule(
                name="a",
                kind="A",
                pattern=r"user=\w+@corp",
                hints=("@corp",),
                reach=0,
                example="user=jane@corp",
            ),
            "reach=0",
        ),
        (Rule(name="a", kind="A", pattern=r"\bX-\d\b", example="no x here"), "own example"),
        (Rule(name="a", kind="A", pattern=r"(a|aa)+$"), "backtracks catastrophically"),
    ],
)
def test_a_rule_logai_would_refuse_fails_with_the_reason(rule: Rule, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        assert_rule_loads(rule)


def test_slow_rule_can_be_allowed_explicitly() -> None:
    assert_rule_loads(Rule(name="a", kind="A", pattern=r"(a|aa)+$"), allow_slow=True)
