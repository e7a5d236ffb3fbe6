"""``logai mcp`` over stdio, driven by the official SDK's client, against moto over HTTP.

One child process per test: the real entry point (``python -m logai mcp``), boto3 to moto on
127.0.0.1, the cache in the test's folder. Planted PII must never reach the client.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import mcp_types as types
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.mcp.conftest import GROUP, JANE, PLANTED

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

CORE_TOOLS = {"list_log_groups", "fetch_logs", "search_logs", "query_logs"}


def _server(env: dict[str, str]) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable, args=["-m", "logai", "mcp"], env=env)


def _text(result: types.CallToolResult) -> str:
    return "\n".join(item.text for item in result.content if isinstance(item, types.TextContent))


def _assert_clean(text: str) -> None:
    for value in PLANTED:
        assert value not in text


async def _call(client: Client, name: str, arguments: dict[str, Any]) -> tuple[str, bool]:
    result = await client.call_tool(name, arguments)
    text = _text(result)
    _assert_clean(text)
    return text, bool(result.is_error)


async def test_tools_results_placeholders_and_errors(child_env: dict[str, str]) -> None:
    from logai.tools.log_tools import CORE_TOOLS as CHAT_TOOLS
    from logai.tools.registry import ToolRegistry  # the chat's schemas, for comparison

    async with Client(_server(child_env), read_timeout_seconds=60) as client:
        listed = await client.list_tools()
        tools = {tool.name: tool for tool in listed.tools}
        assert set(tools) >= CORE_TOOLS
        for chat_tool in ToolRegistry(CHAT_TOOLS).specs():
            assert tools[chat_tool.name].input_schema == chat_tool.parameters

        groups, is_error = await _call(client, "list_log_groups", {})
        assert not is_error and GROUP in groups

        recent = {"log_group": GROUP, "start_time": "1h"}
        first, is_error = await _call(client, "fetch_logs", recent)
        assert not is_error
        assert "ERROR card declined for <EMAIL_1>" in first
        assert "ERROR payment timeout for <EMAIL_1>" in first
        assert "<CREDIT_CARD_1>" in first and "<AWS_ACCESS_KEY_1>" in first
        bob = re.search(r"login ok for (<EMAIL_\d+>)", first)
        assert bob is not None and bob.group(1) != "<EMAIL_1>"

        again, _ = await _call(client, "fetch_logs", recent)
        assert "ERROR card declined for <EMAIL_1>" in again
        assert f"login ok for {bob.group(1)}" in again

        # The agent only knows <EMAIL_1>; LogAI filters on the real value locally.
        filtered, is_error = await _call(
            client,
            "fetch_logs",
            {"log_group": GROUP, "start_time": "1h", "filter_pattern": '"<EMAIL_1>"'},
        )
        assert not is_error
        assert "card declined for <EMAIL_1>" in filtered
        assert "payment timeout for <EMAIL_1>" in filtered
        assert "login ok" not in filtered

        missing, is_error = await _call(
            client, "fetch_logs", {"log_group": "/aws/lambda/checkou", "start_time": "1h"}
        )
        assert is_error
        assert "/aws/lambda/checkou" in missing and GROUP in missing  # the suggestion

        unknown, is_error = await _call(client, "drop_table", {})
        assert is_error and "Unknown tool" in unknown

        invalid, is_error = await _call(client, "fetch_logs", {"log_group": GROUP, "limit": 0})
        assert is_error and "Invalid arguments for fetch_logs" in invalid
    assert JANE  # planted values were checked on every result above
