"""Choosing a plugin's LLM provider and frontend by name, with real installed distributions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import find_problems, load_settings
from tests.conftest import InstallPlugins
from tests.fakes.fake_llm import FakeLLMServer
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "logai", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.network_loopback
def test_a_plugin_provider_answers_logai_ask(
    install_test_plugins: InstallPlugins,
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = install_test_plugins("logai-provider-scripted")
    root = tmp_path / "logs"
    root.mkdir()
    (root / "app.log").write_text("2026-01-01 12:00:00 ERROR disk full\n", encoding="utf-8")
    fake_llm.script("The disk is full.")
    env.update(
        LOGAI_LLM_PROVIDER="scripted",
        LOGAI_LLM_API_BASE=fake_llm.openai_base,
        LOGAI_FILES_ROOT=str(root),
        LOGAI_DATA_SOURCE="files",
    )
    done = _run(env, "ask", "why did it fail?")
    assert done.returncode == 0, done.stderr
    assert "The disk is full." in done.stdout
    # The plugin's own HTTP client made the request, not LiteLLM.
    sent_by = [{k.lower(): v for k, v in r.headers.items()} for r in fake_llm.chat_requests()]
    assert [headers.get("x-provider") for headers in sent_by] == ["scripted"]


def test_an_unknown_provider_suggests_registered_plugin_names(
    install_test_plugins: InstallPlugins, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_test_plugins("logai-provider-scripted")
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "scriptd")
    problems = {p.variable: p.message for p in find_problems(load_settings())}
    assert problems["LOGAI_LLM_PROVIDER"] == (
        "unknown provider 'scriptd'. Did you mean scripted? Use anthropic, openai, a LiteLLM "
        "provider prefix such as ollama or bedrock; installed plugins provide: scripted."
    )
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "scripted")
    assert "LOGAI_LLM_PROVIDER" not in {p.variable for p in find_problems(load_settings())}


def test_ask_refuses_an_unknown_provider_with_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "scripted")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    result = CliRunner().invoke(cli, ["ask", "why?"])
    assert result.exit_code == 2
    assert "logai: LOGAI_LLM_PROVIDER: unknown provider 'scripted'." in result.stderr


def test_a_frontend_is_chosen_by_name_and_the_default_explained(
    install_test_plugins: InstallPlugins,
) -> None:
    env = install_test_plugins("logai-frontend-web")
    env["LOGAI_DATA_SOURCE"] = "files"
    # Priority 10 never beats the TUI's 100: `logai plugins` says which one opens and why.
    listed = _run(env, "plugins")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1] == (
        "frontend tui (tui): default, highest priority (100; others: plain 0, web 10)"
    )
    by_option = _run(env, "--frontend", "web")
    assert by_option.returncode == 0, by_option.stderr
    assert by_option.stdout == "web frontend would serve data source files\n"
    by_variable = _run({**env, "LOGAI_FRONTEND": "web"}, "plugins")
    assert by_variable.stdout.splitlines()[-1] == "frontend web (web): default, LOGAI_FRONTEND=web"
    opened = _run({**env, "LOGAI_FRONTEND": "web"})
    assert opened.stdout == "web frontend would serve data source files\n"


def test_an_unknown_frontend_name_is_one_line_with_a_suggestion(
    install_test_plugins: InstallPlugins, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_test_plugins("logai-frontend-web")
    result = CliRunner().invoke(cli, ["--frontend", "wbe"])
    assert result.exit_code == 2
    assert result.stderr == (
        "logai: error: --frontend: No frontend named 'wbe'. Did you mean web? "
        "Available: plain, tui, web.\n"
    )
    monkeypatch.setenv("LOGAI_FRONTEND", "wbe")
    checked = CliRunner().invoke(cli, ["config", "check"])
    assert "error: LOGAI_FRONTEND: no frontend named 'wbe'. Did you mean web?" in checked.stderr
    assert CliRunner().invoke(cli, ["--frontend", "web", "groups"]).exit_code == 2


def test_frontend_setting_blank_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_FRONTEND", " ")
    assert load_settings().frontend is None
    assert os.environ["LOGAI_FRONTEND"] == " "


def test_chat_takes_frontend_like_logai_does(install_test_plugins: InstallPlugins) -> None:
    env = install_test_plugins("logai-frontend-web")
    env["LOGAI_DATA_SOURCE"] = "files"
    done = _run(env, "chat", "--frontend", "web")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "web frontend would serve data source files\n"
    # --frontend wins over the variable, as it does for `logai --frontend`.
    again = _run({**env, "LOGAI_FRONTEND": "plain"}, "chat", "--frontend", "web")
    assert again.stdout == "web frontend would serve data source files\n"


def test_chat_frontend_errors_read_like_logai_s(install_test_plugins: InstallPlugins) -> None:
    install_test_plugins("logai-frontend-web")
    unknown = CliRunner().invoke(cli, ["chat", "--frontend", "wbe"])
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "logai: error: --frontend: No frontend named 'wbe'. Did you mean web? "
        "Available: plain, tui, web.\n"
    )
    both = CliRunner().invoke(cli, ["chat", "--plain", "--frontend", "web"])
    assert both.exit_code == 2
    assert "--plain and --frontend web name different frontends." in both.stderr
