"""The in-memory map between sensitive values and their placeholders.

It exists only inside one :class:`~logai.sanitize.Sanitizer` (one conversation): it is never
written to the cache, a file, a log or an LLM request, never shown by ``repr`` and refuses to be
pickled or copied, so a careless ``logger.debug(sanitizer.__dict__)`` or a cache that pickles
its arguments cannot leak it.
"""

from __future__ import annotations

import re
import threading
from typing import NoReturn

_PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*_[0-9]+)>")


class PlaceholderVault:
    """Hands out ``<KIND_n>`` placeholders: the same value always gets the same one."""

    __slots__ = ("_by_key", "_by_value", "_counters", "_lock", "_originals")

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        #: the same, by the value as written: skips normalizing values seen before
        self._by_value: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        # Frontends may sanitize from worker threads; numbering must not hand one placeholder
        # to two values.
        self._lock = threading.Lock()

    def known(self, kind: str, value: str) -> str | None:
        """The placeholder already given to ``value`` exactly as written, if any."""
        return self._by_value.get((kind, value))

    def placeholder(self, kind: str, key: str, original: str) -> str:
        """The placeholder of ``key`` within ``kind``, allocating the next number if new.

        ``key`` decides identity (a card's bare digits); ``original`` is what :meth:`restore`
        gives back: the form first seen.
        """
        found = self._by_key.get((kind, key))
        if found is not None:
            self._by_value[(kind, original)] = found
            return found
        with self._lock:
            found = self._by_key.get((kind, key))
            if found is None:
                number = self._counters.get(kind, 0) + 1
                self._counters[kind] = number
                found = f"<{kind}_{number}>"
                self._by_key[(kind, key)] = found
                self._originals[found[1:-1]] = original
            self._by_value[(kind, original)] = found
        return found

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
