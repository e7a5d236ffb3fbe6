"""`logai config check --for COMMAND`: commands that never call an LLM need no LLM settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli

AWS_READY = {
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
    "AWS_REGION": "eu-west-1",
    "LOGAI_LLM_PROVIDER": "anthropic",
    "LOGAI_ANTHROPIC_API_KEY": "",
}


@pytest.fixture
def no_llm_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("AWS_PROFILE", "LOGAI_ENV_FILE", "LOGAI_LLM_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in AWS_READY.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("command", ["mcp", "groups", "logs"])
def test_llm_free_command_needs_no_llm_key(no_llm_key: None, command: str) -> None:
    result = CliRunner().invoke(cli, ["config", "check", "--for", command])
    assert result.exit_code == 0, result.output
    assert "LOGAI_ANTHROPIC_API_KEY" not in result.output
    assert "Configuration OK." in result.output


def test_ask_still_requires_the_llm_key(no_llm_key: None) -> None:
    result = CliRunner().invoke(cli, ["config", "check"])
    assert result.exit_code == 1
    assert "LOGAI_ANTHROPIC_API_KEY" in result.output


def test_llm_free_check_still_reports_data_source_problems(
    no_llm_key: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.aws files to fall back on
    result = CliRunner().invoke(cli, ["config", "check", "--for", "mcp"])
    assert result.exit_code == 1
    assert "AWS" in result.output
    assert "LOGAI_ANTHROPIC_API_KEY" not in result.output
