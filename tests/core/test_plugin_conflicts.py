"""Names are unique: load order decides, a later registration is refused, and says so.

``logai-shadow-plugin`` (entry point ``aaa-shadow``) sorts before LogAI's own ``tui`` by name,
yet must not take the ``tui`` frontend: LogAI's distributions load right after the built-ins.
``logai-shadow-rival`` (``zzz-rival``) loads after it and reuses its names.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from logai.config import load_settings
from logai.plugins import PluginHost
from logai.registries import data_sources, frontends, llm_providers
from tests.conftest import InstallPlugins


def _host() -> tuple[PluginHost, list[str]]:
    warnings: list[str] = []
    return PluginHost(warn=warnings.append), warnings


def test_load_order_is_builtins_then_first_party_then_by_name(
    install_test_plugins: InstallPlugins,
) -> None:
    install_test_plugins("logai-shadow-rival", "logai-shadow-plugin", "logai-example-plugin")
    host, _ = _host()
    names = [info.name for info in host.plugins]
    builtins = [info.name for info in host.plugins if info.builtin]
    assert names[: len(builtins)] == builtins
    rest = names[len(builtins) :]
    assert rest[:3] == ["cloudwatch", "mcp", "tui"]
    assert rest[3:] == sorted(rest[3:]) == ["aaa-shadow", "example", "zzz-rival"]


def test_third_party_cannot_take_a_first_party_or_builtin_name(
    install_test_plugins: InstallPlugins,
) -> None:
    install_test_plugins("logai-shadow-plugin")
    host, warnings = _host()
    assert frontends(host)["tui"].plugin == "tui"
    assert data_sources(host)["files"].plugin == "local-files"
    assert data_sources(host)["shared-source"].plugin == "aaa-shadow"
    assert (
        "plugin 'aaa-shadow' (logai-shadow-plugin) registered frontend 'tui', already "
        "registered by plugin 'tui' (logai-tui); refused" in "\n".join(warnings)
    )
    assert any("data source 'files'" in w and "'local-files'" in w for w in warnings)
    info = {i.name: i for i in host.plugins}["aaa-shadow"]
    assert "frontend 'tui' is taken by plugin 'tui' (logai-tui)" in info.conflicts
    frontends(host)
    assert len([w for w in warnings if "frontend 'tui'" in w]) == 1  # once per process


def test_later_third_party_plugin_is_refused_naming_both(
    install_test_plugins: InstallPlugins,
) -> None:
    install_test_plugins("logai-shadow-plugin", "logai-shadow-rival")
    host, warnings = _host()
    sources = data_sources(host)
    assert sources["shared-source"].plugin == "aaa-shadow"
    assert sources["rival-only"].plugin == "zzz-rival"
    assert llm_providers(host)["litellm"].plugin == "litellm"
    text = "\n".join(warnings)
    assert (
        "plugin 'zzz-rival' (logai-shadow-rival) registered data source 'shared-source', "
        "already registered by plugin 'aaa-shadow' (logai-shadow-plugin)" in text
    )
    assert "registered LLM provider 'litellm'" in text


def test_tool_names_are_claimed_first_come(
    install_test_plugins: InstallPlugins, tmp_path: object
) -> None:
    from logai.tools.base import ToolContext
    from logai.tools.registry import ToolRegistry

    install_test_plugins("logai-shadow-plugin", "logai-shadow-rival")
    host, warnings = _host()
    settings = load_settings(files_root=str(tmp_path))
    context = ToolContext(settings, source_name="files", host=host)
    registry = asyncio.run(ToolRegistry.build(context, host))
    assert registry.names.count("fetch_logs") == 1 and "service_owner" in registry.names
    assert registry._tools["fetch_logs"].description != "Pretends to be the core tool."
    assert registry._tools["service_owner"].description.endswith("(shadow plugin).")
    text = "\n".join(warnings)
    assert (
        "registered tool 'fetch_logs', already registered by plugin 'core-tools' (logai-core)"
        in text
    )
    assert (
        "plugin 'zzz-rival' (logai-shadow-rival) registered tool 'service_owner', already "
        "registered by plugin 'aaa-shadow' (logai-shadow-plugin)" in text
    )


def test_logai_plugins_shows_the_conflicts(install_test_plugins: InstallPlugins) -> None:
    env = install_test_plugins("logai-shadow-plugin", "logai-shadow-rival")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "plugins", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    entries = {entry["name"]: entry for entry in json.loads(done.stdout)}
    assert (
        "frontend 'tui' is taken by plugin 'tui' (logai-tui)" in entries["aaa-shadow"]["conflicts"]
    )
    rival = entries["zzz-rival"]
    assert (
        "data source 'shared-source' is taken by plugin 'aaa-shadow' (logai-shadow-plugin)"
        in rival["conflicts"]
    )
    assert (
        "sanitizer rule 'email' is taken by plugin 'default-rules' (logai-core)"
        in (rival["conflicts"])
    )
    # A refused rule is a rule the pack's author counted on: sanitization fails closed.
    assert rival["blocks_sanitization"]
    assert rival["rejected_rules"] == [
        {"name": "email", "reason": "the name is taken by plugin 'default-rules' (logai-core)"}
    ]
    assert "plugin 'aaa-shadow' (logai-shadow-plugin) registered frontend 'tui'" in done.stderr


def test_a_plugin_cannot_replace_a_core_command(install_test_plugins: InstallPlugins) -> None:
    env = install_test_plugins("logai-shadow-plugin")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "sanitize"],
        input="mail jane@example.com\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "mail <EMAIL_1>\n"
    assert (
        "plugin 'aaa-shadow' (logai-shadow-plugin) registered command 'sanitize', already "
        "registered by plugin 'core-commands' (logai-core); refused" in done.stderr
    )
    own = subprocess.run(
        [sys.executable, "-m", "logai", "shadow-hello"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert own.stdout == "hello from the shadow\n", own.stderr
