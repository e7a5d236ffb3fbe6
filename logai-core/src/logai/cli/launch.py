"""Start a frontend: the default one when ``logai`` runs without a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from logai.plugins import get_host
from logai.registries import FrontendContext, default_frontend, frontends, lookup

if TYPE_CHECKING:
    from logai.config import LogAISettings


def launch_frontend(settings: LogAISettings, name: str | None = None) -> int:
    """Run the frontend ``name`` (default: the highest-priority one)."""
    host = get_host()
    chosen = lookup("frontend", name, frontends(host)) if name else default_frontend(host)
    if chosen is None:
        click.echo(
            "No LogAI frontend is installed. Install the chat UI with:\n"
            "    pip install logai-tui\n"
            'or ask a one-off question with: logai ask "why did checkout fail?"',
            err=True,
        )
        return 1
    result = chosen.factory(FrontendContext(settings=settings, host=host))
    return int(result or 0)


def launch_default_frontend() -> int:
    """``logai`` with no command."""
    from logai.cli._common import load_settings_or_exit

    return launch_frontend(load_settings_or_exit())
