"""Core's own subcommands, registered through the ``register_commands`` hook like any plugin's.

Command modules import only click and light parts of LogAI at top level; whatever is heavy
(litellm, boto3, sqlalchemy) is imported inside the command when it runs.
"""

from __future__ import annotations

import click

from logai.hookspecs import hookimpl

#: Core's subcommands: name -> ``module:attribute`` of the click command.
CORE_COMMANDS: dict[str, str] = {
    "ask": "logai.cli.ask_cmd:ask",
    "cache": "logai.cli.cache_cmd:cache",
    "chat": "logai.cli.chat_cmd:chat",
    "config": "logai.cli.config_cmd:config",
    "groups": "logai.cli.groups_cmd:groups",
    "history": "logai.cli.history_cmd:history",
    "logs": "logai.cli.logs_cmd:logs",
    "plugins": "logai.cli.plugins_cmd:plugins",
    "sanitize": "logai.cli.sanitize_cmd:sanitize",
    "summarize": "logai.cli.summarize_cmd:summarize",
}


@hookimpl
def register_commands(cli: click.Group) -> None:
    from importlib import import_module

    from logai.cli.app import LogAIGroup

    for name, path in CORE_COMMANDS.items():
        if isinstance(cli, LogAIGroup):
            cli.add_lazy_command(name, path)
        else:  # embedded in another click application: register eagerly
            module, _, attribute = path.partition(":")
            cli.add_command(getattr(import_module(module), attribute), name)
