"""The MCP tools and resources over two AWS accounts and two regions (moto over HTTP), with
log group guardrails: an agent sees the targets and never reaches a denied group."""

from __future__ import annotations

from collections.abc import Iterator

import mcp_types as types
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from logai.config import load_settings
from logai_cloudwatch.session import forget_accounts
from logai_mcp.server import build_server
from logai_mcp.service import LogToolsService
from tests.fakes.aws_world import SECRET, SHARED, TARGETS_VALUE, World, seed_world
from tests.fakes.moto_server import MotoServer

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]


@pytest.fixture
def world(moto_endpoint: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    forget_accounts()
    seeded = seed_world(moto_endpoint)
    monkeypatch.setenv("LOGAI_AWS_TARGETS", TARGETS_VALUE)
    monkeypatch.setenv("LOGAI_LOG_GROUPS_DENY", f"{SECRET},b-eu:/only/*")
    yield seeded
    forget_accounts()


def _text(result: types.CallToolResult) -> str:
    return "\n".join(item.text for item in result.content if isinstance(item, types.TextContent))


async def test_mcp_tools_and_resources_obey_targets_and_guardrails(world: World) -> None:
    service = LogToolsService(load_settings())
    try:
        async with Client(build_server(service)) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            assert tools["fetch_logs"].input_schema["properties"]["target"]["anyOf"][0]["enum"] == [
                "a-us",
                "a-eu",
                "b-eu",
            ]
            listing = _text(await client.call_tool("list_log_groups", {"limit": 100}))
            assert f"b-eu:{SHARED}" in listing and SECRET not in listing
            assert "b-eu:/only" not in listing and "a-eu:/only/a-eu" in listing

            for arguments in (
                {"log_group": SECRET},
                {"log_group": SECRET, "target": "a-us"},
                {"log_group": "/only/b-eu", "target": "b-eu"},
            ):
                refused = await client.call_tool("fetch_logs", arguments)
                assert refused.is_error and "not allowed" in _text(refused)
            query = await client.call_tool(
                "query_logs", {"query": "fields @message", "log_groups": [f"a-eu:{SECRET}"]}
            )
            assert query.is_error and "not allowed" in _text(query)

            found = await client.call_tool(
                "fetch_logs", {"log_group": SHARED, "target": "b-eu", "start_time": "3h"}
            )
            assert not found.is_error and "b-eu says 2" in _text(found)

            resources = [r.name for r in (await client.list_resources()).resources]
            assert f"a-us:{SHARED}" in resources and not [r for r in resources if SECRET in r]
            with pytest.raises(MCPError, match="not allowed"):
                await client.read_resource("logai://log-group/a-us%3A%2Fsecure%2Fpayments")
    finally:
        await service.aclose()
