"""A small but real third-party plugin: an in-memory data source and a ``hello`` command."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import click

from logai import hookimpl
from logai.sources import DataSource, LogEvent, LogGroup, SourceNotFound

EVENTS = {
    "/example/app": [
        LogEvent(datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "app started", "/example/app", "s", "1"),
        LogEvent(datetime(2026, 1, 1, 12, 5, tzinfo=UTC), "ERROR boom", "/example/app", "s", "2"),
    ]
}


class ExampleSource(DataSource):
    name = "example"

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return [LogGroup(name) for name in sorted(EVENTS) if name.startswith(prefix or "")][:limit]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        if group not in EVENTS:
            raise SourceNotFound(f"no group {group}", name=group)
        return [
            e
            for e in EVENTS[group]
            if start <= e.timestamp <= end and (not filter_pattern or filter_pattern in e.message)
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
        found: list[LogEvent] = []
        for group in groups:
            found += await self.fetch_logs(group, start, end, pattern, limit)
        return found[:limit]


CALLS: list[str] = []


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    CALLS.append("register_data_sources")
    register("example", ExampleSource)


@hookimpl
def register_commands(cli: click.Group) -> None:
    @cli.command("hello")
    def hello() -> None:
        """Say hello from the example plugin."""
        click.echo("hello from logai-example-plugin")
