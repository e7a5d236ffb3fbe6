"""The ``logai mcp`` process itself: stdout is protocol only, and no LLM client is loaded."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from tests.mcp.conftest import GROUP, PLANTED

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

_MESSAGES = [
    {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "raw-test", "version": "0"},
        },
    },
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    {
        "jsonrpc": "2.0",
        "id": 3,
        "method": "tools/call",
        "params": {"name": "fetch_logs", "arguments": {"log_group": GROUP, "start_time": "1h"}},
    },
]


def test_stdout_carries_only_json_rpc(child_env: dict[str, str]) -> None:
    stdin = "".join(json.dumps(message) + "\n" for message in _MESSAGES)
    process = subprocess.Popen(
        [sys.executable, "-m", "logai", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env,
    )
    assert process.stdin is not None and process.stdout is not None
    watchdog = threading.Timer(60, process.kill)  # a hung server fails the test, never CI
    watchdog.start()
    process.stdin.write(stdin)
    process.stdin.flush()
    replies: dict[int, dict[str, object]] = {}
    lines: list[str] = []
    while len(replies) < 3:  # answers to ids 1-3, whatever else arrives in between
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        message = json.loads(line)
        assert message["jsonrpc"] == "2.0"
        if "id" in message:
            replies[message["id"]] = message
    rest, stderr = process.communicate(timeout=60)
    watchdog.cancel()
    for line in (rest or "").splitlines():
        assert json.loads(line)["jsonrpc"] == "2.0"

    assert set(replies) == {1, 2, 3}, stderr
    result = json.dumps(replies[3])
    assert "card declined for <EMAIL_1>" in result
    assert not any(value in "".join(lines) + (rest or "") for value in PLANTED)


_NO_LLM_SCRIPT = """
import asyncio, sys
from mcp import Client
from logai.config import load_settings
import logai_mcp.command, logai_mcp.stdio
from logai_mcp.server import build_server
from logai_mcp.service import LogToolsService

async def main():
    service = LogToolsService(load_settings())
    try:
        async with Client(build_server(service)) as client:
            await client.list_tools()
            result = await client.call_tool("fetch_logs", {"log_group": sys.argv[1]})
            assert not result.is_error, result
    finally:
        await service.aclose()

asyncio.run(main())
print(sorted(name for name in sys.modules if name.split(".")[0] in {"litellm", "openai"}))
"""


def test_serving_tools_never_imports_the_llm_client(child_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _NO_LLM_SCRIPT, GROUP],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
