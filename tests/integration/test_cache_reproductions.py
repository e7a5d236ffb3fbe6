"""Issue 12's reproductions, over real servers: a live range with a limit, cache on vs off.

The old cache widened a range touching "now" to whole minutes, fetched the widened range with
the caller's limit and trimmed back: when the first ``limit`` events fell before the asked start,
nothing was left ("No events"), or too few. Here moto's server answers over HTTP, the cache is a
SQLite file on disk, and each answer is compared with the same question asked with the cache off.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.config import load_settings
from logai.tools.base import ToolContext
from logai.tools.log_tools import FetchLogsArgs, fetch_logs
from tests.cloudwatch.fixtures import seed_events
from tests.fakes.moto_server import MotoServer, fake_aws_env
from tests.integration.conftest import base_argv

pytestmark = pytest.mark.network_loopback

GROUP = "/repro/checkout"


def _one_event_a_second(server: MotoServer, minutes: int) -> datetime:
    """A group with one event per second over the last ``minutes``; returns the seeding time."""
    now = datetime.now(UTC)
    count = minutes * 60
    seed_events(
        server.logs_client(),
        GROUP,
        [f"INFO request {n} served" for n in range(count)],
        start_ms=int(now.timestamp() * 1000) - count * 1000,
        step_ms=1000,
    )
    return now


def _logs(env: dict[str, str], *args: str) -> list[dict[str, str]]:
    """``logai logs GROUP ARGS --json --raw`` in a child process, as a user runs it."""
    done = subprocess.run(
        [*base_argv("logs", env), GROUP, *args, "--json", "--raw"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return _events(done.returncode, done.stdout, done.stderr)


def _logs_here(*args: str) -> list[dict[str, str]]:
    """The same command in this process (cheaper), with this process's environment."""
    from logai.cli.logs_cmd import logs

    done = CliRunner().invoke(logs, [GROUP, *args, "--json", "--raw"], catch_exceptions=False)
    return _events(done.exit_code, done.stdout, done.stderr)


def _events(code: int, stdout: str, stderr: str) -> list[dict[str, str]]:
    assert code == 0, stderr
    assert "No events" not in stderr + stdout
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.mark.slow
def test_logs_since_30m_limit_5_prints_the_same_events_with_the_cache_on_and_off(
    moto_endpoint: MotoServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = _one_event_a_second(moto_endpoint, 90)
    on = fake_aws_env(moto_endpoint.endpoint)
    on["LOGAI_CACHE_DIR"] = str(tmp_path / "cache")
    on["LOGAI_DATA_SOURCE"] = "cloudwatch"
    off = {**on, "LOGAI_CACHE_ENABLED": "false"}

    # The command: five events from the last 30 minutes with the cache on, not none.
    for env in (on, off):
        began = datetime.now(UTC)
        events = _logs(env, "--since", "30m", "--limit", "5")
        assert len(events) == 5
        first = datetime.fromisoformat(events[0]["timestamp"].replace("Z", "+00:00"))
        assert began - timedelta(minutes=30, seconds=1) <= first <= seeded - timedelta(minutes=29)

    # The same live range from a fixed start: identical output cold, warm and uncached.
    since = (seeded - timedelta(minutes=30, milliseconds=500)).isoformat()
    monkeypatch.setenv("LOGAI_CACHE_DIR", str(tmp_path / "other-cache"))
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "cloudwatch")
    cold, warm = _logs_here("--since", since, "--limit", "5"), _logs_here("--since", since)
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    uncached = _logs_here("--since", since)
    assert len(cold) == 5 and cold == warm[:5] == uncached[:5]
    assert warm == uncached and len(warm) == 1000  # the default limit


async def test_fetch_logs_tool_returns_the_full_limit_with_the_cache_on(
    moto_endpoint: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = _one_event_a_second(moto_endpoint, 100)
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "cloudwatch")
    args = FetchLogsArgs.model_validate(
        {"log_group": GROUP, "start_time": "30m ago", "limit": 1000}
    )

    def context() -> ToolContext:
        return ToolContext(load_settings(), now=lambda: seeded)

    cached = context()
    cold = await fetch_logs.run(args, cached)
    warm = await fetch_logs.run(args, cached)
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    uncached = context()
    off = await fetch_logs.run(args, uncached)
    for used in (cached, uncached):
        await (await used.source()).aclose()

    assert off.events is not None and len(off.events) == 1000
    assert cold.events == warm.events == off.events
    assert cold.header == off.header
