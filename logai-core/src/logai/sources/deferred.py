"""Close-name suggestions computed only when someone will read them.

A source that cannot find a group lists its groups to suggest close names ("did you mean …"),
which costs calls. A caller that may throw the error away (a set of targets asking each target
for a plain name, where one target holding it is enough) opens a :func:`suggestions_deferred`
block; a source that sees :func:`deferring` then raises :class:`SourceNotFound` without
suggestions and with ``complete`` set, and the caller awaits :func:`completed` only for the
errors it reports. Sources that ignore this simply suggest at once, as before: the result is
the same message either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from logai.sources.base import SourceNotFound

__all__ = ["completed", "deferring", "suggestions_deferred"]

_deferred: ContextVar[bool] = ContextVar("logai_suggestions_deferred", default=False)


@contextmanager
def suggestions_deferred(deferred: bool = True) -> Iterator[None]:
    """Let source calls made (and tasks created) inside the block leave suggestions for later
    (or, with ``deferred=False``, not: suggest at once)."""
    token = _deferred.set(deferred)
    try:
        yield
    finally:
        _deferred.reset(token)


def deferring() -> bool:
    """Whether the current call may leave a :class:`SourceNotFound`'s suggestions for later."""
    return _deferred.get()


async def completed(error: SourceNotFound) -> SourceNotFound:
    """``error`` with its suggestions: built now if they were deferred, else ``error`` itself."""
    if error.complete is None:
        return error
    with suggestions_deferred(False):
        return await error.complete()
