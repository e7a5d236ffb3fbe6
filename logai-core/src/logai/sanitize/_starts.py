"""The characters a rule's matches can start with, read off its compiled pattern.

A rule with :attr:`~logai.sanitize.rule.Rule.reach_chars` is tried at every offset of the run
of those characters before its hint. An IBAN rule whose hint is a run of digits backs up over
hex digits in a UUID and tries each of them, although every IBAN starts with a capital letter.
Knowing that, the engine jumps to the next capital letter instead (one C-level search), or
past the hint when there is none.

Conservative by construction: anything not plainly a set of ASCII characters (a category such
as ``\\w``, which also matches non-ASCII letters, a negated class, case-insensitivity, an
optional first item, a group that may match nothing) gives ``None``, "could be anything".
Reads :mod:`re`'s own parser, which is private; if it is missing or changes shape, the answer
is ``None`` as well, and rules are simply tried at every offset as before.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["literal_prefixes", "start_chars"]

try:
    _parser: Any = importlib.import_module("re._parser")
    _C: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python without re._parser
    _parser = _C = None

#: A set this large is no filter worth a search.
_MAX_CHARS = 96


class _Unknown(Exception):
    """The pattern's first character is not a plain set of ASCII characters."""


def start_chars(pattern: re.Pattern[str]) -> str | None:
    """Every character a match of ``pattern`` can start with, or ``None`` if unsure."""
    if _parser is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        chars = _first(list(_parser.parse(pattern.pattern, pattern.flags)))
    except Exception:  # _Unknown, or a parser of another shape
        return None
    if not chars or len(chars) > _MAX_CHARS:
        return None
    return "".join(sorted(chars))


def _first(items: list[Any]) -> set[str]:
    """First characters of a sequence of parsed items; raises :class:`_Unknown`."""
    for op, av in items:
        if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
            continue  # zero width: the next item decides
        return _item(op, av)
    raise _Unknown  # the sequence may match nothing at all


def _item(op: Any, av: Any) -> set[str]:
    if op is _C.LITERAL:
        return {_ascii(av)}
    if op is _C.IN:
        return _charset(av)
    if op is _C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            raise _Unknown
        return _first(list(sub))
    if op is _C.ATOMIC_GROUP:
        return _first(list(av))
    if op is _C.BRANCH:
        return set().union(*(_first(list(branch)) for branch in av[1]))
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        low, _high, sub = av
        if low < 1:
            raise _Unknown  # optional: what follows may come first
        return _first(list(sub))
    raise _Unknown


def _charset(items: Any) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            chars.add(_ascii(av))
        elif op is _C.RANGE:
            low, high = av
            if high > 127:
                raise _Unknown
            chars.update(chr(code) for code in range(low, high + 1))
        else:  # NEGATE, CATEGORY (\w, \d also match non-ASCII), ...
            raise _Unknown
    return chars


def _ascii(code: int) -> str:
    if code > 127:
        raise _Unknown
    return chr(code)


def literal_prefixes(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal strings of which every match of ``pattern`` starts with one, or ``None``.

    ``A(?:KIA|SIA)`` gives ``("AKIA", "ASIA")``: the literal characters up to the first
    item that is not one, through at most one alternation whose branches all start with
    literal characters. ASCII only, case-sensitive patterns only (conservative, like
    :func:`start_chars`).
    """
    if _parser is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags))
        head = _literal_run(items)
        rest = items[len(head) :]
        prefix = "".join(head)
        if rest and rest[0][0] is _C.BRANCH:
            branches = [_literal_run(list(branch)) for branch in rest[0][1][1]]
            if all(branches):
                return tuple(dict.fromkeys(prefix + "".join(run) for run in branches))
    except Exception:  # _Unknown, or a parser of another shape
        return None
    return (prefix,) if prefix else None


def _literal_run(items: list[Any]) -> list[str]:
    """The ASCII literal characters that ``items`` starts with."""
    run: list[str] = []
    for op, av in items:
        if op is not _C.LITERAL or av > 127:
            break
        run.append(chr(av))
    return run
