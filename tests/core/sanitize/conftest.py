"""Shared sanitizers for the rule tests: built once per session, rules compiled once."""

from __future__ import annotations

import pytest

from logai.sanitize import Rule, Sanitizer, default_rules


@pytest.fixture(scope="session")
def rules_by_name() -> dict[str, Rule]:
    return {rule.name: rule for rule in default_rules()}


@pytest.fixture(scope="session")
def full_pack() -> Sanitizer:
    """Every default rule: look-alikes must survive all of them, not just the one in focus."""
    return Sanitizer(default_rules())


def only(rule: Rule) -> Sanitizer:
    """A sanitizer with one rule, so a positive proves that rule (not a neighbour) fired."""
    return Sanitizer([rule])
