"""The hooks a LogAI plugin can implement.

Every hook receives a ``register`` callback rather than returning values, so the plugin host
knows which plugin supplied which source, rule or tool (``logai plugins`` shows it, and a
broken plugin is isolated). Implementations may accept a subset of the arguments.
Add new arguments rather than change existing ones: old plugins keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import pluggy

if TYPE_CHECKING:
    import click

    from logai.plugin_settings import PluginSettings
    from logai.registries import (
        DataSourceFactory,
        FrontendLauncher,
        ProviderFactory,
    )
    from logai.sanitize.rule import Rule
    from logai.tools.base import Tool

PROJECT_NAME = "logai"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_data_sources(register: Callable[[str, DataSourceFactory], None]) -> None:
    """Register log backends: ``register(name, factory)``, ``factory(settings) -> DataSource``."""


@hookspec
def register_llm_providers(register: Callable[[str, ProviderFactory], None]) -> None:
    """Register LLM clients: ``register(name, factory)``, ``factory(settings) -> LLMProvider``."""


@hookspec
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    """Register redaction rules: ``register(rule)`` for each :class:`logai.sanitize.Rule`."""


class RegisterFrontend(Protocol):
    """The ``register`` callback of :func:`register_frontends`."""

    def __call__(self, name: str, launcher: FrontendLauncher, priority: int = 0) -> None: ...


@hookspec
def register_frontends(register: RegisterFrontend) -> None:
    """Register user interfaces: ``register(name, launcher, priority=0)``; highest is default."""


@hookspec
def register_tools(register: Callable[[Tool], None]) -> None:
    """Register extra tools for the LLM: ``register(tool)`` with a :class:`logai.tools.Tool`."""


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add subcommands to the ``logai`` command line: ``cli.add_command(...)``."""


@hookspec
def register_settings(register: Callable[[type[PluginSettings]], None]) -> None:
    """Declare the plugin's own settings: ``register(SettingsClass)``, a ``PluginSettings``.

    ``logai config show`` and ``config check`` then list them next to core's.
    """
