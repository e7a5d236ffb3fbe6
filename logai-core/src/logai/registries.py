"""Choosing among what plugins registered: a frontend, a data source by name, with did-you-mean.

The registrations themselves come from the plugin host's typed methods
(:meth:`~logai.plugins.PluginHost.data_sources` and the rest); the functions of the same name
here call them on the process-wide host when none is given, and keep the import path of
:class:`FrontendContext` and :class:`Registered` that plugins use.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from logai.plugins import FrontendContext, PluginHost, get_host
from logai.registration import Registered

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.plugin_settings import PluginSettings
    from logai.plugins import DataSourceFactory as DataSourceFactory
    from logai.plugins import FrontendLauncher as FrontendLauncher
    from logai.plugins import ProviderFactory as ProviderFactory
    from logai.sources.base import DataSource

__all__ = [
    "FrontendChoice",
    "FrontendContext",
    "Registered",
    "UnknownComponent",
    "choose_frontend",
    "create_data_source",
    "data_sources",
    "default_frontend",
    "frontends",
    "llm_providers",
    "lookup",
    "plugin_settings",
]

T = TypeVar("T")


class UnknownComponent(LookupError):
    """A source, provider or frontend name that no installed plugin registered."""


def data_sources(host: PluginHost | None = None) -> dict[str, Registered[DataSourceFactory]]:
    """Every registered data source (:meth:`PluginHost.data_sources`)."""
    return (host or get_host()).data_sources()


def llm_providers(host: PluginHost | None = None) -> dict[str, Registered[ProviderFactory]]:
    """Every registered LLM provider implementation (:meth:`PluginHost.llm_providers`)."""
    return (host or get_host()).llm_providers()


def frontends(host: PluginHost | None = None) -> dict[str, Registered[FrontendLauncher]]:
    """Every registered frontend (:meth:`PluginHost.frontends`)."""
    return (host or get_host()).frontends()


def plugin_settings(host: PluginHost | None = None) -> list[Registered[type[PluginSettings]]]:
    """Every plugin's settings model (:meth:`PluginHost.plugin_settings`)."""
    return (host or get_host()).plugin_settings()


def default_frontend(host: PluginHost | None = None) -> Registered[FrontendLauncher] | None:
    """The registered frontend with the highest priority, if any."""
    found = frontends(host)
    if not found:
        return None
    return max(found.values(), key=lambda reg: reg.priority)


@dataclass(frozen=True)
class FrontendChoice:
    """The frontend ``logai`` would open, and why that one (``logai plugins`` prints both)."""

    frontend: Registered[FrontendLauncher] | None
    reason: str


def choose_frontend(name: str | None, host: PluginHost | None = None) -> FrontendChoice:
    """The frontend named ``name`` (``--frontend`` or ``LOGAI_FRONTEND``), else the default.

    Raises :class:`UnknownComponent` when ``name`` is not registered. The default is the highest
    priority; on a tie the one loaded first (built-ins, then by entry-point name) wins.
    """
    found = frontends(host)
    if name:
        return FrontendChoice(lookup("frontend", name, found), "chosen by name")
    if not found:
        return FrontendChoice(None, "no frontend is installed")
    chosen = max(found.values(), key=lambda reg: reg.priority)
    others = [f"{reg.name} {reg.priority}" for reg in found.values() if reg is not chosen]
    reason = f"highest priority ({chosen.priority}"
    reason += f"; others: {', '.join(others)})" if others else ")"
    return FrontendChoice(chosen, reason)


def lookup(kind: str, name: str, registry: dict[str, Registered[T]]) -> Registered[T]:
    """One registration by name, or :class:`UnknownComponent` naming the close matches."""
    if name in registry:
        return registry[name]
    close = difflib.get_close_matches(name, list(registry), n=3)
    available = ", ".join(sorted(registry)) or "none installed"
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise UnknownComponent(f"No {kind} named '{name}'.{hint} Available: {available}.")


def create_data_source(
    settings: LogAISettings, name: str | None = None, host: PluginHost | None = None
) -> DataSource:
    """Instantiate the data source ``name`` (:meth:`PluginHost.create_data_source`)."""
    return (host or get_host()).create_data_source(settings, name)
