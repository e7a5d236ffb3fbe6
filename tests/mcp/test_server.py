"""The MCP server in process, through the SDK's own client: sanitizer per session, fail
closed, reduction, progress and cancellation. The data source is an in-memory one."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from logai.config import load_settings
from logai.sources import LogEvent
from logai.tools.base import ToolResult
from logai.tools.fit import render_result
from logai_mcp.server import SessionTable, build_server
from logai_mcp.service import LogToolsService
from tests.conftest import InstallPlugins
from tests.fakes.memory_source import MemorySource

GROUP = "/app/api"
NOW = datetime.now(UTC)


def _events(messages: list[str]) -> list[LogEvent]:
    start = NOW - timedelta(minutes=10)
    return [
        LogEvent(timestamp=start + timedelta(seconds=i), message=m, group=GROUP, stream="s")
        for i, m in enumerate(messages)
    ]


def _text(result: types.CallToolResult) -> str:
    return "\n".join(item.text for item in result.content if isinstance(item, types.TextContent))


class SlowSource(MemorySource):
    """Blocks every fetch until cancelled, and says whether it was."""

    def __init__(self, events: list[LogEvent]) -> None:
        super().__init__(events)
        self.started = asyncio.Event()
        self.cancelled = asyncio.Event()

    async def fetch_logs(self, *args: Any, **kwargs: Any) -> list[LogEvent]:
        self.started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        return []


def _service(source: MemorySource, **overrides: Any) -> LogToolsService:
    return LogToolsService(load_settings(**overrides), source=source)


async def test_each_session_has_its_own_placeholders() -> None:
    source = MemorySource(_events(["a bob@example.com", "b jane@example.com"]))
    service = _service(source)
    first, second = service.open_session(), service.open_session()

    one = await first.call("fetch_logs", {"log_group": GROUP, "start_time": "1h"})
    other = await second.call("fetch_logs", {"log_group": GROUP, "filter_pattern": "b jane"})
    again = await first.call("fetch_logs", {"log_group": GROUP, "filter_pattern": "b jane"})

    assert "a <EMAIL_1>" in one.text and "b <EMAIL_2>" in one.text
    assert "b <EMAIL_1>" in other.text  # numbered afresh, not continued from the first session
    assert "b <EMAIL_2>" in again.text  # the first session's mapping is unchanged
    await first.call("fetch_logs", {"log_group": GROUP, "filter_pattern": "<EMAIL_2>"})
    assert source.calls[-1] == ("fetch", (GROUP, "jane@example.com"))


async def test_a_broken_rule_pack_refuses_every_call(install_test_plugins: InstallPlugins) -> None:
    install_test_plugins("logai-rules-raises")
    source = MemorySource(_events(["a bob@example.com"]))

    async with Client(build_server(_service(source))) as client:
        listed = await client.list_tools()
        result = await client.call_tool("fetch_logs", {"log_group": GROUP})

    assert "fetch_logs" in {tool.name for tool in listed.tools}
    assert result.is_error
    assert "sanitizer could not be built" in _text(result)
    assert "bob@example.com" not in _text(result)
    assert source.calls == []  # refused before the source was asked


async def test_results_are_reduced_like_the_chat() -> None:
    messages = [f"worker {i % 7} failed job {i} for user{i}@example.com" for i in range(400)]
    source = MemorySource(_events(messages))
    service = _service(source, tool_result_max_tokens=600)

    async with Client(build_server(service)) as client:
        result = await client.call_tool("fetch_logs", {"log_group": GROUP, "start_time": "1h"})

    text = _text(result)
    events = await source.fetch_logs(GROUP, NOW - timedelta(hours=1), NOW)
    header = text.split("\n", 1)[0]
    expected, _ = render_result(ToolResult(events=events, header=header), 600)
    session = service.open_session().conversation()
    assert text == session.redact(expected)
    assert "example.com" not in text
    assert len(text) < len("\n".join(messages)) / 3


async def test_cancelling_a_call_cancels_the_source() -> None:
    source = SlowSource(_events(["x"]))

    async with Client(build_server(_service(source))) as client:
        call = asyncio.create_task(client.call_tool("fetch_logs", {"log_group": GROUP}))
        await asyncio.wait_for(source.started.wait(), 30)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        await asyncio.wait_for(source.cancelled.wait(), 30)
        # The server is still serving.
        assert (await client.list_tools()).tools


async def test_long_calls_report_progress() -> None:
    source = MemorySource(_events(["slow line"]), delay=0.5)
    seen: list[tuple[float, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, message))

    server = build_server(_service(source), progress_interval=0.05)
    async with Client(server) as client:
        result = await client.call_tool(
            "fetch_logs", {"log_group": GROUP, "start_time": "1h"}, progress_callback=on_progress
        )

    assert "slow line" in _text(result)
    assert seen, "no progress notification arrived"
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert all(message and "fetch_logs running" in message for _, message in seen)


def test_the_session_table_forgets_the_least_recently_used() -> None:
    table = SessionTable(_service(MemorySource(_events(["x"]))), limit=2)
    first, second = table.get("a"), table.get("b")
    assert table.get("a") is first  # used again: now the most recent
    table.get("c")  # so "b" is the one forgotten
    assert table.get("a") is first
    assert table.get("b") is not second


async def test_the_incident_prompt_is_offered_and_sanitized() -> None:
    async with Client(build_server(_service(MemorySource(_events(["x"]))))) as client:
        prompts = await client.list_prompts()
        got = await client.get_prompt(
            "investigate_incident",
            {"symptom": "checkout fails for jane@example.com", "log_group": "/aws/lambda/"},
        )
        with pytest.raises(MCPError, match="Unknown prompt"):
            await client.get_prompt("nope", {})

    assert [prompt.name for prompt in prompts.prompts] == ["investigate_incident"]
    content = got.messages[0].content
    assert isinstance(content, types.TextContent)
    assert "checkout fails for <EMAIL_1>" in content.text
    assert "jane@example.com" not in content.text
    assert "/aws/lambda/" in content.text and "search_logs" in content.text


async def test_log_groups_are_resources_with_sanitized_names() -> None:
    personal = "/tenants/jane@example.com"
    tenant = LogEvent(
        timestamp=NOW - timedelta(minutes=1), message="tenant line", group=personal, stream="s"
    )
    events = [*_events(["api line"]), tenant]
    async with Client(build_server(_service(MemorySource(events)))) as client:
        listed = await client.list_resources()
        by_name = {resource.name: str(resource.uri) for resource in listed.resources}
        read = await client.read_resource(by_name["/tenants/<EMAIL_1>"])
        with pytest.raises(MCPError, match="does not exist"):
            await client.read_resource("logai://log-group/%2Fnope")
        with pytest.raises(MCPError, match="Unknown resource"):
            await client.read_resource("file:///etc/passwd")

    assert set(by_name) == {GROUP, "/tenants/<EMAIL_1>"}
    assert "jane@example.com" not in json.dumps(by_name)
    content = read.contents[0]
    assert isinstance(content, types.TextResourceContents)
    assert "tenant line" in content.text and "jane@example.com" not in content.text


async def test_a_source_that_cannot_be_created_is_an_error_not_a_crash() -> None:
    service = LogToolsService(load_settings(), source_name="no-such-source")

    async with Client(build_server(service)) as client:
        with pytest.raises(MCPError, match="data source is unavailable"):
            await client.list_tools()
        result = await client.call_tool("fetch_logs", {"log_group": GROUP})
        assert (await client.list_prompts()).prompts  # still serving

    assert result.is_error
    assert "data source is unavailable" in _text(result) and "no-such-source" in _text(result)
