"""A quick look for catastrophic backtracking, so ``logai plugins`` can name a slow rule.

The time budget (:mod:`logai.sanitize._guard`) is what keeps a slow rule harmless; this probe
only tells the pack's author and the user before hostile log text does. It feeds the rule's own
characters, repeated, followed by a character that breaks the match, to the time-limited engine:
``(a|aa)+$`` meets ``aaaa...a\\x00`` and runs out of time. A probe that passes proves nothing
(no finite set of inputs can), which is why it only reports and never rejects.
"""

from __future__ import annotations

import itertools
from importlib import import_module
from typing import Any

from logai.sanitize._guard import compile_guarded
from logai.sanitize.rule import Rule

__all__ = ["probe_rule"]

#: How long one probe may take before the rule counts as slow.
PROBE_SECONDS = 0.02
#: Repetitions of the pumped characters: enough for exponential patterns to blow up.
_PUMP = 40
#: Length of the long probes, for patterns that are polynomial rather than exponential.
_LONG = 5000
_MAX_CHARS = 8
#: What a character class stands for in a probe.
_CATEGORY_CHARS = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}


def _chars(pattern: str) -> list[str]:
    """Characters the pattern is made of, in order of first appearance (best effort)."""
    try:
        parser: Any = import_module("re._parser")
        tree = parser.parse(pattern)
    except Exception:
        return ["a", "0", " "]
    found: dict[str, None] = {}

    def walk(items: Any) -> None:
        for op, argument in items:
            name = str(op)
            if name == "LITERAL":
                found.setdefault(chr(argument), None)
            elif name == "ANY":
                found.setdefault("a", None)
            elif name == "IN":
                walk_class(argument)
            elif name == "BRANCH":
                for branch in argument[1]:
                    walk(branch)
            elif name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
                walk(argument[2])
            elif name == "SUBPATTERN":
                walk(argument[-1])
            elif name == "ATOMIC_GROUP":
                walk(argument)

    def walk_class(items: Any) -> None:
        if items and str(items[0][0]) == "NEGATE":
            return
        for op, argument in items:
            if str(op) == "LITERAL":
                found.setdefault(chr(argument), None)
            elif str(op) == "RANGE":
                found.setdefault(chr(argument[0]), None)
            elif str(op) == "CATEGORY" and str(argument) in _CATEGORY_CHARS:
                found.setdefault(_CATEGORY_CHARS[str(argument)], None)

    walk(tree)
    return list(found)[:_MAX_CHARS] or ["a"]


def probe_rule(rule: Rule) -> str | None:
    """Why ``rule`` looks catastrophically slow, or ``None`` when no probe found it so."""
    pattern = rule.pattern if isinstance(rule.pattern, str) else rule.pattern.pattern
    try:
        compiled = compile_guarded(rule.pattern, "pattern")
    except ValueError:
        return None  # reported as a rejected rule already
    chars = _chars(pattern)
    pumps = [c * _PUMP for c in chars] + [
        (a + b) * (_PUMP // 2) for a, b in itertools.permutations(chars[:4], 2)
    ]
    # Short lines find exponential blow-ups; long ones polynomial (quadratic...) ones.
    probes = [pump + "\x00" for pump in pumps] + [c * _LONG + "\x00" for c in chars]
    for probe in probes:
        try:
            compiled.search(probe, timeout=PROBE_SECONDS)
        except TimeoutError:
            shown = probe[:6] + "..."
            return (
                f"backtracks catastrophically: {PROBE_SECONDS * 1000:.0f} ms were not enough "
                f"for a {len(probe)}-character line like {shown!r}; it runs under the time "
                "budget, and lines it cannot check in time are redacted whole"
            )
    return None
