"""An example data source: a small demo shop whose logs are generated on the fly.

Every minute each service logs one line; checkout fails every seventh minute. The events are a
pure function of the time, so any range can be fetched and the answers are reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from logai import hookimpl
from logai.sources import DataSource, LogEvent, LogGroup, SourceNotFound

SERVICES = {
    "/demo/checkout": ("checkout completed order={n} total=42.00", "payment declined order={n}"),
    "/demo/payments": ("charge ok id=ch_{n}", "gateway timeout after 30000 ms id=ch_{n}"),
}


def _minutes(start: datetime, end: datetime) -> Iterator[datetime]:
    moment = start.replace(second=0, microsecond=0)
    if moment < start:
        moment += timedelta(minutes=1)
    while moment <= end:
        yield moment
        moment += timedelta(minutes=1)


class DemoSource(DataSource):
    """Generated logs for two services."""

    name = "demo"

    def __init__(self, settings: Any = None) -> None:
        self.settings = settings

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        names = sorted(name for name in SERVICES if name.startswith(prefix or ""))
        return [LogGroup(name) for name in names[:limit]]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        if group not in SERVICES:
            raise SourceNotFound(f"No demo log group '{group}'.", name=group)
        ok, failed = SERVICES[group]
        events = []
        for moment in _minutes(start.astimezone(UTC), end.astimezone(UTC)):
            n = int(moment.timestamp()) // 60
            message = (failed if n % 7 == 0 else ok).format(n=n)
            if filter_pattern and filter_pattern not in message:
                continue
            events.append(LogEvent(moment, message, group, "demo", f"{group}:{n}"))
            if len(events) >= limit:
                break
        return events

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
        targets = set(groups) | {g for g in SERVICES if any(g.startswith(p) for p in prefixes)}
        found: list[LogEvent] = []
        for group in sorted(targets):
            found += await self.fetch_logs(group, start, end, pattern, limit)
        return sorted(found, key=lambda event: event.timestamp)[:limit]

    def describe(self) -> str:
        return "demo shop (generated logs)"


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("demo", DemoSource)
