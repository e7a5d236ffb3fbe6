"""Counts read as English: "1 event", "1 log group", "2 events"."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from logai.config import load_settings
from logai.sources.files import FilesSource
from logai.tools.base import ToolContext
from logai.tools.log_tools import FetchLogsArgs, ListLogGroupsArgs, SearchLogsArgs
from logai.tools.log_tools import fetch_logs as fetch_tool
from logai.tools.log_tools import list_log_groups as list_tool
from logai.tools.log_tools import search_logs as search_tool
from logai.wording import counted


@pytest.mark.parametrize(
    ("number", "noun", "plural", "text"),
    [(0, "event", None, "0 events"), (1, "event", None, "1 event"), (2, "entry", "entries",
     "2 entries"), (1, "entry", "entries", "1 entry")],
)  # fmt: skip
def test_counted(number: int, noun: str, plural: str | None, text: str) -> None:
    assert counted(number, noun, plural) == text


def test_tool_summaries_of_one(tmp_path: Path) -> None:
    (tmp_path / "app.log").write_text("2026-11-25T10:00:00Z ERROR only one\n")
    context = ToolContext(load_settings(), source=FilesSource(tmp_path))
    start = "2026-11-25T00:00:00Z"

    async def main() -> list[str]:
        fetched = await fetch_tool.run(
            FetchLogsArgs(log_group="app.log", start_time=start), context
        )
        listed = await list_tool.run(ListLogGroupsArgs(), context)
        found = await search_tool.run(
            SearchLogsArgs(pattern="ERROR", log_groups=["app.log"], start_time=start), context
        )
        return [fetched.summary, listed.summary, found.summary, fetched.header]

    fetched, listed, found, header = asyncio.run(main())
    assert fetched == "1 event"
    assert listed == "1 log group"
    assert found == "1 event in 1 group"
    assert header.endswith(": 1 event")
