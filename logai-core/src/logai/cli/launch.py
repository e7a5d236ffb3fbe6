"""Start a frontend: the default one when ``logai`` runs without a command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from logai.plugins import get_host
from logai.registries import FrontendContext, UnknownComponent, choose_frontend

if TYPE_CHECKING:
    from logai.config import LogAISettings


def launch_frontend(settings: LogAISettings, name: str | None = None) -> int:
    """Run the frontend ``name``, else ``LOGAI_FRONTEND``, else the highest-priority one."""
    from logai.cli._common import EXIT_USAGE, fail

    host = get_host()
    wanted = name or settings.frontend
    try:
        chosen = choose_frontend(wanted, host).frontend
    except UnknownComponent as exc:
        variable = "--frontend" if name else "LOGAI_FRONTEND"
        fail(f"{variable}: {exc}", EXIT_USAGE)
    if chosen is None:
        click.echo(
            "No LogAI frontend is installed. Install the chat UI with:\n"
            "    pip install logai-tui\n"
            'or ask a one-off question with: logai ask "why did checkout fail?"',
            err=True,
        )
        return 1
    from logai.faults import FrontendFault, run_launcher

    try:
        return run_launcher(chosen, FrontendContext(settings=settings, host=host), host)
    except FrontendFault as exc:
        fail(str(exc))


def launch_default_frontend(name: str | None = None) -> int:
    """``logai`` with no command (``name``: its ``--frontend`` option)."""
    from logai.cli._common import load_settings_or_exit

    return launch_frontend(load_settings_or_exit(), name)
