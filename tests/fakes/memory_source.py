"""An in-memory data source for tests that are about something else (the orchestrator, tools).

It honours the DataSource contract closely enough for the tool layer: sorted events, inclusive
ranges, a plain substring filter, limits, and SourceNotFound with suggestions.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Sequence
from datetime import datetime

from logai.sources import DataSource, LogEvent, LogGroup, SourceNotFound


class MemorySource(DataSource):
    name = "memory"

    def __init__(self, events: Sequence[LogEvent], *, delay: float = 0.0) -> None:
        self.events = sorted(events, key=lambda event: event.timestamp)
        self.groups = sorted({event.group for event in events})
        self.delay = delay
        self.calls: list[tuple[str, object]] = []
        self.barrier: asyncio.Barrier | None = None

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        self.calls.append(("list", prefix))
        return [LogGroup(g) for g in self.groups if g.startswith(prefix or "")][:limit]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        self.calls.append(("fetch", (group, filter_pattern)))
        if self.barrier is not None:
            await self.barrier.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if group not in self.groups:
            close = difflib.get_close_matches(group, self.groups, n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise SourceNotFound(
                f"Log group '{group}' does not exist.{hint}", name=group, suggestions=close
            )
        return [
            e
            for e in self.events
            if e.group == group
            and start <= e.timestamp <= end
            and (not filter_pattern or filter_pattern in e.message)
        ][:limit]

    async def search_logs(
        self,
        groups: Sequence[str],
        pattern: str,
        start: datetime,
        end: datetime,
        limit: int = 1000,
        *,
        prefixes: Sequence[str] = (),
    ) -> list[LogEvent]:
        targets = set(groups) | {g for g in self.groups if any(g.startswith(p) for p in prefixes)}
        found: list[LogEvent] = []
        for group in sorted(targets):
            found += await self.fetch_logs(group, start, end, pattern, limit)
        return sorted(found, key=lambda event: event.timestamp)[:limit]
