"""A broken rule pack stops sanitization, and with it everything that would reach an LLM.

Each test installs real plugin distributions (``tests/plugins``) as dist-info and runs the real
``logai`` command in a subprocess; the way out is always ``LOGAI_DISABLE_PLUGINS``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import InstallPlugins
from tests.fakes.fake_llm import FakeLLMServer, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture

LINE = "2026-11-25T10:00:00Z login by jane@example.com from 203.0.113.9\n"


def _logai(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "logai", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("folder", "plugin", "reason"),
    [
        ("logai-broken-plugin", "broken", "failed to import: ImportError"),
        ("logai-rules-raises", "raising-rules", "raised in register_sanitizer_rules"),
        ("logai-rules-bad", "bad-rules", "registered a sanitizer rule that was rejected"),
    ],
)
def test_sanitize_fails_closed_until_the_plugin_is_disabled(
    install_test_plugins: InstallPlugins, folder: str, plugin: str, reason: str
) -> None:
    env = install_test_plugins(folder)
    done = _logai("sanitize", env=env, stdin=LINE)
    assert done.returncode == 1
    assert done.stdout == ""  # not a byte of the input passes
    assert "Traceback" not in done.stderr
    assert f"plugin '{plugin}' ({folder})" in done.stderr
    assert reason in done.stderr
    assert f"LOGAI_DISABLE_PLUGINS={plugin}" in done.stderr

    enabled = _logai("sanitize", env={**env, "LOGAI_DISABLE_PLUGINS": plugin}, stdin=LINE)
    assert enabled.returncode == 0, enabled.stderr
    assert enabled.stdout == "2026-11-25T10:00:00Z login by <EMAIL_1> from <IP_1>\n"


def test_disable_hint_keeps_plugins_already_disabled(install_test_plugins: InstallPlugins) -> None:
    env = install_test_plugins("logai-rules-raises")
    done = _logai("sanitize", env={**env, "LOGAI_DISABLE_PLUGINS": "tui"}, stdin=LINE)
    assert done.returncode == 1
    assert "LOGAI_DISABLE_PLUGINS=raising-rules,tui" in done.stderr


def test_failed_plugin_without_a_rule_hook_does_not_block(
    install_test_plugins: InstallPlugins,
) -> None:
    """A plugin that imported and implements no rule hook cannot be hiding rules."""
    from logai.plugins import PluginHost
    from logai.sanitize import Sanitizer
    from tests.core.test_plugins import _Raises

    host = PluginHost(load_entry_points=False, warn=lambda message: None)
    host.register_plugin("raises", _Raises())
    from logai.registries import data_sources

    data_sources(host)  # fails the plugin
    assert {i.name: i for i in host.plugins}["raises"].status == "failed"
    assert Sanitizer.from_plugins(host=host).sanitize_text("a@example.com")[0] == "<EMAIL_1>"


def test_plugins_lists_rules_and_rejected_rules_with_reasons(
    install_test_plugins: InstallPlugins,
) -> None:
    env = install_test_plugins("logai-rules-bad", "logai-rules-employee-id")
    listed = _logai("plugins", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    entries = {entry["name"]: entry for entry in json.loads(listed.stdout)}
    bad = entries["bad-rules"]
    assert bad["rules"] == ["good"] and bad["blocks_sanitization"]
    reasons = {rejected["name"]: rejected["reason"] for rejected in bad["rejected_rules"]}
    assert set(reasons) == {"unclosed", "wrong_hint", "wrong_reach", "no_group"}
    assert reasons["unclosed"].startswith("invalid pattern")
    assert "hints" in reasons["wrong_hint"] and "never fire" in reasons["wrong_hint"]
    assert "reach=0" in reasons["wrong_reach"]
    assert "no group 2" in reasons["no_group"]
    assert entries["employee-id"]["rules"] == ["employee_id"]
    assert not entries["employee-id"]["blocks_sanitization"]
    assert "email" in entries["default-rules"]["rules"]

    table = _logai("plugins", env=env).stdout
    row = next(line for line in table.splitlines() if line.startswith("bad-rules "))
    assert "4 rule(s) rejected" in row and "blocks sanitization" in row
    assert "rejected bad-rules/wrong_reach: " in table
    assert "rules employee-id: employee_id" in table
    assert "blocked: sanitizer unavailable: plugin 'bad-rules'" in table


def test_logs_fails_closed_and_raw_still_works(
    install_test_plugins: InstallPlugins, tmp_path: Path
) -> None:
    env = install_test_plugins("logai-rules-raises")
    root = tmp_path / "logs"
    root.mkdir()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (root / "app.log").write_text(f"{stamp} login by jane@example.com\n")
    env = {**env, "LOGAI_FILES_ROOT": str(root)}
    done = _logai("logs", "app.log", "--source", "files", env=env)
    assert done.returncode != 0
    assert "jane@example.com" not in done.stdout
    assert "plugin 'raising-rules'" in done.stderr and "Traceback" not in done.stderr
    raw = _logai("logs", "app.log", "--source", "files", "--raw", env=env)
    assert raw.returncode == 0, raw.stderr
    assert "jane@example.com" in raw.stdout


def test_ask_sends_nothing_to_the_llm(
    install_test_plugins: InstallPlugins,
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    env = install_test_plugins("logai-broken-plugin")
    fake_llm.script(Turn(text="should never be asked"))
    root = tmp_path / "logs"
    root.mkdir()
    env = {k: v for k, v in env.items() if not k.startswith("LOGAI_")} | {
        "LOGAI_LLM_PROVIDER": "openai",
        "LOGAI_LLM_API_BASE": fake_llm.openai_base,
        "LOGAI_LLM_MODEL": "fake-model",
        "LOGAI_FILES_ROOT": str(root),
        "LOGAI_CACHE_DIR": str(tmp_path / "cache"),
        "LOGAI_HISTORY_FILE": str(tmp_path / "history"),
        "LOGAI_ENV_FILE": os.devnull,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    }
    done = _logai("ask", "--source", "files", "who logged in as jane@example.com?", env=env)
    assert done.returncode != 0
    assert fake_llm.requests == []
    assert "Traceback" not in done.stderr
    assert "plugin 'broken' (logai-broken-plugin)" in done.stderr
    assert "LOGAI_DISABLE_PLUGINS=broken" in done.stderr


def test_a_plugin_refused_for_its_entry_point_name_blocks_until_its_distribution_is_disabled(
    install_test_plugins: InstallPlugins,
) -> None:
    env = install_test_plugins("logai-rules-twin", "logai-rules-employee-id")
    done = _logai("sanitize", env=env, stdin="EMP-004211\n")
    assert done.returncode == 1
    assert "plugin 'employee-id' (logai-rules-twin) name already used by" in done.stderr
    assert "LOGAI_DISABLE_PLUGINS=logai-rules-twin" in done.stderr
    env["LOGAI_DISABLE_PLUGINS"] = "logai-rules-twin"
    enabled = _logai("sanitize", env=env, stdin="EMP-004211\n")
    assert enabled.returncode == 0, enabled.stderr
    assert enabled.stdout == "<EMPLOYEE_ID_1>\n"
    listed = json.loads(_logai("plugins", "--json", env=env).stdout)
    twin = next(entry for entry in listed if entry["distribution"] == "logai-rules-twin")
    assert twin["status"] == "disabled" and twin["rules"] == []
