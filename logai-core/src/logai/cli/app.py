"""The ``logai`` click group.

Subcommands come from the ``register_commands`` hook: core registers its own through a built-in
plugin exactly as a third-party package would, so ``logai --help`` lists both alike. The hook is
called the first time click asks for a command, not at import time.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from logai.plugin_records import describe_exception
from logai.plugins import PluginHost, get_host


class LogAIGroup(click.Group):
    """A group whose commands are filled in by plugins on first use."""

    _commands_host: PluginHost | None = None
    _own_commands: dict[str, click.Command] | None = None
    _lazy: dict[str, str] | None = None
    _lazy_owners: dict[str, str] | None = None
    _owners: dict[str, str] | None = None

    def add_lazy_command(self, name: str, import_path: str) -> None:
        """Register ``module:attribute`` as command ``name``, imported only when used.

        ``logai sanitize`` should not pay for importing ``ask`` (asyncio, ssl...): only the
        command that runs is imported; ``--help`` imports them all to show their help.
        """
        if self._lazy is None:
            self._lazy = {}
        if self._claim(name):
            self._lazy.setdefault(name, import_path)
            plugin = self._adding_plugin()
            if plugin is not None:
                self._lazy_owners = self._lazy_owners or {}
                self._lazy_owners.setdefault(name, plugin)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Add ``cmd``, unless a plugin earlier in the load order has its name (then refused).

        What a plugin adds is checked like every other registration: a non-command, or one
        without a name, is ignored with the same one-line warning.
        """
        host, plugin = self._commands_host, self._adding_plugin()
        if host is not None and plugin is not None:
            reason = ""
            added: object = cmd  # a plugin may pass anything, whatever the annotation says
            if not isinstance(added, click.Command):
                reason = f"called cli.add_command with {type(added).__name__}, not a click.Command"
            elif not (name or cmd.name):
                reason = "called cli.add_command with a command that has no name"
            if reason:
                host.warn_ignored(plugin, "register_commands", reason)
                return
        if self._claim(name or cmd.name or ""):
            super().add_command(cmd, name)

    def _adding_plugin(self) -> str | None:
        """The plugin whose ``register_commands`` is running, if one is."""
        host = self._commands_host
        return host.calling if host is not None and self._owners is not None else None

    def _claim(self, name: str) -> bool:
        """Whether the plugin adding command ``name`` now may have it: first come, first kept."""
        host = self._commands_host
        plugin = host.calling if host is not None else None
        if host is None or plugin is None or self._owners is None:
            return True  # core's own group set-up, outside any plugin hook
        return host.claim("command", name, plugin, self._owners)

    def _ensure_plugin_commands(self) -> None:
        """Fill in plugin commands once per plugin host (tests and embedders swap hosts)."""
        host = get_host()
        if self._commands_host is host:
            return
        if self._own_commands is None:
            self._own_commands = dict(self.commands)
        self.commands = dict(self._own_commands)
        self._lazy = {}
        self._lazy_owners = {}
        self._owners = dict.fromkeys(self._own_commands, "core")
        self._commands_host = host
        host.add_commands(self)

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; Ctrl+C anywhere in it ends with one line and status 130.

        Commands handle Ctrl+C where they have something to clean up; this catches the rest
        (start-up, printing a long listing), which click would report as "Aborted!", status 1.
        """
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from logai.cli._common import interrupted

            interrupted()

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._ensure_plugin_commands()
        return sorted(set(super().list_commands(ctx)) | set(self._lazy or ()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._ensure_plugin_commands()
        if cmd_name not in self.commands and self._lazy and cmd_name in self._lazy:
            command = self._import_lazy(cmd_name)
            if command is None:
                return None
            self.commands[cmd_name] = command
        return super().get_command(ctx, cmd_name)

    def _import_lazy(self, name: str) -> click.Command | None:
        """The lazy command ``name``; ``None`` (and the plugin blamed) when it cannot be had.

        A third-party plugin's command that fails to import, or is not a click command, must
        not turn ``logai --help`` into a traceback: it is left out with a one-line warning and
        the plugin is marked failed. Core's own commands are trusted (a failure is a bug).
        """
        assert self._lazy is not None
        path = self._lazy[name]
        module_name, _, attribute = path.partition(":")
        host, plugin = self._commands_host, (self._lazy_owners or {}).get(name)
        info = host.info(plugin) if host is not None and plugin is not None else None
        if host is None or plugin is None or info is None or info.builtin:
            command = getattr(import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{path} is not a click command")
            return command
        try:
            found: object = getattr(import_module(module_name), attribute)
        except Exception as exc:
            what = f"command '{name}' ({path}) failed to import: {describe_exception(exc)}"
            host.blame(plugin, what, exc)
        else:
            if isinstance(found, click.Command):
                return found
            what = f"command '{name}' ({path}) is {type(found).__name__}, not a click.Command"
            host.blame(plugin, what)
        self._lazy.pop(name)
        host.warn_ignored(plugin, "register_commands", what)
        return None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from logai._distributions import version_report

    click.echo(version_report())
    ctx.exit(0)


@click.group(cls=LogAIGroup, invoke_without_command=True)
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the installed LogAI distributions and their versions.",
)
@click.option(
    "--frontend",
    "frontend",
    metavar="NAME",
    help="Frontend to open when no command is given (overrides LOGAI_FRONTEND); "
    "`logai plugins` lists them.",
)
@click.pass_context
def cli(ctx: click.Context, frontend: str | None) -> None:
    """Ask questions about your logs in plain language.

    With no command, opens the chat frontend: --frontend or LOGAI_FRONTEND, else the one with
    the highest priority (the TUI when logai-tui is installed).
    Configuration comes from LOGAI_* environment variables and a .env file: see
    `logai config show`.
    """
    if ctx.invoked_subcommand is not None:
        if frontend:
            raise click.UsageError(
                "--frontend opens a frontend, so it takes no command: `logai --frontend NAME`."
            )
        return
    from logai.cli.launch import launch_default_frontend

    sys.exit(launch_default_frontend(frontend))
