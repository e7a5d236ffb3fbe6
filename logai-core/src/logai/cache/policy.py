"""How long cached data is trusted: settled ranges for days, live ones for about a minute.

Events in a range that ended more than the source's ingestion delay ago will not change, so they
can be kept until the size cap pushes them out. The part of a fetch that had not settled yet may
still gain late events: it is served for the live TTL after its fetch and then dropped (see
:mod:`logai.cache.coverage`). Group listings change rarely but do change, so they sit in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logai.config import LogAISettings

__all__ = ["CachePolicy"]


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """Time-to-live of each kind of cached data (seconds)."""

    live_ttl: float = 60.0
    immutable_ttl: float = 7 * 86_400.0
    listing_ttl: float = 600.0

    @classmethod
    def from_settings(cls, settings: LogAISettings) -> CachePolicy:
        """The policy configured by ``LOGAI_CACHE_TTL_*``."""
        return cls(
            live_ttl=settings.cache_ttl_live_seconds,
            immutable_ttl=settings.cache_ttl_immutable_seconds,
            listing_ttl=settings.cache_ttl_listing_seconds,
        )
