"""The plugin host: built-ins, installed plugins, broken plugins, allow and block lists."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from logai import hookimpl
from logai.cli.app import cli
from logai.plugins import BUILTIN_PLUGINS, PluginHost, set_host
from logai.registries import UnknownComponent, data_sources, lookup
from tests.conftest import InstallPlugins


def _host(**environ: str) -> tuple[PluginHost, list[str]]:
    warnings: list[str] = []
    host = PluginHost(environ=environ, warn=warnings.append)
    return host, warnings


def test_builtins_load_through_the_manager() -> None:
    host, warnings = _host()
    names = {info.name for info in host.plugins if info.builtin}
    assert names == {name for name, _ in BUILTIN_PLUGINS}
    assert all(info.status == "ok" for info in host.plugins if info.builtin), host.plugins
    assert all(host.manager.get_plugin(name) is not None for name in names)
    assert not [w for w in warnings if "built-in" in w]


def test_installed_distributions_are_listed_with_versions() -> None:
    host, _ = _host()
    by_name = {info.name: info for info in host.plugins}
    assert by_name["cloudwatch"].distribution == "logai-cloudwatch"
    assert by_name["tui"].distribution == "logai-tui"
    assert by_name["cloudwatch"].version == by_name["tui"].version == "0.1.0"
    assert by_name["cloudwatch"].status == "ok", by_name["cloudwatch"].error
    assert "register_data_sources" in by_name["cloudwatch"].hooks
    assert "register_frontends" in by_name["tui"].hooks


def test_third_party_plugin_is_discovered_and_its_hooks_called(
    install_test_plugins: InstallPlugins,
) -> None:
    install_test_plugins("logai-example-plugin")
    host, warnings = _host()
    info = {i.name: i for i in host.plugins}["example"]
    assert (info.distribution, info.version, info.status) == ("logai-example-plugin", "1.2.3", "ok")
    assert info.hooks == ["register_commands", "register_data_sources"]
    sources = data_sources(host)
    assert sources["example"].plugin == "example"
    module = host.manager.get_plugin("example")
    assert module.CALLS == ["register_data_sources"]
    assert warnings == []


def test_broken_plugin_is_reported_and_skipped(install_test_plugins: InstallPlugins) -> None:
    install_test_plugins("logai-example-plugin", "logai-broken-plugin")
    host, warnings = _host()
    info = {i.name: i for i in host.plugins}
    assert info["broken"].status == "failed"
    assert "failed to import" in info["broken"].error and "OldThing" in info["broken"].error
    assert info["example"].status == "ok"
    assert len(warnings) == 1
    # An import failure may have hidden sanitizer rules: the warning must not read as "skipped".
    assert warnings[0].startswith("plugin 'broken' (logai-broken-plugin): failed to import")
    assert "nothing is sent to an LLM" in warnings[0]
    assert warnings[0].endswith("LOGAI_DISABLE_PLUGINS=broken")
    assert "\n" not in warnings[0]


class _Raises:
    @hookimpl
    def register_data_sources(self, register: Callable[..., None]) -> None:
        register("half", object)
        raise RuntimeError("database not reachable\nsecond line")


class _Healthy:
    @hookimpl
    def register_data_sources(self, register: Callable[..., None]) -> None:
        register("healthy", object)


def test_plugin_raising_in_a_hook_is_disabled_and_others_keep_working() -> None:
    host, warnings = _host()
    host.register_plugin("raises", _Raises())
    host.register_plugin("healthy", _Healthy())
    names = set(data_sources(host))
    assert "healthy" in names and "half" not in names
    info = {i.name: i for i in host.plugins}["raises"]
    assert info.status == "failed"
    assert info.error == "raised in register_data_sources: RuntimeError: database not reachable"
    assert warnings == [
        "plugin 'raises' (inline) skipped: raised in register_data_sources: "
        "RuntimeError: database not reachable"
    ]
    # Once failed, the plugin is not called again.
    assert "healthy" in set(data_sources(host))
    assert len(warnings) == 1


class _Misspelled:
    @hookimpl
    def register_tool(self, register: Callable[..., None]) -> None:  # pragma: no cover
        register("x")


def test_unknown_hook_name_fails_loudly_with_a_suggestion() -> None:
    host, warnings = _host()
    info = host.register_plugin("typo", _Misspelled())
    assert info.status == "failed"
    assert "unknown hook register_tool (did you mean register_tools?)" in info.error
    assert warnings


def test_block_list_disables_even_builtins() -> None:
    host, _ = _host(LOGAI_DISABLE_PLUGINS="core-commands, cloudwatch")
    by_name = {i.name: i for i in host.plugins}
    assert by_name["core-commands"].status == "disabled"
    assert by_name["cloudwatch"].status == "disabled"
    assert host.manager.get_plugin("cloudwatch") is None
    assert by_name["tui"].status == "ok"


def test_allow_list_limits_installed_plugins(install_test_plugins: InstallPlugins) -> None:
    install_test_plugins("logai-example-plugin", "logai-broken-plugin")
    host, warnings = _host(LOGAI_PLUGINS="example")
    by_name = {i.name: i for i in host.plugins}
    assert by_name["example"].status == "ok"
    assert by_name["broken"].status == "disabled"
    assert by_name["cloudwatch"].status == "disabled"
    assert warnings == []  # the broken plugin was never imported
    empty, _ = _host(LOGAI_PLUGINS="")
    assert all(i.status == "disabled" for i in empty.plugins if not i.builtin)


def test_trace_switch_logs_every_hook_call(capsys: pytest.CaptureFixture[str]) -> None:
    host, _ = _host(LOGAI_TRACE_PLUGINS="1")
    host.register_plugin("healthy", _Healthy())
    data_sources(host)
    err = capsys.readouterr().err
    assert "logai: trace: register_data_sources -> healthy" in err
    assert "logai: trace: register_data_sources -> cloudwatch" in err


def test_lookup_suggests_close_names() -> None:
    host, _ = _host()
    with pytest.raises(UnknownComponent, match="Did you mean cloudwatch"):
        lookup("data source", "cloudwach", data_sources(host))


def test_plugins_command_table_and_json(install_test_plugins: InstallPlugins) -> None:
    install_test_plugins("logai-example-plugin", "logai-broken-plugin")
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PLUGIN", "DISTRIBUTION", "VERSION", "HOOKS", "STATUS"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert "logai-core (built-in)" in rows["core-commands"]
    assert "logai-cloudwatch" in rows["cloudwatch"] and "0.1.0" in rows["cloudwatch"]
    assert "logai-tui" in rows["tui"]
    assert "1.2.3" in rows["example"] and rows["example"].rstrip().endswith("ok")
    assert "failed: failed to import" in rows["broken"]

    as_json = CliRunner().invoke(cli, ["plugins", "--json"])
    import json

    entries = {e["name"]: e for e in json.loads(as_json.stdout)}
    assert entries["example"]["hooks"] == ["register_commands", "register_data_sources"]
    assert entries["broken"]["status"] == "failed"


def test_plugin_command_is_added_to_the_cli(install_test_plugins: InstallPlugins) -> None:
    env = install_test_plugins("logai-example-plugin", "logai-broken-plugin")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "hello"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "hello from logai-example-plugin"
    # The broken plugin costs one warning line, nothing more.
    warning_lines = [line for line in done.stderr.splitlines() if "broken" in line]
    assert len(warning_lines) == 1


def test_a_plugin_registered_inline_is_used_by_the_cli() -> None:
    host, _ = _host()
    calls: list[Any] = []

    class Inline:
        @hookimpl
        def register_commands(self, cli: Any) -> None:
            calls.append(cli)

    host.register_plugin("inline", Inline())
    set_host(host)
    CliRunner().invoke(cli, ["--help"])
    assert calls and calls[0].name == "cli"
    assert SimpleNamespace  # keep import used for type narrowing helpers


class _Shadow:
    @hookimpl
    def register_data_sources(self, register: Callable[..., None]) -> None:
        register("files", object)
        register("shadow-only", object)


def test_a_plugin_cannot_shadow_a_builtin_name() -> None:
    host, _ = _host()
    host.register_plugin("shadow", _Shadow())
    sources = data_sources(host)
    assert sources["files"].plugin == "local-files"
    assert sources["shadow-only"].plugin == "shadow"
    order = [impl.plugin_name for impl in host._healthy_impls("register_data_sources")]
    assert order.index("local-files") < order.index("shadow")


def test_only_the_command_that_runs_is_imported() -> None:
    code = (
        "import sys\n"
        "from logai.cli import main\n"
        "try:\n    main(['sanitize', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('logai.cli.') and m.endswith('_cmd')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "['logai.cli.sanitize_cmd']"
