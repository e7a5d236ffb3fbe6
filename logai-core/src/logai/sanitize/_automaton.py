"""Every occurrence of many fixed strings in one C-level pass: an Aho-Corasick automaton.

The :class:`~logai.sanitize._prefilter.Prefilter` otherwise needs a scan of the text per hint
made of common letters, and about a millisecond per MB for each (see its module docstring).
A deterministic automaton (the compiled ``ahocorasick_rs`` extension, a dependency of
``logai-core``) reads the text once whatever the number of strings, and returns every match
as a list built in native code, so Python only files each one.

Optional at run time: when the extension cannot be imported, or cannot read a text (lone
surrogates from ``surrogateescape`` decoding are not valid UTF-8), :meth:`StringAutomaton.starts`
answers ``None`` and the prefilter falls back to its own scans, which report the same offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["StringAutomaton", "available"]

_ac: Any
try:
    import ahocorasick_rs as _ac
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    _ac = None


def available() -> bool:
    """Whether the native automaton can be used in this interpreter."""
    return _ac is not None


class StringAutomaton:
    """Finds where each of a fixed list of non-empty strings starts in a text, overlaps included."""

    __slots__ = ("_count", "_find")

    def __init__(self, strings: Sequence[str]) -> None:
        if _ac is None:
            raise RuntimeError("the ahocorasick_rs extension is not installed")
        if not strings or not all(strings):
            raise ValueError("an automaton needs at least one string, and no empty one")
        automaton: Any = _ac.AhoCorasick(
            list(strings),
            matchkind=_ac.MatchKind.Standard,  # the only kind that reports overlapping matches
            implementation=_ac.Implementation.DFA,  # the fastest to search; built once per pack
        )
        self._find = automaton.find_matches_as_indexes
        self._count = len(strings)

    def starts(self, text: str) -> list[list[int]] | None:
        """Per string, in the order given, its start offsets in ``text`` (ascending).

        ``None`` when the automaton cannot read ``text``: the caller must scan it otherwise.
        """
        try:
            matches = self._find(text, overlapping=True)
        except UnicodeEncodeError:
            return None
        found: list[list[int]] = [[] for _ in range(self._count)]
        lists = [offsets.append for offsets in found]
        for index, start, _end in matches:
            lists[index](start)
        return found
