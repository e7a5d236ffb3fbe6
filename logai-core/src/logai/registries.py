"""Typed views over what plugins registered: data sources, LLM providers, frontends.

Each accessor calls its ``register_*`` hook through the plugin host, so a plugin that raises is
reported and skipped, and returns name → :class:`Registered` with the plugin that supplied it.
The factories are called only when the thing is used: registering must stay cheap because it
happens on every start.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from logai.plugins import PluginHost, get_host

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm.provider import LLMProvider
    from logai.plugin_settings import PluginSettings
    from logai.sources.base import DataSource

    DataSourceFactory = Callable[[LogAISettings], DataSource]
    ProviderFactory = Callable[[LogAISettings], LLMProvider]
    FrontendLauncher = Callable[["FrontendContext"], int | None]

T = TypeVar("T")


class UnknownComponent(LookupError):
    """A source, provider or frontend name that no installed plugin registered."""


@dataclass(frozen=True)
class Registered(Generic[T]):
    """A factory and the plugin that registered it."""

    name: str
    factory: T
    plugin: str
    priority: int = 0


@dataclass
class FrontendContext:
    """What a frontend receives when launched."""

    settings: LogAISettings
    host: PluginHost


#: How messages name what each hook registers.
_KINDS = {
    "register_data_sources": "data source",
    "register_llm_providers": "LLM provider",
    "register_frontends": "frontend",
    "register_tools": "tool",
    "register_sanitizer_rules": "sanitizer rule",
    "register_settings": "settings prefix",
}


def _parse(
    hook: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[str, Callable[..., Any], int] | str:
    """``register(name, factory, priority=0)`` as called, or why the call is unusable.

    Positional or keyword (``name=``, ``factory=``/``launcher=``, ``priority=``): every named
    registration hook parses its arguments here, so a mistake reads the same for all of them.
    """
    kwargs = dict(kwargs)
    values = list(args)
    name = values.pop(0) if values else kwargs.pop("name", None)
    factory = values.pop(0) if values else kwargs.pop("factory", kwargs.pop("launcher", None))
    priority = values.pop(0) if values else kwargs.pop("priority", 0)
    usage = f"register(name, {'launcher' if hook == 'register_frontends' else 'factory'}"
    usage += ", priority=0)" if hook == "register_frontends" else ")"
    if values or kwargs:
        return f"called {usage} with unexpected arguments"
    if not isinstance(name, str) or not name.strip():
        return f"called {usage} without a name (a non-empty string)"
    if not callable(factory):
        return f"called {usage} for '{name}' with {type(factory).__name__}, not a callable"
    if isinstance(priority, bool) or not isinstance(priority, int):
        return f"called {usage} for '{name}' with a priority that is not an integer"
    return name, factory, priority


def _by_name(hook: str, host: PluginHost | None) -> dict[str, Registered[Any]]:
    host = host or get_host()
    found: dict[str, Registered[Any]] = {}
    owners: dict[str, str] = {}
    for reg in host.collect(hook):
        parsed = _parse(hook, reg.args, reg.kwargs)
        if isinstance(parsed, str):
            host.warn_about(reg.plugin, f"{hook}: {parsed}; ignored")
            continue
        name, factory, priority = parsed
        if host.claim(_KINDS[hook], name, reg.plugin, owners):
            found.setdefault(name, Registered(name, factory, reg.plugin, priority))
    return found


def data_sources(host: PluginHost | None = None) -> dict[str, Registered[DataSourceFactory]]:
    """Every registered data source."""
    return _by_name("register_data_sources", host)


def llm_providers(host: PluginHost | None = None) -> dict[str, Registered[ProviderFactory]]:
    """Every registered LLM provider implementation."""
    return _by_name("register_llm_providers", host)


def frontends(host: PluginHost | None = None) -> dict[str, Registered[FrontendLauncher]]:
    """Every registered frontend."""
    return _by_name("register_frontends", host)


def default_frontend(host: PluginHost | None = None) -> Registered[FrontendLauncher] | None:
    """The registered frontend with the highest priority, if any."""
    found = frontends(host)
    if not found:
        return None
    return max(found.values(), key=lambda reg: reg.priority)


def plugin_settings(host: PluginHost | None = None) -> list[Registered[type[PluginSettings]]]:
    """Every plugin's settings model, named by its prefix, in load order.

    A registration that is not a :class:`~logai.plugin_settings.PluginSettings` subclass, whose
    prefix another plugin has, or whose variables would read one of core's is ignored with a
    warning: core's variables mean what core documents, whatever is installed.
    """
    from logai.config import LogAISettings, variables_of
    from logai.plugin_settings import PluginSettings

    host = host or get_host()
    core = {v for name in LogAISettings.model_fields for v in variables_of(LogAISettings, name)}
    found: list[Registered[type[PluginSettings]]] = []
    owners: dict[str, str] = {}
    for reg in host.collect("register_settings"):
        model = reg.args[0] if len(reg.args) == 1 and not reg.kwargs else None
        if not (isinstance(model, type) and issubclass(model, PluginSettings)):
            host.warn_about(
                reg.plugin,
                "registered settings that are not a logai.plugin_settings.PluginSettings "
                "subclass (register(SettingsClass)); ignored",
            )
            continue
        prefix = model.env_prefix()
        taken = sorted(
            core.intersection(v for name in model.model_fields for v in variables_of(model, name))
        )
        if not prefix or taken:
            why = f"read core's {', '.join(taken)}" if taken else "have no env_prefix"
            host.warn_about(reg.plugin, f"settings {model.__name__} {why}; ignored")
            continue
        if host.claim("settings prefix", prefix, reg.plugin, owners):
            found.append(Registered(prefix, model, reg.plugin))
    return found


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
    """Instantiate the data source ``name`` (default: ``settings.data_source``), cached.

    A plugin's factory that raises (other than a :class:`~logai.sources.DataSourceError`, which
    is a message for the user) or returns something that is not a data source, and a source
    whose methods are not ``async def``, raise :class:`PluginFault` naming the plugin; so does
    any later call into the source that raises something unexpected (see :mod:`logai.faults`).
    The source comes back behind the cache and the log group guardrails
    (:mod:`logai.sources.guard`), so every command and tool gets both.
    """
    from logai.cache import wrap_with_cache
    from logai.faults import build_source
    from logai.sources.guard import guard_source

    host = host or get_host()
    chosen = name or settings.data_source
    registration = lookup("data source", chosen, data_sources(host))
    # The guardrails go outside the cache: a denied group is refused before any lookup, and
    # a cached answer holding one is never served.
    return guard_source(
        wrap_with_cache(build_source(registration, settings, host), settings), settings
    )
