"""Which origins a source may read during one guarded call: the guardrails, handed down.

:class:`~logai.sources.guard.GuardedSource` filters what comes back, but a source that reads
many files for one group (a folder or glob of the ``files`` source) would still open a denied
file, and say things about it in its notes: its name when it is skipped, the time of its
newest line when nothing is in the range. Around each call it makes, the guard therefore sets
a check here (a context variable, so it follows the call into worker threads and is gone after
it), and the ``files`` source asks it about every file before looking at it: a denied one is
treated as absent. Outside a guarded call everything may be read.

Only a source that cannot be cached may ask (the ``files`` source): an answer shaped by one set
of rules must never be served under another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["may_read", "reading_only"]

#: ``(name, real name) -> allowed``: the name a file is reached by and the one it really has.
Check = Callable[[str, str], bool]

_check: ContextVar[Check | None] = ContextVar("logai_source_reach", default=None)


def may_read(name: str, real: str) -> bool:
    """Whether the call being made may read the origin ``name``, which really is ``real``."""
    check = _check.get()
    return check is None or check(name, real)


def guarded() -> bool:
    """Whether a check is in force (a source may skip computing real names otherwise)."""
    return _check.get() is not None


@contextmanager
def reading_only(check: Check) -> Iterator[None]:
    """Within the block, only what ``check`` allows may be read (and what any outer check
    allows: checks nest, they never widen)."""
    outer = _check.get()
    combined: Check = check if outer is None else lambda n, r: outer(n, r) and check(n, r)
    token = _check.set(combined)
    try:
        yield
    finally:
        _check.reset(token)
