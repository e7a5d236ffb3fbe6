"""``logai mcp`` driven by a client nobody in this project wrote: the MCP Inspector's CLI mode.

Runs only where node's ``npx`` is installed and the Inspector package is already in npm's
cache (``npx --yes --offline``: tests never download anything); skipped with the reason
otherwise. To enable it, fetch the package once: ``npx -y @modelcontextprotocol/inspector --help``.
Every run has a timeout, so a hang fails the test instead of stalling CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from typing import Any

import pytest

from tests.mcp.conftest import GROUP, PLANTED

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

PACKAGE = "@modelcontextprotocol/inspector"
TIMEOUT_S = 120
#: Cache only: a missing package fails at once instead of being downloaded.
OFFLINE = ("--yes", "--offline")


def _npx() -> str:
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("node's npx is not installed")
    try:
        probe = subprocess.run(
            [npx, *OFFLINE, PACKAGE, "--help"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"{PACKAGE} did not answer --help within {TIMEOUT_S} s")
    if probe.returncode != 0 or "--cli" not in probe.stdout + probe.stderr:
        pytest.skip(f"{PACKAGE} is not in the npm cache (npx --offline {PACKAGE} failed)")
    return npx


def _inspect(npx: str, env: dict[str, str], *method: str) -> Any:
    passed = [
        item
        for name, value in env.items()
        if name.startswith(("AWS_", "LOGAI_")) or name in {"PYTHONPATH", "HOME"}
        for item in ("-e", f"{name}={value}")
    ]
    server = [sys.executable, "-m", "logai", "mcp"]
    done = subprocess.run(
        [npx, *OFFLINE, PACKAGE, "--cli", *passed, *server, *method],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def test_the_inspector_lists_and_calls_the_tools(child_env: dict[str, str]) -> None:
    npx = _npx()

    listed = _inspect(npx, child_env, "--method", "tools/list")
    called = _inspect(
        npx,
        child_env,
        "--method",
        "tools/call",
        "--tool-name",
        "fetch_logs",
        "--tool-arg",
        f"log_group={GROUP}",
        "--tool-arg",
        "start_time=1h",
    )

    assert {"list_log_groups", "fetch_logs", "search_logs"} <= {t["name"] for t in listed["tools"]}
    text = json.dumps(called)
    assert not called.get("isError")
    assert "ERROR card declined for <EMAIL_1>" in text
    assert not any(value in text for value in PLANTED)
