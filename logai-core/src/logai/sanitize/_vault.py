"""The in-memory map between sensitive values and their placeholders.

It exists only inside one :class:`~logai.sanitize.Sanitizer` (one conversation): it is never
written to the cache, a file, a log or an LLM request, never shown by ``repr`` and refuses to be
pickled or copied, so a careless ``logger.debug(sanitizer.__dict__)`` or a cache that pickles
its arguments cannot leak it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import NoReturn

_PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*_[0-9]+)>")
_LINE_BREAK = re.compile(r"\r?\n")

Normalizer = Callable[[str], str]


class _Kind:
    """The placeholders of one kind: by value as written, by identity key, and a counter."""

    __slots__ = ("by_key", "by_value", "counter", "label")

    def __init__(self, label: str) -> None:
        self.label = label
        self.by_value: dict[str, str] = {}  # spares normalizing a value seen before
        self.by_key: dict[str, str] = {}  # decides identity
        self.counter: Iterator[int] = itertools.count(1)


class PlaceholderVault:
    """Hands out ``<KIND_n>`` placeholders: the same value always gets the same one.

    Thread-safe without a lock: numbers come from an ``itertools.count`` per kind and the
    mapping is claimed with ``dict.setdefault``, both atomic in CPython; a thread that loses a
    race uses the winner's placeholder (its own number is simply skipped).
    """

    __slots__ = ("_kinds", "_originals")

    def __init__(self) -> None:
        self._kinds: dict[str, _Kind] = {}
        self._originals: dict[str, str] = {}

    def _kind(self, label: str) -> _Kind:
        table = self._kinds.get(label)
        if table is None:
            table = self._kinds.setdefault(label, _Kind(label))
        return table

    def placeholder(self, kind: str, value: str, normalize: Normalizer | None = None) -> str:
        """The placeholder of ``value`` (identified by ``normalize(value)``), new if need be.

        :meth:`restore` gives back the form first seen.
        """
        table = self._kind(kind)
        return table.by_value.get(value) or self._new(table, value, normalize)

    def _new(self, table: _Kind, value: str, normalize: Normalizer | None) -> str:
        key = value
        if normalize is not None:
            try:
                key = normalize(value)
            except Exception:  # a broken rule-pack normalizer must not stop redaction
                key = value
        found = table.by_key.get(key)
        if found is None:
            candidate = f"<{table.label}_{next(table.counter)}>"
            found = table.by_key.setdefault(key, candidate)
            if found is candidate:
                self._originals[candidate[1:-1]] = value
        table.by_value[value] = found
        return found

    def substitute(
        self,
        text: str,
        spans: Sequence[tuple[int, int, int]],
        kinds: Sequence[str],
        normalizers: Sequence[Normalizer | None],
    ) -> tuple[str, list[str]]:
        """``text`` with each ``(start, end, rule)`` span replaced by its placeholder.

        ``kinds`` and ``normalizers`` are indexed by rule. A value spanning lines is followed
        by its line breaks, so the text keeps its line count. Returns the kind of each span too.
        """
        tables = [self._kind(kind) for kind in kinds]
        seen = [table.by_value for table in tables]
        new = self._new
        parts: list[str] = []
        append = parts.append
        position = 0
        for start, end, index in spans:
            value = text[start:end]
            replacement = seen[index].get(value) or new(tables[index], value, normalizers[index])
            if "\n" in value:
                replacement += "".join(_LINE_BREAK.findall(value))
            append(text[position:start])
            append(replacement)
            position = end
        append(text[position:])
        labels = [table.label for table in tables]
        return "".join(parts), [labels[index] for _, _, index in spans]

    def restore(self, text: str) -> str:
        """``text`` with every placeholder this vault issued put back to its original value.

        Placeholders it did not issue (typed by a user, or from another conversation) stay.
        """
        if "<" not in text or not self._originals:
            return text
        originals = self._originals
        return _PLACEHOLDER_RE.sub(lambda m: originals.get(m.group(1), m.group(0)), text)

    def __len__(self) -> int:
        return len(self._originals)

    def __repr__(self) -> str:
        return f"<PlaceholderVault with {len(self)} placeholders>"

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError("the placeholder mapping holds secrets and must stay in memory")
