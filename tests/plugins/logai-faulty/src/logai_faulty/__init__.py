"""Plugins that load fine and fail when used: each module makes one mistake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from logai.sources import DataSource, LogEvent, LogGroup


class QuietSource(DataSource):
    """A correct source the faulty ones start from."""

    name = "quiet"
    cacheable = False

    def __init__(self, settings: Any = None) -> None:
        self.settings = settings

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return [LogGroup("/quiet")]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        return []

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
        return []
