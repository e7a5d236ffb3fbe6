"""What ``logai cache status`` reports, as one value object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["CacheStats", "format_bytes"]


@dataclass(frozen=True, slots=True)
class CacheStats:
    """Size and effectiveness of a cache file at one moment."""

    path: Path
    entries: int = 0
    expired: int = 0
    bytes: int = 0
    """Compressed payload bytes: what the size cap counts."""
    raw_bytes: int = 0
    """The same payloads uncompressed."""
    max_bytes: int = 0
    file_bytes: int = 0
    """Database plus write-ahead log on disk (includes free pages and indexes)."""
    hits: int = 0
    misses: int = 0
    oldest: datetime | None = None
    newest: datetime | None = None
    problem: str | None = None
    """Why the cache is unusable, when it is."""

    @property
    def hit_rate(self) -> float | None:
        """Hits over lookups since the last clear; None before the first lookup."""
        lookups = self.hits + self.misses
        return self.hits / lookups if lookups else None

    @property
    def compression_ratio(self) -> float | None:
        """Uncompressed over compressed bytes; None when empty."""
        return self.raw_bytes / self.bytes if self.bytes else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form for ``logai cache status --json``."""
        return {
            "path": str(self.path),
            "entries": self.entries,
            "expired": self.expired,
            "bytes": self.bytes,
            "raw_bytes": self.raw_bytes,
            "max_bytes": self.max_bytes,
            "file_bytes": self.file_bytes,
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": self.hit_rate,
            "oldest": self.oldest.isoformat() if self.oldest else None,
            "newest": self.newest.isoformat() if self.newest else None,
            "problem": self.problem,
        }


def format_bytes(count: int) -> str:
    """``1536`` → ``1.5 KB``: binary units, one decimal, for humans."""
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover - loop always returns
