"""Entry point of the ``logai-mcp`` plugin: adds the ``logai mcp`` command.

Only the registration lives here; the MCP SDK is imported when the command runs, so
``logai --help`` never pays for it.
"""

from __future__ import annotations

import click

from logai import hookimpl

COMMAND_PATH = "logai_mcp.command:mcp"


@hookimpl
def register_commands(cli: click.Group) -> None:
    from logai.cli.app import LogAIGroup

    if isinstance(cli, LogAIGroup):
        cli.add_lazy_command("mcp", COMMAND_PATH)
    else:  # embedded in another click application: register eagerly
        from logai_mcp.command import mcp

        cli.add_command(mcp, "mcp")
