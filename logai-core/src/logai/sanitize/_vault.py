"""The in-memory map between sensitive values and their placeholders.

It exists inside one :class:`~logai.sanitize.Sanitizer` (one conversation): it is never
written to the cache, a log or an LLM request, never shown by ``repr`` and refuses to be
pickled or copied, so a careless ``logger.debug(sanitizer.__dict__)`` or a cache that pickles
its arguments cannot leak it. The one way out is explicit: :meth:`PlaceholderVault.entries`,
which the conversation history calls to keep a conversation resumable in its private database
(``docs/history.md`` states that threat model), and :meth:`PlaceholderVault.adopt` to bring it
back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NoReturn

_PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*_[0-9]+)>")
_LINE_BREAK = re.compile(r"\r?\n")

Normalizer = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class PlaceholderEntry:
    """One issued placeholder: ``<{kind}_{number}>`` stands for ``original``.

    ``key`` is the identity the rule's normalizer gave the value (``Jane@X.org`` and
    ``jane@x.org`` share one), so a resumed conversation recognises the value in any form.
    """

    kind: str
    number: int
    key: str
    original: str

    @property
    def placeholder(self) -> str:
        return f"<{self.kind}_{self.number}>"

    def __repr__(self) -> str:
        # Never the value: entries travel through code that may log them.
        return f"<PlaceholderEntry {self.placeholder}>"


def placeholders_in(text: str) -> set[str]:
    """Every ``<KIND_n>``-shaped placeholder in ``text``."""
    return {f"<{name}>" for name in _PLACEHOLDER_RE.findall(text)}


def _split(name: str) -> tuple[str, int]:
    kind, _, number = name.rpartition("_")
    return kind, int(number)


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

    def entries(self) -> list[PlaceholderEntry]:
        """Every placeholder issued so far, with its identity key and original value."""
        found: list[PlaceholderEntry] = []
        for table in list(self._kinds.values()):
            for key, placeholder in list(table.by_key.items()):
                original = self._originals.get(placeholder[1:-1])
                if original is not None:
                    found.append(
                        PlaceholderEntry(table.label, _split(placeholder[1:-1])[1], key, original)
                    )
        return sorted(found, key=lambda entry: (entry.kind, entry.number))

    def adopt(self, entries: Iterable[PlaceholderEntry], reserved: Iterable[str] = ()) -> None:
        """Take over a saved conversation's placeholders before anything new is issued.

        Numbering carries on after the highest adopted or ``reserved`` placeholder of each kind,
        so ``<EMAIL_3>`` of yesterday's turns is never handed to a different value today, even
        for a placeholder whose original was not kept. Only a vault that has issued nothing may
        adopt: two mappings cannot be merged without renumbering text already sent.
        """
        if self._originals:
            raise ValueError("this conversation has issued placeholders already")
        highest: dict[str, int] = {}
        for entry in entries:
            table = self._kind(entry.kind)
            placeholder = entry.placeholder
            table.by_key.setdefault(entry.key, placeholder)
            table.by_value.setdefault(entry.original, placeholder)
            self._originals[placeholder[1:-1]] = entry.original
            highest[entry.kind] = max(highest.get(entry.kind, 0), entry.number)
        for placeholder in reserved:
            kind, number = _split(placeholder.strip("<>"))
            highest[kind] = max(highest.get(kind, 0), number)
        for kind, number in highest.items():
            self._kind(kind).counter = itertools.count(number + 1)

    def __len__(self) -> int:
        return len(self._originals)

    def __repr__(self) -> str:
        return f"<PlaceholderVault with {len(self)} placeholders>"

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError("the placeholder mapping holds secrets and must stay in memory")
