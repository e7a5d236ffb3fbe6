"""Pick the existing log group names a misspelt one most likely meant.

Plain ``difflib`` over whole names is fooled by the long prefixes groups share: ``/aws/lambda/api``
and ``/aws/lambda/web`` look 80 % alike. So siblings (same path up to the last ``/``) are
compared by their last segment, and other names by the whole name with a stricter cutoff.
Names that merely extend what was typed (a partial name) come first, then names that end with
it (``checkout-service`` typed, ``/aws/lambda/checkout-service`` meant). A bare name, with no
``/``, is also compared with the last segment of every group, wherever it lives.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

SIBLING_CUTOFF = 0.6
OTHER_CUTOFF = 0.8


def _split(name: str) -> tuple[str, str]:
    parent, _, leaf = name.rstrip("/").rpartition("/")
    return parent, leaf


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def closest_names(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` candidates, best first; case-insensitive; never ``name`` itself."""
    wanted = name.lower()
    parent, leaf = _split(wanted)
    bare = "/" not in wanted.strip("/")
    extending: list[str] = []
    ending: list[str] = []
    scored: list[tuple[float, str]] = []
    for candidate in dict.fromkeys(candidates):
        lowered = candidate.lower()
        if candidate == name:
            continue
        if lowered.startswith(wanted):  # a partial name, or a difference of case only
            extending.append(candidate)
            continue
        if wanted.strip("/") and lowered.endswith("/" + wanted.strip("/")):
            ending.append(candidate)  # the name without its path
            continue
        other_parent, other_leaf = _split(lowered)
        if (other_parent == parent or bare) and leaf:
            score = _ratio(leaf, other_leaf)
            if score >= SIBLING_CUTOFF:
                scored.append((score, candidate))
        else:
            score = _ratio(wanted, lowered)
            if score >= OTHER_CUTOFF:
                scored.append((score, candidate))
    scored.sort(key=lambda item: -item[0])  # stable: ties keep listing order
    picks = sorted(extending, key=len)[:n] + sorted(ending, key=len)[:n]
    picks += [candidate for _, candidate in scored]
    return picks[:n]
