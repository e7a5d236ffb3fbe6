"""A rule pack whose rules each fail validation in a different way, beside one good rule."""

from __future__ import annotations

from collections.abc import Callable

from logai import hookimpl
from logai.sanitize import Rule

RULES = [
    Rule(name="good", kind="GOOD", pattern=r"\bGOOD-[0-9]{3}\b", example="x GOOD-123 y"),
    Rule(name="unclosed", kind="BAD", pattern=r"(ACME-[0-9]+"),
    # The hint uses '_' where the values have '-': the rule would never run.
    Rule(
        name="wrong_hint",
        kind="ORDER",
        pattern=r"\bORD-[0-9]{6}\b",
        hints=("ORD_000000",),
        example="order ORD-123456 shipped",
    ),
    # reach=0 claims the match starts at the hint, but it starts at "user=".
    Rule(
        name="wrong_reach",
        kind="LOGIN",
        pattern=r"user=[a-z]+@corp",
        hints=("@corp",),
        reach=0,
        example="login user=jane@corp ok",
    ),
    Rule(name="no_group", kind="BAD", pattern=r"KEY-[0-9]+", group=2),
]


@hookimpl
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)
