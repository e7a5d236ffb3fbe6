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

from logai.sanitize.rule import PREFILTER_TABLE

__all__ = ["prefix_forms", "start_chars"]

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


def prefix_forms(pattern: re.Pattern[str], limit: int = 16) -> tuple[str, ...] | None:
    """Strings, in the prefilter's normalized form, one of which starts every match's view.

    The view (:func:`~logai.sanitize.rule.normalize_for_prefilter`) of a match of
    ``A(?:KIA|SIA)`` starts with ``akia`` or ``asia``; of ``\\.[0-9]{1,3}\\.[0-9]`` with
    `` 0 0``, `` 00 0`` or `` 000 0``: each digit is ``0`` there, so a class of digits is one
    character, and a bounded repeat of it a few strings. Read item by item while the number of
    strings stays within ``limit``; whatever comes next is left out, so every string found is
    the start of some match's view. ``None`` when not even the first item is plain: ASCII
    literals and classes only, case-sensitive patterns only (conservative, like
    :func:`start_chars`).
    """
    if _parser is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        forms = _forms(list(_parser.parse(pattern.pattern, pattern.flags)), limit)
    except Exception:  # a parser of another shape
        return None
    return forms if forms and all(forms) else None


def _forms(items: list[Any], limit: int) -> tuple[str, ...]:
    """The views that ``items`` can start with, as far as they stay few and plain."""
    forms: tuple[str, ...] = ("",)
    for op, av in items:
        try:
            options = _item_forms(op, av, limit)
        except _Unknown:
            break
        if len(forms) * len(options) > limit:
            break
        forms = tuple(dict.fromkeys(form + option for form in forms for option in options))
        if not options or any(not option for option in options):
            break  # an item that may match nothing: what follows it may come first
    return forms


def _item_forms(op: Any, av: Any, limit: int) -> tuple[str, ...]:
    """Every view of what one parsed item matches, in full; raises :class:`_Unknown`."""
    if op is _C.LITERAL:
        return (_view(_ascii(av)),)
    if op is _C.IN:
        return tuple(sorted({_view(char) for char in _charset(av)}))
    if op is _C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            raise _Unknown
        return _whole(list(sub), limit)
    if op is _C.BRANCH:
        found: dict[str, None] = {}
        for branch in av[1]:
            found.update(dict.fromkeys(_whole(list(branch), limit)))
        return tuple(found)
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        low, high, sub = av
        single = _whole(list(sub), limit)
        if len(single) != 1 or low < 1 or high - low >= limit:
            raise _Unknown
        return tuple(single[0] * count for count in range(low, high + 1))
    raise _Unknown


def _whole(items: list[Any], limit: int) -> tuple[str, ...]:
    """Every view of what ``items`` match, in full (not just a start); raises :class:`_Unknown`."""
    forms: tuple[str, ...] = ("",)
    for op, av in items:
        options = _item_forms(op, av, limit)
        forms = tuple(dict.fromkeys(form + option for form in forms for option in options))
        if len(forms) > limit:
            raise _Unknown
    return forms


def _view(char: str) -> str:
    return char.translate(PREFILTER_TABLE)
