"""Start the default frontend when ``logai`` runs without a command."""

from __future__ import annotations

import click

from logai.config import ConfigError, load_settings
from logai.plugins import get_host
from logai.registries import FrontendContext, default_frontend


def launch_default_frontend() -> int:
    """Run the highest-priority registered frontend; explain what to install when there is none."""
    host = get_host()
    chosen = default_frontend(host)
    if chosen is None:
        click.echo(
            "No LogAI frontend is installed. Install the chat UI with:\n"
            "    pip install logai-tui\n"
            'or ask a one-off question with: logai ask "why did checkout fail?"',
            err=True,
        )
        return 1
    try:
        settings = load_settings()
    except ConfigError as exc:
        click.echo(f"logai: {exc}", err=True)
        return 2
    result = chosen.factory(FrontendContext(settings=settings, host=host))
    return int(result or 0)
