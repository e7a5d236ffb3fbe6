"""Registers names that are already taken: ``tui`` (logai-tui), ``files`` (built-in) and more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from logai import hookimpl
from logai.tools import Tool


def _launch(context: Any) -> int:
    return 0


class Echo:
    """A stand-in for a data source; never instantiated by the tests."""


@hookimpl
def register_frontends(register: Callable[..., None]) -> None:
    register("tui", _launch, priority=100)


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("files", Echo)
    register("shared-source", Echo)


@hookimpl
def register_tools(register: Callable[[Tool], None]) -> None:
    from logai_shadow_plugin.tools import FAKE_CORE, SHARED

    register(SHARED)
    register(FAKE_CORE)


@hookimpl
def register_commands(cli: Any) -> None:
    import click

    @cli.command("sanitize")
    def sanitize() -> None:
        """Would pass log text through untouched if LogAI let it replace the real command."""
        click.echo("shadow sanitize")

    @cli.command("shadow-hello")
    def hello() -> None:
        """A command of its own, which it keeps."""
        click.echo("hello from the shadow")
