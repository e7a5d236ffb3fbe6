"""Attributing what a plugin gets wrong after it loaded: factories, launchers, source methods.

Registering is cheap and checked when hooks run (:mod:`logai.plugins`); what a plugin
registered is only called later, when a command needs it. A mistake found then (a factory that
raises or returns the wrong thing, a source method that is not ``async def`` or raises, a
launcher with the wrong signature) must read as the plugin's fault, in one line, not as a
traceback out of LogAI: :class:`PluginFault` carries that line, and
:meth:`~logai.plugins.PluginHost.blame` marks the plugin failed for the rest of the process.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from logai.llm.provider import LLMError, LLMProvider
from logai.sources.base import DataSource, DataSourceError

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.plugins import (
        DataSourceFactory,
        FrontendContext,
        FrontendLauncher,
        PluginHost,
        ProviderFactory,
    )
    from logai.registration import Registered

#: The coroutine methods LogAI calls on a data source.
SOURCE_METHODS = (
    "list_log_groups",
    "fetch_logs",
    "search_logs",
    "run_query",
    "resolve_cache_identity",
    "identify",
    "real_names",
    "aclose",
)


class PluginFault(DataSourceError):
    """A plugin's component failed in a way only the plugin can fix. ``str()`` is one line.

    A :class:`~logai.sources.DataSourceError`, so every place that already reports a data
    source's failure in one line (commands, the LLM tools) reports this one too.
    """

    def __init__(self, message: str, *, plugin: str) -> None:
        super().__init__(message)
        self.plugin = plugin


def _what(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _fault(
    host: PluginHost, plugin: str, what: str, exc: BaseException | None = None
) -> PluginFault:
    return PluginFault(host.blame(plugin, what, exc), plugin=plugin)


def _is_builtin(host: PluginHost, plugin: str) -> bool:
    info = host.info(plugin)
    return info is not None and info.builtin


def build_source(
    registration: Registered[DataSourceFactory],
    settings: LogAISettings,
    host: PluginHost,
) -> DataSource:
    """Call a data-source factory; check and guard what it returns (core's own sources as is)."""
    if _is_builtin(host, registration.plugin):
        return registration.factory(settings)
    kind = f"data source '{registration.name}'"
    try:
        source: object = registration.factory(settings)
    except DataSourceError:
        raise  # the plugin's own message for the user (missing setting, bad credentials)
    except Exception as exc:
        raise _fault(
            host, registration.plugin, f"{kind} factory raised {_what(exc)}", exc
        ) from None
    if not isinstance(source, DataSource):
        raise _fault(
            host,
            registration.plugin,
            f"{kind} factory returned {type(source).__name__}, not a logai.sources.DataSource",
        )
    for method in SOURCE_METHODS:
        bound = getattr(source, method)
        if not inspect.iscoroutinefunction(bound):
            raise _fault(
                host,
                registration.plugin,
                f"{kind} method {method} is not a coroutine function (declare it async def)",
            )
        try:
            setattr(source, method, _guarded(bound, kind, method, registration.plugin, host))
        except (AttributeError, TypeError):
            break  # a source that refuses instance attributes keeps its own methods
    return source


def _guarded(
    method: Callable[..., Awaitable[Any]], kind: str, name: str, plugin: str, host: PluginHost
) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except DataSourceError:
            raise
        except Exception as exc:
            what = f"{kind} method {name} raised {_what(exc)}"
            raise _fault(host, plugin, what, exc) from None

    return call


class ProviderFault(LLMError):
    """A plugin's LLM provider could not be created. ``str()`` is one line naming the plugin."""


def build_provider(
    registration: Registered[ProviderFactory],
    settings: LogAISettings,
    host: PluginHost,
) -> LLMProvider:
    """Call an LLM provider factory and check that it returned an ``LLMProvider``."""
    if _is_builtin(host, registration.plugin):
        return registration.factory(settings)
    kind = f"LLM provider '{registration.name}'"
    try:
        # A plugin's factory may return anything, whatever its annotation says.
        created: object = registration.factory(settings)
    except LLMError:
        raise  # the plugin's own message for the user
    except Exception as exc:
        raise ProviderFault(
            host.blame(registration.plugin, f"{kind} factory raised {_what(exc)}", exc)
        ) from None
    if not isinstance(created, LLMProvider):
        missing = [
            member
            for member in ("name", "model", "stream", "warm_up")
            if not hasattr(created, member)
        ]
        raise ProviderFault(
            host.blame(
                registration.plugin,
                f"{kind} factory returned {type(created).__name__}, not an LLMProvider "
                f"(missing {', '.join(missing)})",
            )
        )
    return created


class FrontendFault(Exception):
    """A plugin's frontend could not be launched, or crashed. ``str()`` is one line."""


def check_launcher(registration: Registered[FrontendLauncher], host: PluginHost) -> None:
    """Raise :class:`FrontendFault` unless the launcher can be called with one context."""
    launcher = registration.factory
    try:
        signature = inspect.signature(launcher)
    except (TypeError, ValueError):
        return  # a builtin or C callable: nothing to check before calling it
    try:
        signature.bind(object())
    except TypeError:
        declared = getattr(launcher, "__name__", "launcher")
        raise FrontendFault(
            host.blame(
                registration.plugin,
                f"frontend '{registration.name}' launcher {declared}"
                f"({', '.join(signature.parameters)}) must take exactly one argument, "
                "the FrontendContext",
            )
        ) from None


def run_launcher(
    registration: Registered[FrontendLauncher],
    context: FrontendContext,
    host: PluginHost,
) -> int:
    """Launch a frontend, return its exit status; a plugin's mistake is a :class:`FrontendFault`."""
    if _is_builtin(host, registration.plugin):
        return int(registration.factory(context) or 0)
    kind = f"frontend '{registration.name}'"
    launcher = registration.factory
    check_launcher(registration, host)
    try:
        result = launcher(context)
    except Exception as exc:
        raise FrontendFault(
            host.blame(registration.plugin, f"{kind} raised {_what(exc)}", exc)
        ) from None
    if result is None or (isinstance(result, int) and not isinstance(result, bool)):
        return int(result or 0)
    raise FrontendFault(
        host.blame(
            registration.plugin,
            f"{kind} launcher returned {type(result).__name__}, not an exit status (int or None)",
        )
    )
