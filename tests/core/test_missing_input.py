"""``logai sanitize`` and ``logai summarize`` treat an unreadable FILE the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli


@pytest.mark.parametrize("command", ["sanitize", "summarize"])
def test_a_missing_file_is_a_usage_error_in_the_same_words(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "nope.log"
    result = CliRunner().invoke(cli, [command, str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"logai: error: cannot read {missing}: No such file or directory\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["sanitize", "summarize"])
def test_a_folder_is_refused_alike(tmp_path: Path, command: str) -> None:
    result = CliRunner().invoke(cli, [command, str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


@pytest.mark.parametrize("command", ["sanitize", "summarize"])
def test_a_readable_file_still_works(tmp_path: Path, command: str) -> None:
    log = tmp_path / "app.log"
    log.write_text("ERROR mail to jane@example.com failed\n")
    result = CliRunner().invoke(cli, [command, str(log)])
    assert result.exit_code == 0, result.stderr
    assert "<EMAIL_1>" in result.stdout
