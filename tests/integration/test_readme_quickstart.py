"""The README's quick start, run literally: its commands, taken from README.md, in order.

Each block is read from the README (``export`` lines set the environment, ``logai`` lines run
in-process from the repository root); only what points at the outside world is swapped for a
loopback fake: the local LLM server's URL becomes the fake LLM server, and the CloudWatch
profile's endpoint is a moto server. The API-key blocks are not run (they need real keys).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from tests.fakes.fake_llm import FakeLLMServer
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import MotoServer, moto_server  # noqa: F401 - fixture

pytestmark = pytest.mark.network_loopback

ROOT = Path(__file__).resolve().parents[2]


def _quick_start_blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip().splitlines() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def _block(containing: str) -> list[str]:
    found = [block for block in _quick_start_blocks() if any(containing in line for line in block)]
    assert len(found) == 1, f"one quick-start block with {containing!r}, found {len(found)}"
    return found[0]


def _walk(lines: list[str], env: dict[str, str], swap: dict[str, str]) -> list[tuple[str, str]]:
    """Run the block; return (command line, stdout) of each ``logai`` command, all exit 0."""
    outputs = []
    for line in lines:
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            for pair in words[1:]:
                name, _, value = pair.partition("=")
                env[name] = swap.get(name, value)
            continue
        assert words[0] == "logai", f"a quick-start line that is not export or logai: {line}"
        result = CliRunner(env=env).invoke(cli, words[1:])
        assert result.exit_code == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        outputs.append((line, result.stdout + result.stderr))
    return outputs


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(ROOT)
    yield


@pytest.mark.usefixtures("at_root")
def test_local_llm_server_with_the_sample_logs(fake_llm: FakeLLMServer) -> None:  # noqa: F811
    fake_llm.script("Two payments were declined and one checkout timed out.")
    env: dict[str, str] = {}
    llm = _block("LOGAI_LLM_API_BASE=")
    _walk(llm, env, {"LOGAI_LLM_API_BASE": fake_llm.openai_base})
    fake_llm.models.append(env["LOGAI_LLM_MODEL"])  # the model the README says to pull
    outputs = dict(_walk(_block("LOGAI_DATA_SOURCE=files"), env, {}))

    assert env["LOGAI_LLM_PROVIDER"] == "openai" and env["LOGAI_FILES_ROOT"] == "docs/sample-logs"
    check = outputs["logai config check --live"]
    assert "Configuration OK; every live check passed." in check
    assert f"model {env['LOGAI_LLM_MODEL']} listed (no tokens spent)" in check
    assert outputs["logai groups"].split() == ["checkout.log", "inventory.log"]
    logs = next(out for line, out in outputs.items() if line.startswith("logai logs"))
    assert logs.count(" ERROR ") == 4 and "<IP_1>" in logs and "203.0.113.42" not in logs
    summary = next(out for line, out in outputs.items() if line.startswith("logai summarize"))
    assert "templates" in summary and "@example.com" not in summary
    answer = next(out for line, out in outputs.items() if line.startswith("logai ask"))
    assert "Two payments were declined and one checkout timed out.\n" in answer
    sent = fake_llm.chat_requests()[0]
    assert sent.protocol == "openai" and sent.json["model"] == env["LOGAI_LLM_MODEL"]


@pytest.mark.usefixtures("at_root")
def test_cloudwatch_with_a_profile(
    moto_server: MotoServer,  # noqa: F811
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moto_server.reset()
    lines = _block("AWS_PROFILE=")
    profile = next(
        pair.split("=", 1)[1]
        for line in lines
        for pair in shlex.split(line, comments=True)
        if pair.startswith("AWS_PROFILE=")
    )
    region = next(
        pair.split("=", 1)[1]
        for line in lines
        for pair in shlex.split(line, comments=True)
        if pair.startswith("AWS_REGION=")
    )
    client = moto_server.logs_client(region=region)
    client.create_log_group(logGroupName="/aws/lambda/checkout")
    (tmp_path / "aws-config").write_text(f"[profile {profile}]\nregion = {region}\n")
    (tmp_path / "aws-credentials").write_text(
        f"[{profile}]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    fake_llm.script("No Lambda function logged errors in the last hour.")
    env = {"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": moto_server.endpoint}
    _walk(_block("LOGAI_LLM_API_BASE="), env, {"LOGAI_LLM_API_BASE": fake_llm.openai_base})
    fake_llm.models.append(env["LOGAI_LLM_MODEL"])
    outputs = dict(_walk(lines, env, {}))

    check = outputs["logai config check --live"]
    assert "Configuration OK; every live check passed." in check
    assert "account 123456789012, principal arn:aws:" in check and f"region {region}" in check
    groups = next(out for line, out in outputs.items() if line.startswith("logai groups"))
    assert "/aws/lambda/checkout" in groups
    answer = next(out for line, out in outputs.items() if line.startswith("logai ask"))
    assert "No Lambda function logged errors in the last hour.\n" in answer
