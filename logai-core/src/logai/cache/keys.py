"""Canonical cache keys: the same question gives the same key however it was phrased.

Every normalisation here is also applied to the request actually sent to the source (the cached
data must match its key), so each one is chosen to be meaning-preserving for the backend:
surrounding whitespace, whitespace runs *outside* quoted text, the order and duplicates of group
names and prefixes, and a group already covered by a requested prefix. Text inside quotes,
``%regex%`` and ``/regex/`` literals and ``#`` comments is left byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping

__all__ = [
    "KEY_VERSION",
    "canonical_groups",
    "canonical_name",
    "canonical_pattern",
    "canonical_prefixes",
    "canonical_query",
    "make_key",
]

#: Bump when the meaning of a key changes, so old entries are simply never found again.
KEY_VERSION = 1

# Literal delimiters: whitespace inside them is data, not layout.
_FILTER_LITERALS = {'"': '"', "%": "%"}
_QUERY_LITERALS = {'"': '"', "'": "'", "`": "`", "/": "/"}


def _collapse_outside_literals(
    text: str, literals: Mapping[str, str], line_comment: str | None = None
) -> str:
    """Collapse whitespace runs to one space, except inside literals and line comments.

    An unterminated literal keeps the rest of the text verbatim: being conservative can only
    cost a cache miss, never change what the backend is asked.
    """
    out: list[str] = []
    closing: str | None = None
    in_comment = False
    pending_space = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_comment:
            out.append(char)
            in_comment = char != "\n"
        elif closing is not None:
            out.append(char)
            if char == "\\" and index + 1 < len(text):
                index += 1
                out.append(text[index])
            elif char == closing:
                closing = None
        elif char.isspace():
            pending_space = True
        else:
            if pending_space and out:
                out.append(" ")
            pending_space = False
            out.append(char)
            if char in literals:
                closing = literals[char]
            elif line_comment is not None and char == line_comment:
                in_comment = True
        index += 1
    return "".join(out).strip()


def canonical_name(name: str) -> str:
    """A group name without surrounding whitespace."""
    return name.strip()


def canonical_pattern(pattern: str | None) -> str | None:
    """A filter pattern with layout whitespace normalised; blank means no filter (None)."""
    if pattern is None:
        return None
    collapsed = _collapse_outside_literals(pattern, _FILTER_LITERALS)
    return collapsed or None


def canonical_query(query: str) -> str:
    """A server-side query (Logs Insights and the like) with layout whitespace normalised."""
    unified = query.replace("\r\n", "\n").replace("\r", "\n")
    return _collapse_outside_literals(unified, _QUERY_LITERALS, line_comment="#")


def canonical_prefixes(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Sorted, de-duplicated prefixes, dropping any that a shorter one already covers."""
    kept: list[str] = []
    for prefix in sorted({canonical_name(p) for p in prefixes}):
        # Sorted order puts "app/" before "app/api", so one look at the last kept suffices.
        if kept and prefix.startswith(kept[-1]):
            continue
        kept.append(prefix)
    return tuple(kept)


def canonical_groups(groups: Iterable[str], prefixes: Iterable[str] = ()) -> tuple[str, ...]:
    """Sorted, de-duplicated, non-blank group names not already covered by ``prefixes``."""
    names = {canonical_name(g) for g in groups} - {""}
    return tuple(sorted(n for n in names if not any(n.startswith(p) for p in prefixes)))


def make_key(namespace: str, kind: str, params: Mapping[str, object]) -> str:
    """A stable key for one request: SHA-256 of its canonical JSON form.

    Hashing keeps the key short and keeps group names and filter text out of the key column;
    ``namespace`` separates sources (and accounts, regions, endpoints) that share a cache file.
    """
    document = {"v": KEY_VERSION, "ns": namespace, "kind": kind, "params": params}
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
