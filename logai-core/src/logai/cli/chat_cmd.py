"""``logai chat``: the interactive chat (the TUI when installed, ``--plain`` for line mode)."""

from __future__ import annotations

import sys

import click


@click.command("chat")
@click.option("--plain", is_flag=True, help="Use the line-based chat even if the TUI is installed.")
@click.option(
    "--frontend",
    "frontend",
    metavar="NAME",
    help="Frontend to open (overrides LOGAI_FRONTEND); `logai plugins` lists them.",
)
@click.option("--source", "source_name", help="Data source to use (overrides LOGAI_DATA_SOURCE).")
def chat(plain: bool, frontend: str | None, source_name: str | None) -> None:
    """Chat about your logs.

    Opens --frontend NAME, else LOGAI_FRONTEND, else the frontend with the highest priority
    (the TUI when logai-tui is installed); --plain is --frontend plain.
    """
    from logai.cli._common import check_source_option, load_settings_or_exit
    from logai.cli.launch import launch_frontend

    if plain and frontend and frontend != "plain":
        raise click.UsageError(f"--plain and --frontend {frontend} name different frontends.")
    check_source_option(source_name)
    overrides = {"data_source": source_name} if source_name else {}
    settings = load_settings_or_exit(**overrides)
    sys.exit(launch_frontend(settings, "plain" if plain else frontend))
