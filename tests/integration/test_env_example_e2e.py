"""From ``cp .env.example .env`` to answers: one configuration, read once, for every command.

The ``.env`` file starts as a copy of ``.env.example``; only what the test needs is filled in
(a key pair, the region, the moto endpoint, the fake LLM server). ``AWS_PROFILE=`` stays empty
as in the example, and the shell exports an empty ``AWS_PROFILE`` too: both mean "not set".
``logai groups``, ``logai logs`` and ``logai ask`` then run as child processes in that folder,
with boto3 talking to moto and LiteLLM to the fake LLM server, both over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import MotoServer, moto_server  # noqa: F401 - fixture
from tests.integration.conftest import base_argv

pytestmark = pytest.mark.network_loopback

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
GROUP = "/aws/lambda/checkout"


def _fill(text: str, values: dict[str, str]) -> str:
    """Set ``NAME=value`` on the example's own lines; every other line stays as shipped."""
    lines = []
    for line in text.splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={values.pop(name)}" if "=" in line and name in values else line)
    assert not values, f"not in .env.example: {sorted(values)}"
    return "\n".join(lines) + "\n"


def _clean_env(home: Path) -> dict[str, str]:
    """The parent's environment without any AWS or LogAI setting: .env must carry them all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "LOGAI_", "LITELLM_"))}
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",  # no instance-role lookup when keys are missing
        AWS_PROFILE="",  # exported but empty, as `export AWS_PROFILE=` leaves it
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    return env


@pytest.fixture
def workdir(
    moto_server: MotoServer,  # noqa: F811
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> Path:
    """A folder holding ``.env`` = ``.env.example`` plus keys, region and the two endpoints."""
    moto_server.reset()
    client = moto_server.logs_client()
    client.create_log_group(logGroupName="/aws/lambda/payments")
    client.create_log_group(logGroupName=GROUP)
    client.create_log_stream(logGroupName=GROUP, logStreamName="main")
    now_ms = int(time.time() * 1000)
    client.put_log_events(
        logGroupName=GROUP,
        logStreamName="main",
        logEvents=[
            {"timestamp": now_ms - 120_000, "message": "ERROR card declined for order 7"},
            {"timestamp": now_ms - 60_000, "message": "INFO order 8 completed"},
        ],
    )
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / ".env").write_text(
        _fill(
            EXAMPLE.read_text(),
            {
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": moto_server.endpoint,
                "LOGAI_LLM_PROVIDER": "openai",
                "LOGAI_LLM_MODEL": "fake-model",
                "LOGAI_OPENAI_API_KEY": "test-key",
                "LOGAI_LLM_API_BASE": fake_llm.openai_base,
                "LOGAI_CACHE_DIR": str(tmp_path / "cache"),
                "LOGAI_HISTORY_FILE": str(tmp_path / "history"),
            },
        )
    )
    return folder


def _logai(folder: Path, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = _clean_env(folder.parent)
    return subprocess.run(
        [*base_argv(command, env), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_groups_logs_and_ask_work_from_a_copied_env_example(
    workdir: Path,
    fake_llm: FakeLLMServer,  # noqa: F811
) -> None:
    check = _logai(workdir, "config", "check", "--connect")
    assert check.returncode == 0, check.stderr
    assert "account 123456789012" in check.stdout  # moto's default account, from STS
    assert "Configuration OK." in check.stdout

    shown = _logai(workdir, "config", "show")
    assert "AWS credentials in use: access keys (AWS_ACCESS_KEY_ID), region us-east-1" in (
        shown.stdout
    )
    assert "testing" not in shown.stdout  # the keys themselves are masked

    groups = _logai(workdir, "groups")
    assert groups.returncode == 0, groups.stderr
    assert groups.stdout.splitlines() == [GROUP, "/aws/lambda/payments"]

    logs = _logai(workdir, "logs", GROUP, "--since", "1h")
    assert logs.returncode == 0, logs.stderr
    assert "ERROR card declined for order 7" in logs.stdout
    assert "INFO order 8 completed" in logs.stdout

    answers = iter(
        [
            Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": GROUP, "start_time": "1h"})]),
            None,
        ]
    )

    def respond(request: LLMRequest) -> Turn:
        turn = next(answers)
        if turn is not None:
            return turn
        result = request.tool_results[-1].content
        return Turn(text="declined" if "card declined for order 7" in result else "no events")

    fake_llm.respond_with(respond)
    asked = _logai(workdir, "ask", "why did order 7 fail?")
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.strip() == "declined"
    assert "✓ fetch_logs: 2 events" in asked.stderr


@pytest.mark.slow
def test_missing_keys_are_reported_by_config_check_and_by_groups(
    workdir: Path,
) -> None:
    env_file = workdir / ".env"
    env_file.write_text(
        env_file.read_text()
        .replace("AWS_ACCESS_KEY_ID=testing", "AWS_ACCESS_KEY_ID=")
        .replace("AWS_SECRET_ACCESS_KEY=testing", "AWS_SECRET_ACCESS_KEY=")
    )
    check = _logai(workdir, "config", "check")
    assert check.returncode == 1
    assert "no AWS credentials found" in check.stderr
    assert "Configuration OK" not in check.stdout

    for command in (("groups",), ("logs", GROUP), ("config", "check", "--connect")):
        done = _logai(workdir, *command)
        assert done.returncode != 0
        assert "o AWS credentials found" in done.stderr, command
        assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_profile_that_does_not_exist_is_reported(workdir: Path) -> None:
    env_file = workdir / ".env"
    env_file.write_text(env_file.read_text().replace("AWS_PROFILE=\n", "AWS_PROFILE=nosuch\n"))
    check = _logai(workdir, "config", "check")
    assert check.returncode == 1
    assert "profile 'nosuch' is not in ~/.aws/config" in check.stderr

    groups = _logai(workdir, "groups")
    assert groups.returncode != 0
    assert "AWS profile 'nosuch' is not in ~/.aws/config" in groups.stderr
    assert "Traceback" not in groups.stderr
