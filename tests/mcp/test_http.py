"""``logai mcp --transport http``: the SDK's client over streamable HTTP, and the guards.

A real ``logai mcp`` process on 127.0.0.1 (never any other address) against moto.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from logai_mcp.http import HttpRefused, check_bind, is_loopback
from tests.mcp.conftest import GROUP, PLANTED

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

TOKEN = "s3cret-token-for-tests"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "raw-test", "version": "0"},
    },
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(env: dict[str, str]) -> Iterator[str]:
    """A ``logai mcp --transport http`` process on 127.0.0.1; yields its ``/mcp`` URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "logai", "mcp", "--transport", "http", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    _, err = process.communicate(timeout=10)
                    pytest.fail(f"logai mcp --transport http did not start: {err}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _post(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """POST an ``initialize`` request; the status, headers (lower-case names) and body."""
    request = urllib.request.Request(
        url,
        data=json.dumps(INITIALIZE).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            found = {k.lower(): v for k, v in response.headers.items()}
            return response.status, found, response.read(2000).decode(errors="replace")
    except urllib.error.HTTPError as error:
        found = {k.lower(): v for k, v in error.headers.items()}
        return error.code, found, error.read().decode(errors="replace")


def _text(result: types.CallToolResult) -> str:
    return "\n".join(item.text for item in result.content if isinstance(item, types.TextContent))


async def _call(client: Client, name: str, arguments: dict[str, Any]) -> tuple[str, bool]:
    result = await client.call_tool(name, arguments)
    text = _text(result)
    assert not any(value in text for value in PLANTED)
    return text, bool(result.is_error)


async def test_sdk_client_over_streamable_http(child_env: dict[str, str]) -> None:
    with _serving(child_env) as url:
        async with Client(url, read_timeout_seconds=60) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert {"list_log_groups", "fetch_logs", "search_logs", "query_logs"} <= names
            recent = {"log_group": GROUP, "start_time": "1h"}
            first, is_error = await _call(client, "fetch_logs", recent)
            assert not is_error and "ERROR card declined for <EMAIL_1>" in first
            again, _ = await _call(client, "fetch_logs", recent)
            assert "ERROR payment timeout for <EMAIL_1>" in again
            only, _ = await _call(client, "fetch_logs", {**recent, "filter_pattern": '"<EMAIL_1>"'})
            assert "card declined" in only and "login ok" not in only
            missing, is_error = await _call(
                client, "fetch_logs", {"log_group": "/aws/lambda/chekout"}
            )
            assert is_error and GROUP in missing


async def test_each_http_session_has_its_own_placeholders(child_env: dict[str, str]) -> None:
    """Sessions (Mcp-Session-Id) exist in the handshake era; each has its own mapping."""
    recent = {"log_group": GROUP, "start_time": "1h"}
    with _serving(child_env) as url:
        async with (
            Client(url, read_timeout_seconds=60, mode="legacy") as first,
            Client(url, read_timeout_seconds=60, mode="legacy") as second,
        ):
            jane, _ = await _call(first, "fetch_logs", recent)
            assert "card declined for <EMAIL_1>" in jane
            bob, _ = await _call(second, "fetch_logs", {**recent, "filter_pattern": "login"})
            assert "login ok for <EMAIL_1>" in bob  # numbered afresh in the second session
            again, _ = await _call(first, "fetch_logs", recent)
            assert "card declined for <EMAIL_1>" in again
            assert "login ok for <EMAIL_1>" not in again


async def test_a_token_is_required_on_every_request(child_env: dict[str, str]) -> None:
    env = {**child_env, "LOGAI_MCP_TOKEN": TOKEN}
    with _serving(env) as url:
        status, headers, _ = _post(url)
        assert status == 401 and headers["www-authenticate"].startswith("Bearer")
        assert _post(url, {"Authorization": "Bearer wrong"})[0] == 401
        assert _post(url, {"Authorization": TOKEN})[0] == 401  # the scheme is required
        assert _post(url, {"Authorization": f"Bearer {TOKEN}"})[0] == 200

        http_client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"})
        async with http_client, Client(streamable_http_client(url, http_client=http_client)) as c:
            assert (await c.list_tools()).tools


def test_origin_and_host_are_checked_and_no_cors(child_env: dict[str, str]) -> None:
    with _serving(child_env) as url:
        assert _post(url)[0] == 200  # no token needed on loopback by default
        status, headers, _ = _post(url, {"Origin": "http://127.0.0.1:6274"})
        assert status == 200
        assert "access-control-allow-origin" not in headers
        status, headers, body = _post(url, {"Origin": "https://evil.example"})
        assert status == 403 and "evil.example" in body
        assert "access-control-allow-origin" not in headers
        assert _post(url, {"Origin": "http://localhost.evil.example"})[0] == 403
        assert _post(url, {"Host": "evil.example"})[0] == 421  # DNS rebinding
        preflight = urllib.request.Request(
            url, method="OPTIONS", headers={"Origin": "https://evil.example"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(preflight, timeout=30)
        assert "access-control-allow-origin" not in {k.lower() for k in refused.value.headers}


def test_a_non_loopback_bind_needs_a_token(child_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "logai", "mcp", "--transport", "http", "--host", "0.0.0.0"],
        env={k: v for k, v in child_env.items() if k != "LOGAI_MCP_TOKEN"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "LOGAI_MCP_TOKEN" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_binds_need_no_token(host: str) -> None:
    assert is_loopback(host)
    check_bind(host, None)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_other_binds_need_a_token(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(HttpRefused, match="LOGAI_MCP_TOKEN"):
        check_bind(host, None)
    check_bind(host, TOKEN)
    with pytest.raises(HttpRefused, match="empty"):
        check_bind(host, " ")
