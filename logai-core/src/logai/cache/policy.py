"""How long an entry stays fresh: settled ranges for days, live ones for about a minute.

Events in a range that ended more than the source's ingestion delay ago will not change, so they
can be kept until the size cap pushes them out. A range touching "now" is stale as soon as new
events arrive; group listings change rarely but do change, so they sit in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logai.cache.window import Window
    from logai.config import LogAISettings

__all__ = ["CachePolicy"]


@dataclass(frozen=True, slots=True)
class CachePolicy:
    """Time-to-live of each kind of entry, and the bucket live ranges are rounded to (seconds)."""

    live_ttl: float = 60.0
    immutable_ttl: float = 7 * 86_400.0
    listing_ttl: float = 600.0
    bucket: float = 60.0

    @classmethod
    def from_settings(cls, settings: LogAISettings) -> CachePolicy:
        """The policy configured by ``LOGAI_CACHE_TTL_*`` and ``LOGAI_CACHE_BUCKET_SECONDS``."""
        return cls(
            live_ttl=settings.cache_ttl_live_seconds,
            immutable_ttl=settings.cache_ttl_immutable_seconds,
            listing_ttl=settings.cache_ttl_listing_seconds,
            bucket=settings.cache_bucket_seconds,
        )

    def ttl_for(self, window: Window) -> float:
        """TTL of events or query results over ``window``."""
        return self.live_ttl if window.live else self.immutable_ttl
