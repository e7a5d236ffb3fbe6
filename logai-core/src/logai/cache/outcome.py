"""What the cache did for the most recent data-source call, for "cache hit" badges.

The tool layer reads :data:`cache_outcome` right after awaiting a source method: a ContextVar set
inside an awaited coroutine is visible to the awaiting caller in the same task, so concurrent
tool calls running as separate tasks never see each other's outcome.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Literal

__all__ = ["CacheOutcome", "cache_outcome"]

#: ``hit``: answered from the cache. ``miss``: fetched from the source and stored.
#: ``bypass``: the cache is off or unusable, the source answered. ``error``: the cache failed
#: during this very call (one warning was shown) and the source answered.
CacheOutcome = Literal["hit", "miss", "bypass", "error"]

#: Outcome of the latest cached call in this context; None when no cache layer was involved.
cache_outcome: ContextVar[str | None] = ContextVar("logai_cache_outcome", default=None)
