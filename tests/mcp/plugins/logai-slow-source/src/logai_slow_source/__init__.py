"""A data source whose fetches wait forever: for proving that a cancelled MCP call stops it.

It writes ``started`` and then, when the fetch is cancelled, ``cancelled`` into the folder named
by ``LOGAI_TEST_MARKERS``: the test, in another process, watches for them.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from logai import hookimpl
from logai.sources import DataSource, LogEvent, LogGroup


def _mark(name: str) -> None:
    (Path(os.environ["LOGAI_TEST_MARKERS"]) / name).write_text(name)


class SlowSource(DataSource):
    name = "slow"

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return [LogGroup("/slow")]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        _mark("started")
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            _mark("cancelled")
            raise
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
        return await self.fetch_logs("/slow", start, end, pattern, limit)


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("slow", SlowSource)
