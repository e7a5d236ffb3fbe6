"""``logai cache status|clear``: how big and how useful the local cache is, and emptying it.

Neither command creates a cache file that does not exist yet: looking must not leave traces.
Both work with ``LOGAI_CACHE_ENABLED=false`` too, so a user who turned the cache off can still
see and delete what an earlier session stored.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from logai.cache import CacheStats, LogCache
    from logai.config import LogAISettings


def _open(settings: LogAISettings, problems: list[str]) -> LogCache:
    from logai.cache import open_cache

    return open_cache(settings, warn=problems.append)


async def _read_stats(cache: LogCache) -> CacheStats:
    try:
        return await cache.stats()
    finally:
        await cache.aclose()


async def _clear(cache: LogCache) -> tuple[int, int]:
    try:
        before = await cache.size()
        return await cache.clear(), before
    finally:
        await cache.aclose()


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


def _print_stats(stats: CacheStats, enabled: bool) -> None:
    from logai.cache.stats import format_bytes

    if stats.problem:
        state = f"unusable: {stats.problem}"
    else:
        state = "enabled" if enabled else "disabled (LOGAI_CACHE_ENABLED=false)"
    rate = "-" if stats.hit_rate is None else f"{stats.hit_rate:.1%}"
    compression = stats.compression_ratio
    # Tiny payloads grow under zlib; a "0.4x compressed" line would only confuse.
    ratio = f", {compression:.1f}x compressed" if compression and compression >= 1 else ""
    expired = f" ({stats.expired} expired, removed at the next sweep)" if stats.expired else ""
    rows = [
        ("Cache file", str(stats.path)),
        ("Status", state),
        ("Entries", f"{stats.entries}{expired}"),
        (
            "Size",
            f"{format_bytes(stats.bytes)} of {format_bytes(stats.max_bytes)}"
            f" (file on disk {format_bytes(stats.file_bytes)}{ratio})",
        ),
        ("Hit rate", f"{rate} ({stats.hits} hits, {stats.misses} misses)"),
        ("Oldest", _when(stats.oldest)),
        ("Newest", _when(stats.newest)),
    ]
    for label, value in rows:
        click.echo(f"{label:<11} {value}")


@click.group("cache")
def cache() -> None:
    """Inspect or empty the local cache of fetched logs (LOGAI_CACHE_DIR)."""


@cache.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def status(as_json: bool) -> None:
    """Entries, size, hit rate, oldest and newest entry of the cache."""
    from logai.cache import DB_FILENAME, CacheStats
    from logai.cli._common import load_settings_or_exit

    settings = load_settings_or_exit()
    path = settings.cache_dir / DB_FILENAME
    problems: list[str] = []
    if path.exists():
        stats = asyncio.run(_read_stats(_open(settings, problems)))
    else:
        stats = CacheStats(path=path, max_bytes=settings.cache_max_mb * 1024 * 1024)
    for problem in problems:
        click.echo(f"logai: warning: {problem}", err=True)
    if as_json:
        click.echo(json.dumps({**stats.to_dict(), "enabled": settings.cache_enabled}, indent=2))
    else:
        _print_stats(stats, settings.cache_enabled)
    if stats.problem:
        sys.exit(1)


@cache.command("clear")
def clear() -> None:
    """Delete every cached entry (and damaged files moved aside earlier)."""
    from logai.cache import DB_FILENAME
    from logai.cache.stats import format_bytes
    from logai.cli._common import load_settings_or_exit

    settings = load_settings_or_exit()
    path = settings.cache_dir / DB_FILENAME
    if not path.exists():
        click.echo(f"The cache is already empty (no file at {path}).")
        return
    problems: list[str] = []
    cache_ = _open(settings, problems)
    removed, size = asyncio.run(_clear(cache_))
    for problem in problems:
        click.echo(f"logai: warning: {problem}", err=True)
    if cache_.problem:
        click.echo(f"logai: could not clear the cache at {path}: {cache_.problem}", err=True)
        sys.exit(1)
    noun = "entry" if removed == 1 else "entries"
    click.echo(f"Removed {removed} {noun} ({format_bytes(size)}) from {path}.")
