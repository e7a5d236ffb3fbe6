"""Cancelling a call over a real transport stops the data source's work in the server process.

The ``slow`` source (a test plugin in ``plugins/``) never finishes a fetch and writes marker
files when a fetch starts and when it is cancelled; the SDK's client cancels its request,
which sends ``notifications/cancelled``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.fakes.plugin_dists import install_as_dist_info
from tests.mcp.test_http import _serving

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

SLOW_PLUGIN = Path(__file__).resolve().parent / "plugins" / "logai-slow-source"


@pytest.fixture
def slow_env(tmp_path: Path) -> dict[str, str]:
    """A child environment with the ``slow`` source installed and selected."""
    site = install_as_dist_info([SLOW_PLUGIN], tmp_path / "site")
    markers = tmp_path / "markers"
    markers.mkdir()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), env.get("PYTHONPATH")) if p)
    env["LOGAI_DATA_SOURCE"] = "slow"
    env["LOGAI_CACHE_ENABLED"] = "false"
    env["LOGAI_TEST_MARKERS"] = str(markers)
    return env


async def _wait_for(path: Path) -> None:
    """Until the server process writes ``path`` (60 s at most)."""
    deadline = time.monotonic() + 60
    while not await asyncio.to_thread(path.exists):
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        await asyncio.sleep(0.05)


async def _cancel_a_call(client: Client, markers: Path) -> None:
    call = asyncio.create_task(client.call_tool("fetch_logs", {"log_group": "/slow"}))
    await _wait_for(markers / "started")
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    await _wait_for(markers / "cancelled")
    assert (await client.list_tools()).tools  # and the server still serves


async def test_cancel_over_stdio(slow_env: dict[str, str]) -> None:
    server = StdioServerParameters(
        command=sys.executable, args=["-m", "logai", "mcp"], env=slow_env
    )
    async with Client(server, read_timeout_seconds=60) as client:
        await _cancel_a_call(client, Path(slow_env["LOGAI_TEST_MARKERS"]))


async def test_cancel_over_http(slow_env: dict[str, str]) -> None:
    with _serving(slow_env) as url:
        async with Client(url, read_timeout_seconds=60) as client:
            await _cancel_a_call(client, Path(slow_env["LOGAI_TEST_MARKERS"]))
