"""Late plugin failures: one line naming the plugin and its mistake, and the plugin marked failed.

Each case is a real installed distribution (``tests/plugins/logai-faulty``) whose entry points
load fine and go wrong only when what they registered is used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from logai import hookimpl
from logai.cli.app import cli
from logai.plugins import PluginHost, set_host
from logai.registries import data_sources, frontends
from tests.conftest import InstallPlugins


@pytest.fixture
def faulty(install_test_plugins: InstallPlugins, monkeypatch: pytest.MonkeyPatch) -> None:
    install_test_plugins("logai-faulty")
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")


def _only(monkeypatch: pytest.MonkeyPatch, plugin: str) -> None:
    monkeypatch.setenv("LOGAI_PLUGINS", plugin)


def _plugins_row(name: str) -> str:
    listed = CliRunner().invoke(cli, ["plugins"])
    assert listed.exit_code == 0, listed.output
    return next(line for line in listed.stdout.splitlines() if line.startswith(name + " "))


def _groups(source: str) -> Result:
    return CliRunner().invoke(cli, ["groups", "--source", source])


@pytest.mark.usefixtures("faulty")
@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (
            "factory-raises",
            "data source 'factory-raises' factory raised KeyError: 'FAULTY_URL'",
        ),
        (
            "not-a-source",
            "data source 'not-a-source' factory returned dict, not a logai.sources.DataSource",
        ),
        (
            "sync-source",
            "data source 'sync-source' method list_log_groups is not a coroutine function "
            "(declare it async def)",
        ),
        (
            "source-raises",
            "data source 'source-raises' method list_log_groups raised ValueError: "
            "bad page token 'x1'",
        ),
    ],
)
def test_a_data_source_mistake_is_one_line_and_marks_the_plugin_failed(
    monkeypatch: pytest.MonkeyPatch, plugin: str, message: str
) -> None:
    _only(monkeypatch, plugin)
    result = _groups(plugin)
    assert result.exit_code != 0
    assert result.stderr == f"logai: error: plugin '{plugin}' (logai-faulty): {message}\n"
    assert result.stdout == ""
    row = _plugins_row(plugin)
    assert row.endswith(f"failed: {message}"), row


@pytest.mark.usefixtures("faulty")
def test_a_launcher_with_the_wrong_arity_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, "bad-launcher")
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 1
    message = (
        "frontend 'bad-launcher' launcher launch(settings, host) must take exactly one "
        "argument, the FrontendContext"
    )
    assert result.stderr == f"logai: error: plugin 'bad-launcher' (logai-faulty): {message}\n"
    assert _plugins_row("bad-launcher").endswith(f"failed: {message}")
    # From then on in this process the next frontend is the default.
    last_line = CliRunner().invoke(cli, ["plugins"]).stdout.splitlines()[-1]
    assert last_line.startswith("frontend plain (plain-chat)")


@pytest.mark.usefixtures("faulty")
def test_the_traceback_is_shown_only_when_tracing(monkeypatch: pytest.MonkeyPatch) -> None:
    _only(monkeypatch, "source-raises")
    assert "Traceback" not in _groups("source-raises").stderr
    monkeypatch.setenv("LOGAI_TRACE_PLUGINS", "1")
    set_host(None)  # a new process: the plugin is healthy again until it raises
    traced = _groups("source-raises").stderr
    assert "Traceback (most recent call last)" in traced
    assert 'raise ValueError("bad page token' in traced
    assert traced.endswith(
        "logai: error: plugin 'source-raises' (logai-faulty): data source 'source-raises' "
        "method list_log_groups raised ValueError: bad page token 'x1'\n"
    )


@pytest.mark.usefixtures("faulty")
def test_a_wrong_hook_signature_keeps_pluggys_reason() -> None:
    warnings: list[str] = []
    host = PluginHost(environ={"LOGAI_PLUGINS": "bad-signature"}, warn=warnings.append)
    info = host.info("bad-signature")
    assert info is not None and info.status == "failed"
    assert info.error == (
        "invalid hook implementation register_data_sources(reg: "
        "collections.abc.Callable[..., None]) -> None: Argument(s) {'reg'} are declared in the "
        "hookimpl but can not be found in the hookspec"
    )
    assert warnings == [f"plugin 'bad-signature' (logai-faulty) skipped: {info.error}"]


@pytest.mark.usefixtures("faulty")
def test_a_module_implementing_no_hook_is_flagged() -> None:
    warnings: list[str] = []
    host = PluginHost(environ={"LOGAI_PLUGINS": "no-hook"}, warn=warnings.append)
    info = host.info("no-hook")
    assert info is not None and info.status == "failed"
    assert info.error == "implements no hook: register_data_sources not decorated with @hookimpl"
    assert warnings == [f"plugin 'no-hook' (logai-faulty) skipped: {info.error}"]


def test_an_object_with_no_hook_at_all_lists_the_hooks() -> None:
    warnings: list[str] = []
    host = PluginHost(load_entry_points=False, environ={}, warn=warnings.append)
    info = host.register_plugin("empty", object())
    assert info.status == "failed"
    assert info.error.startswith("implements no hook (no @hookimpl function named after a hook: ")
    assert "register_data_sources" in info.error


@pytest.mark.usefixtures("faulty")
@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (
            "provider-raises",
            "LLM provider 'provider-raises' factory raised RuntimeError: no model server "
            "configured",
        ),
        (
            "not-a-provider",
            "LLM provider 'not-a-provider' factory returned HalfProvider, not an LLMProvider "
            "(missing model, stream, warm_up)",
        ),
    ],
)
def test_an_llm_provider_mistake_is_one_line_from_ask(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, plugin: str, message: str
) -> None:
    _only(monkeypatch, plugin)
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", plugin)
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(tmp_path))
    result = CliRunner().invoke(cli, ["ask", "why?"])
    assert result.exit_code == 1
    assert result.stderr == f"error: plugin '{plugin}' (logai-faulty): {message}\n"
    assert _plugins_row(plugin).endswith(f"failed: {message}")


@pytest.mark.usefixtures("faulty")
def test_a_data_source_mistake_is_one_line_from_ask(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _only(monkeypatch, "factory-raises")
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "openai")
    monkeypatch.setenv("LOGAI_LLM_API_BASE", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "factory-raises")
    result = CliRunner().invoke(cli, ["ask", "why?"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: plugin 'factory-raises' (logai-faulty): data source 'factory-raises' factory "
        "raised KeyError: 'FAULTY_URL'\n"
    )


@pytest.mark.usefixtures("faulty")
def test_plugins_check_finds_every_late_failure_up_front(monkeypatch: pytest.MonkeyPatch) -> None:
    used_late = [
        "factory-raises",
        "not-a-source",
        "sync-source",
        "bad-launcher",
        "provider-raises",
        "not-a-provider",
    ]
    _only(monkeypatch, ",".join(used_late))
    plain = CliRunner().invoke(cli, ["plugins"])
    assert plain.exit_code == 0
    assert all(_row(plain.stdout, name).endswith(" ok") for name in used_late)
    checked = CliRunner().invoke(cli, ["plugins", "--check"])
    assert checked.exit_code == 1
    for name in used_late:
        assert " failed: " in _row(checked.stdout, name), name
    assert checked.stderr == (
        f"check: {', '.join(sorted(used_late))} failed when used (see STATUS)\n"
    )


def _row(table: str, name: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(name + " "))


def test_unusable_register_calls_are_ignored_with_one_warning_each() -> None:
    class Sloppy:
        @hookimpl
        def register_data_sources(self, register: Callable[..., None]) -> None:
            register("only-a-name")
            register(name="by-keyword", factory=object)
            register("", object)
            register("not-callable", "module.Source")

        @hookimpl
        def register_frontends(self, register: Callable[..., None]) -> None:
            register("web", lambda context: 0, priority="high")
            register(name="kw", launcher=lambda context: 0, priority=5)

    warnings: list[str] = []
    host = PluginHost(load_entry_points=False, environ={}, warn=warnings.append)
    host.register_plugin("sloppy", Sloppy())
    assert "by-keyword" in data_sources(host) and "only-a-name" not in data_sources(host)
    assert frontends(host)["kw"].priority == 5 and "web" not in frontends(host)
    prefix = "plugin 'sloppy' (inline) "
    assert warnings == [
        prefix + "register_data_sources: called register(name, factory) without factory; ignored",
        prefix + "register_data_sources: called register(name, factory) without a name "
        "(a non-empty string); ignored",
        prefix + "register_data_sources: called register(name, factory) for 'not-callable' "
        "with str, not a callable; ignored",
        prefix + "register_frontends: called register(name, launcher, priority=0) for 'web' "
        "with a priority that is not an integer; ignored",
    ]
