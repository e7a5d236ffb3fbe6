"""``logai chat``: the interactive chat (the TUI when installed, ``--plain`` for line mode)."""

from __future__ import annotations

import sys

import click


@click.command("chat")
@click.option("--plain", is_flag=True, help="Use the line-based chat even if the TUI is installed.")
@click.option("--source", "source_name", help="Data source to use (overrides LOGAI_DATA_SOURCE).")
def chat(plain: bool, source_name: str | None) -> None:
    """Chat about your logs."""
    from logai.cli._common import check_source_option, load_settings_or_exit
    from logai.cli.launch import launch_frontend

    check_source_option(source_name)
    overrides = {"data_source": source_name} if source_name else {}
    settings = load_settings_or_exit(**overrides)
    sys.exit(launch_frontend(settings, "plain" if plain else None))
