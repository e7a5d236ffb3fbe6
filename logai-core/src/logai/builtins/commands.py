"""Core's own subcommands, registered through the ``register_commands`` hook like any plugin's.

Command modules import only click and light parts of LogAI at top level; whatever is heavy
(litellm, boto3, sqlalchemy) is imported inside the command when it runs.
"""

from __future__ import annotations

import click

from logai.hookspecs import hookimpl


@hookimpl
def register_commands(cli: click.Group) -> None:
    from logai.cli.ask_cmd import ask
    from logai.cli.cache_cmd import cache
    from logai.cli.chat_cmd import chat
    from logai.cli.config_cmd import config
    from logai.cli.groups_cmd import groups
    from logai.cli.logs_cmd import logs
    from logai.cli.plugins_cmd import plugins
    from logai.cli.sanitize_cmd import sanitize
    from logai.cli.summarize_cmd import summarize

    for command in (ask, cache, chat, config, groups, logs, plugins, sanitize, summarize):
        cli.add_command(command)
