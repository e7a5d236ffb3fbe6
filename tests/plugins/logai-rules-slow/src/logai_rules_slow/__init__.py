"""A rule pack with a catastrophic pattern: ``(a|aa)+$`` backtracks exponentially on ``aaa...!``.

Beside it, a sane rule (``TICKET-1234``) that must keep working while the slow one is cut off.
"""

from __future__ import annotations

from collections.abc import Callable

from logai import hookimpl
from logai.sanitize import Rule

SLOW = Rule(name="slow_a", kind="SLOW", pattern=r"(a|aa)+$", description="Catastrophic on purpose.")
TICKET = Rule(
    name="ticket",
    kind="TICKET",
    pattern=r"\bTICKET-[0-9]{4}\b",
    hints=("TICKET-0000",),
    reach=0,
    example="opened TICKET-1234 for it",
)


@hookimpl
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    register(SLOW)
    register(TICKET)
