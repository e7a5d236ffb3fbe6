"""``logai groups`` and ``logai logs`` end to end: a real ``logai`` process, boto3 over HTTP to
moto's server on 127.0.0.1, found only through ``AWS_ENDPOINT_URL_CLOUDWATCH_LOGS``.

Until the lead lists these commands in the ``logai`` group, the runner falls back to running the
command objects in the child process (same code path below the group); see ``conftest.py``.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime

import pytest

from tests.cloudwatch.fixtures import numbered_messages, seed_events, seed_groups
from tests.fakes.moto_server import MotoServer, fake_aws_env
from tests.integration.conftest import LogaiRunner, base_argv

pytestmark = pytest.mark.network_loopback

EMAIL = "jane.doe@example.com"
GROUP = "/aws/lambda/checkout"


@pytest.fixture
def seeded(moto_endpoint: MotoServer) -> MotoServer:
    client = moto_endpoint.logs_client()
    seed_groups(client, ["/aws/lambda/payments", "/aws/ecs/web"])
    seed_events(
        client,
        GROUP,
        ["START RequestId: 7", f"ERROR card declined for {EMAIL}", "END RequestId: 7"],
    )
    return moto_endpoint


def test_groups_lists_the_servers_groups(seeded: MotoServer, logai_cli: LogaiRunner) -> None:
    done = logai_cli("groups")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["/aws/ecs/web", GROUP, "/aws/lambda/payments"]


def test_groups_prefix_and_json(seeded: MotoServer, logai_cli: LogaiRunner) -> None:
    done = logai_cli("groups", "--prefix", "/aws/lambda/", "--json")

    assert [json.loads(line)["name"] for line in done.stdout.splitlines()] == [
        GROUP,
        "/aws/lambda/payments",
    ]


def test_logs_prints_sanitized_events_timestamp_first(
    seeded: MotoServer, logai_cli: LogaiRunner
) -> None:
    done = logai_cli("logs", GROUP, "--since", "1h")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        stamp = line.split(" ", 1)[0]
        assert stamp.endswith("Z") and datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert lines[0].endswith(" START RequestId: 7")
    assert "ERROR card declined for " in lines[1]
    assert EMAIL not in done.stdout
    assert "Redacted 1 email" in done.stderr


def test_logs_raw_prints_the_original_with_a_warning(
    seeded: MotoServer, logai_cli: LogaiRunner
) -> None:
    done = logai_cli("logs", GROUP, "--raw")

    assert done.returncode == 0, done.stderr
    assert EMAIL in done.stdout
    assert "--raw: printing log lines unsanitized" in done.stderr


def test_logs_json_and_filter(seeded: MotoServer, logai_cli: LogaiRunner) -> None:
    done = logai_cli("logs", GROUP, "--filter", "RequestId", "--json")

    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["message"] for row in rows] == ["START RequestId: 7", "END RequestId: 7"]
    assert all(row["group"] == GROUP for row in rows)


def test_logs_empty_range_says_so_with_the_range(
    seeded: MotoServer, logai_cli: LogaiRunner
) -> None:
    done = logai_cli("logs", GROUP, "--since", "3h", "--until", "2h")

    assert done.returncode == 0
    assert done.stdout == ""
    assert done.stderr.startswith(f"No events in {GROUP} from ")


def test_logs_unknown_group_is_one_clear_line(seeded: MotoServer, logai_cli: LogaiRunner) -> None:
    done = logai_cli("logs", "/aws/lambda/chekout")

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "logai: error: Log group '/aws/lambda/chekout' does not exist (access keys, "
        f"region us-east-1, endpoint {seeded.endpoint}). Did you mean '{GROUP}'?"
    ]


@pytest.mark.slow  # five attempts with real backoff: about 8 s
def test_groups_against_a_dead_endpoint_fails_cleanly_after_retries(seeded: MotoServer) -> None:
    """The endpoint variable is all that points boto3 at moto; a dead one is reported cleanly."""
    env = fake_aws_env("http://127.0.0.1:9")
    env["LOGAI_CLOUDWATCH_MAX_CONCURRENCY"] = "1"
    done = subprocess.run(
        [*base_argv("groups", env)], capture_output=True, text=True, env=env, timeout=180
    )

    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("logai: error: Connecting to CloudWatch Logs failed after 5 attempts")
    assert "127.0.0.1:9" in line


def test_logs_into_a_closed_pipe_ends_quietly(seeded: MotoServer) -> None:
    seed_events(seeded.logs_client(), "/big", numbered_messages(6000, width=80), step_ms=100)
    env = fake_aws_env(seeded.endpoint)
    process = subprocess.Popen(
        [*base_argv("logs", env), "/big", "--raw", "--limit", "6000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -n 1`
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)

    assert first.split(b" ", 1)[1].startswith(b"event 0")
    assert process.returncode == 0
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
