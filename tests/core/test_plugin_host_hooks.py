"""The host's typed method per hook: every registration checked, and warned about, one way."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from click.testing import CliRunner
from pydantic import BaseModel

from logai import hookimpl
from logai.config import load_settings
from logai.plugins import HOOK_NAMES, PluginHost, RegisterTool, set_host
from logai.sources.base import DataSource
from logai.tools import ToolContext, tool
from logai.tools.registry import ToolRegistry


class _Args(BaseModel):
    service: str


@tool("service_owner", "Who owns a service.", _Args)
async def _owner(args: _Args, context: ToolContext) -> str:
    return "team-payments"


def _only_for_memory(source: DataSource) -> object:
    return _owner if source.name == "memory" else None


def _host(*plugins: tuple[str, object]) -> tuple[PluginHost, list[str]]:
    warnings: list[str] = []
    host = PluginHost(load_entry_points=False, environ={}, warn=warnings.append)
    for name, plugin in plugins:
        host.register_plugin(name, plugin)
    return host, warnings


def test_every_hook_has_a_typed_method_on_the_host() -> None:
    methods = {
        "register_data_sources": "data_sources",
        "register_llm_providers": "llm_providers",
        "register_frontends": "frontends",
        "register_tools": "tools",
        "register_sanitizer_rules": "sanitizer_rules",
        "register_settings": "plugin_settings",
        "register_commands": "add_commands",
    }
    assert set(HOOK_NAMES) == set(methods)
    assert all(callable(getattr(PluginHost, method)) for method in methods.values())


def test_core_tools_are_registered_like_a_plugin_s() -> None:
    host, warnings = _host()
    tools = host.tools()
    assert list(tools)[:4] == ["list_log_groups", "fetch_logs", "search_logs", "query_logs"]
    assert {registered.plugin for registered in tools.values()} == {"core-tools"}
    info = host.info("core-tools")
    assert info is not None and info.builtin and info.hooks == ["register_tools"]
    assert warnings == []


def test_tools_by_keyword_count_and_the_wrong_type_is_warned_about() -> None:
    class Owners:
        @staticmethod
        @hookimpl
        def register_tools(register: RegisterTool) -> None:
            register(tool=_owner)
            register(_owner.body)  # type: ignore[arg-type]
            register(_owner, "extra")  # type: ignore[call-arg]

    host, warnings = _host(("owners", Owners))
    assert host.tools()["service_owner"].plugin == "owners"
    assert warnings == [
        "plugin 'owners' (inline) register_tools: called register(tool) with 2 positional "
        "arguments; ignored",
        "plugin 'owners' (inline) register_tools: called register(tool) with function, not a "
        "logai.tools.Tool; ignored",
    ]


def test_a_tool_is_offered_only_where_for_source_says(tmp_path: Path) -> None:
    from dataclasses import replace

    scoped = replace(_owner, for_source=_only_for_memory)

    class Owners:
        @staticmethod
        @hookimpl
        def register_tools(register: RegisterTool) -> None:
            register(scoped)

    host, warnings = _host(("owners", Owners))
    settings = load_settings(files_root=str(tmp_path))
    context = ToolContext(settings, source_name="files", host=host)
    names = asyncio.run(ToolRegistry.build(context, host)).names
    # The files source has no query language and is not "memory": neither tool is offered.
    assert names == ["list_log_groups", "fetch_logs", "search_logs"]
    assert warnings == []


def test_a_for_source_that_raises_leaves_the_tool_out_with_a_warning(tmp_path: Path) -> None:
    def broken(source: DataSource) -> None:
        raise KeyError("region")

    class Owners:
        @staticmethod
        @hookimpl
        def register_tools(register: RegisterTool) -> None:
            from dataclasses import replace

            register(replace(_owner, for_source=broken))

    host, warnings = _host(("owners", Owners))
    context = ToolContext(load_settings(files_root=str(tmp_path)), source_name="files", host=host)
    assert "service_owner" not in asyncio.run(ToolRegistry.build(context, host)).names
    assert warnings == [
        "plugin 'owners' (inline) register_tools: tool 'service_owner' for_source raised "
        "KeyError: 'region'; ignored"
    ]


def test_a_command_that_is_not_one_is_warned_about_not_a_traceback() -> None:
    from logai.cli.app import cli

    class Commands:
        @staticmethod
        @hookimpl
        def register_commands(cli: click.Group) -> None:
            cli.add_command("oncall")  # type: ignore[arg-type]

            @cli.command("oncall")
            def oncall() -> None:
                click.echo("alice")

    host, warnings = _host(("oncall", Commands))
    set_host(host)
    done = CliRunner().invoke(cli, ["oncall"])
    assert done.exit_code == 0 and done.stdout == "alice\n"
    assert warnings == [
        "plugin 'oncall' (inline) register_commands: called cli.add_command with str, not a "
        "click.Command; ignored"
    ]
    assert host.info("oncall") is not None and host.info("oncall").status == "ok"  # type: ignore[union-attr]


def test_a_lazy_plugin_command_that_cannot_import_is_left_out_with_a_warning() -> None:
    from logai.cli.app import LogAIGroup, cli

    class Lazy:
        @staticmethod
        @hookimpl
        def register_commands(cli: click.Group) -> None:
            assert isinstance(cli, LogAIGroup)
            cli.add_lazy_command("broken", "logai_no_such_module:command")
            cli.add_lazy_command("notcmd", "logai.plugins:PROJECT_NAME")

    host, warnings = _host(("lazy", Lazy))
    set_host(host)
    listed = CliRunner().invoke(cli, ["--help"])
    assert listed.exit_code == 0, listed.output
    assert "broken" not in listed.stdout and "notcmd" not in listed.stdout
    assert warnings == [
        "plugin 'lazy' (inline) register_commands: command 'broken' "
        "(logai_no_such_module:command) failed to import: ModuleNotFoundError: No module named "
        "'logai_no_such_module'; ignored",
        "plugin 'lazy' (inline) register_commands: command 'notcmd' (logai.plugins:PROJECT_NAME) "
        "is str, not a click.Command; ignored",
    ]
    info = host.info("lazy")
    assert info is not None and info.status == "failed"
    assert CliRunner().invoke(cli, ["broken"]).exit_code == 2
