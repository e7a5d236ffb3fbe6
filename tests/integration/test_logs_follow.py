"""``logai logs -f`` end to end: a real ``logai`` process following moto's server over HTTP.

moto has no Live Tail on a custom endpoint, so the CloudWatch source polls FilterLogEvents;
events written after the start must appear within two poll intervals, once each, sanitized,
and Ctrl+C must end the process with status 130 and one line.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from tests.fakes.moto_server import MotoServer, fake_aws_env
from tests.integration.conftest import base_argv

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

GROUP = "/aws/lambda/checkout"
OTHER = "/aws/lambda/payments"
INTERVAL = 2.0
EMAIL = "jane.doe@example.com"


def _lines(pipe: IO[str]) -> queue.Queue[str]:
    """Lines of ``pipe`` as they come, read by a thread so the test never blocks on them."""
    found: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in pipe:
            found.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    return found


def _take(lines: queue.Queue[str], count: int, timeout: float = 30.0) -> list[str]:
    taken: list[str] = []
    deadline = time.monotonic() + timeout
    while len(taken) < count:
        taken.append(lines.get(timeout=max(0.01, deadline - time.monotonic())))
    return taken


def _put(server: MotoServer, group: str, messages: list[str]) -> None:
    client = server.logs_client()
    now = int(time.time() * 1000)
    client.put_log_events(
        logGroupName=group,
        logStreamName="live",
        logEvents=[{"timestamp": now + i, "message": text} for i, text in enumerate(messages)],
    )


@pytest.fixture
def follower(moto_endpoint: MotoServer, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    client = moto_endpoint.logs_client()
    for group in (GROUP, OTHER):
        client.create_log_group(logGroupName=group)
        client.create_log_stream(logGroupName=group, logStreamName="live")
    _put(moto_endpoint, GROUP, ["written before the follow started"])
    env = fake_aws_env(moto_endpoint.endpoint)
    env["LOGAI_CACHE_DIR"] = str(tmp_path / "cache")
    argv = [*base_argv("logs", env), GROUP, OTHER, "-f", "--interval", str(INTERVAL)]
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    yield child
    if child.poll() is None:
        child.kill()
        child.communicate(timeout=30)


def test_follow_prints_new_events_once_within_two_polls_and_exits_130_on_ctrl_c(
    moto_endpoint: MotoServer, follower: subprocess.Popen[str]
) -> None:
    assert follower.stdout is not None and follower.stderr is not None
    stdout, stderr = _lines(follower.stdout), _lines(follower.stderr)
    assert "Following" in stderr.get(timeout=60)

    waits = []
    for round_, group in enumerate((GROUP, OTHER, GROUP)):
        messages = [f"round {round_} event {i} for {EMAIL}" for i in range(3)]
        written = time.monotonic()
        _put(moto_endpoint, group, messages)
        shown = _take(stdout, 3)
        waits.append(time.monotonic() - written)
        assert [line.split(" ", 2)[1] for line in shown] == [group] * 3  # two groups: named
        assert [line.split(" ", 2)[2].split(" for ")[0] for line in shown] == [
            f"round {round_} event {i}" for i in range(3)
        ]
        assert all(EMAIL not in line for line in shown)  # sanitized like every other path

    time.sleep(2 * INTERVAL)  # two more polls return every event again: none is printed twice
    assert stdout.empty()
    assert max(waits) <= 2 * INTERVAL, waits

    follower.send_signal(signal.SIGINT)
    follower.wait(timeout=60)
    rest = []
    while not stderr.empty() or follower.poll() is None:
        try:
            rest.append(stderr.get(timeout=1))
        except queue.Empty:
            break
    assert follower.returncode == 130, rest
    assert rest[-1] == "logai: error: interrupted.", rest
    assert not any("Traceback" in line for line in rest)
    assert any("polling FilterLogEvents" in line for line in rest)  # says how it follows
    assert "written before the follow started" not in "".join(rest)


def test_follow_refuses_options_that_do_not_apply(
    moto_endpoint: MotoServer, tmp_path: Path
) -> None:
    env = fake_aws_env(moto_endpoint.endpoint)
    env["LOGAI_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [*base_argv("logs", env), GROUP, "-f", "--until", "now"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert done.returncode == 2
    assert done.stderr.strip() == (
        "logai: error: --until cannot be used with --follow (it runs until Ctrl+C)."
    )
