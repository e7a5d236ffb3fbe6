"""The plugin host: loads built-in and installed plugins through one pluggy manager.

Built-in plugins are modules of this package listed in :data:`BUILTIN_PLUGINS`; installed ones
are found through the ``logai`` entry-point group. Both go through the same manager, so the rest
of LogAI cannot tell them apart. A plugin that fails to import, registers an unknown hook or
raises inside a hook is recorded as failed, reported with one line on stderr and skipped: a
broken third-party package must never stop LogAI from starting. (Building a sanitizer is the
exception: a failed plugin that is, or may be, a rule pack blocks it; see
:mod:`logai.sanitize.packs`.)

Load order, which decides who keeps a contested name: the built-ins in :data:`BUILTIN_PLUGINS`
order, then LogAI's own distributions (:data:`FIRST_PARTY_DISTRIBUTIONS`), then every other
installed plugin sorted by entry-point name and distribution. A later plugin registering a name
an earlier one took is refused with a warning naming both (:meth:`PluginHost.refuse`).

The rest of LogAI reads what plugins registered through one typed method per hook
(:meth:`PluginHost.data_sources`, :meth:`~PluginHost.llm_providers`,
:meth:`~PluginHost.frontends`, :meth:`~PluginHost.tools`, :meth:`~PluginHost.sanitizer_rules`,
:meth:`~PluginHost.plugin_settings`, :meth:`~PluginHost.add_commands`): each binds every
``register`` call to the hook's documented signature (:mod:`logai.registration`), checks the
types and warns about what it ignores in the same words for every hook.

Environment switches (read here, before settings exist, because settings come from plugins too):

* ``LOGAI_PLUGINS`` - comma-separated allow-list of installed plugins to load ("" loads none).
* ``LOGAI_DISABLE_PLUGINS`` - comma-separated block-list, applies to built-ins too.
* ``LOGAI_TRACE_PLUGINS`` - when true, every hook call is traced on stderr.
"""

from __future__ import annotations

import difflib
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pluggy

from logai.plugin_records import (
    PluginInfo,
    Warn,
    describe_exception,
    describe_validation_error,
    is_true,
    split_names,
    stderr_warning,
)
from logai.registration import (
    Call,
    Registered,
    RegisterShape,
    check_callable,
    check_instance,
    check_name,
    check_priority,
)

if TYPE_CHECKING:
    import click

    from logai.config import LogAISettings
    from logai.llm.provider import LLMProvider
    from logai.plugin_settings import PluginSettings
    from logai.sanitize.rule import Rule
    from logai.sources.base import DataSource
    from logai.tools.base import Tool

    DataSourceFactory = Callable[[LogAISettings], DataSource]
    ProviderFactory = Callable[[LogAISettings], LLMProvider]
    FrontendLauncher = Callable[["FrontendContext"], int | None]

T = TypeVar("T")

# -- the hooks -------------------------------------------------------------------------------
#
# The hook specifications live beside the host because they name what the host hands out
# (a frontend gets a FrontendContext holding the host): one module, so the contract and the
# host that implements it do not import each other. ``logai.hookspecs`` re-exports them.

PROJECT_NAME = "logai"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@dataclass
class FrontendContext:
    """What a frontend's launcher receives: the settings and the plugin host to build on."""

    settings: LogAISettings
    host: PluginHost


class RegisterDataSource(Protocol):
    """The ``register`` callback of ``register_data_sources``."""

    def __call__(self, name: str, factory: DataSourceFactory) -> None: ...


class RegisterProvider(Protocol):
    """The ``register`` callback of ``register_llm_providers``."""

    def __call__(self, name: str, factory: ProviderFactory) -> None: ...


class RegisterRule(Protocol):
    """The ``register`` callback of ``register_sanitizer_rules``."""

    def __call__(self, rule: Rule) -> None: ...


class RegisterFrontend(Protocol):
    """The ``register`` callback of ``register_frontends``."""

    def __call__(self, name: str, launcher: FrontendLauncher, priority: int = 0) -> None: ...


class RegisterTool(Protocol):
    """The ``register`` callback of ``register_tools``."""

    def __call__(self, tool: Tool) -> None: ...


class RegisterSettings(Protocol):
    """The ``register`` callback of ``register_settings``."""

    def __call__(self, settings: type[PluginSettings]) -> None: ...


class HookSpecs:
    """Every hook a LogAI plugin can implement.

    Each receives a ``register`` callback rather than returning values, so the host knows which
    plugin supplied which source, rule or tool (``logai plugins`` shows it, and a broken plugin
    is isolated). Implementations may accept a subset of the arguments. Hooks evolve by adding
    arguments, never by changing existing ones: old plugins keep working.
    """

    @staticmethod
    @hookspec
    def register_data_sources(register: RegisterDataSource) -> None:
        """Register log backends: ``register(name, factory)``; ``factory(settings)`` -> source."""

    @staticmethod
    @hookspec
    def register_llm_providers(register: RegisterProvider) -> None:
        """Register LLM clients: ``register(name, factory)``; ``factory(settings)`` -> provider."""

    @staticmethod
    @hookspec
    def register_sanitizer_rules(register: RegisterRule) -> None:
        """Register redaction rules: ``register(rule)`` for each :class:`logai.sanitize.Rule`."""

    @staticmethod
    @hookspec
    def register_frontends(register: RegisterFrontend) -> None:
        """Register user interfaces: ``register(name, launcher, priority=0)``."""

    @staticmethod
    @hookspec
    def register_tools(register: RegisterTool) -> None:
        """Register extra tools for the LLM: ``register(tool)`` with a :class:`logai.tools.Tool`."""

    @staticmethod
    @hookspec
    def register_commands(cli: click.Group) -> None:
        """Add subcommands to the ``logai`` command line: ``cli.add_command(...)``."""

    @staticmethod
    @hookspec
    def register_settings(register: RegisterSettings) -> None:
        """Declare the plugin's own settings: ``register(SettingsClass)``, a ``PluginSettings``.

        ``logai config show`` and ``config check`` then list them next to core's.
        """


HOOK_NAMES: tuple[str, ...] = tuple(
    sorted(name for name in vars(HookSpecs) if name.startswith("register_"))
)

#: The documented signature of each hook's ``register`` callback (``register_commands`` hands
#: out the click group instead).
_SHAPES = {
    "register_data_sources": RegisterShape(("name", "factory")),
    "register_llm_providers": RegisterShape(("name", "factory")),
    "register_frontends": RegisterShape(
        ("name", "launcher", "priority"), {"priority": 0}, {"factory": "launcher"}
    ),
    "register_tools": RegisterShape(("tool",)),
    "register_sanitizer_rules": RegisterShape(("rule",)),
    "register_settings": RegisterShape(("settings",)),
}

#: How messages name what each hook registers.
_KINDS = {
    "register_data_sources": "data source",
    "register_llm_providers": "LLM provider",
    "register_frontends": "frontend",
    "register_tools": "tool",
    "register_sanitizer_rules": "sanitizer rule",
    "register_settings": "settings prefix",
}


@dataclass(frozen=True)
class RuleRegistrations:
    """What the rule packs registered: the rules, and the calls that were not a rule.

    Not warned about here: a malformed rule registration blocks sanitization instead (see
    :mod:`logai.sanitize.packs`), which is stronger than a warning.
    """

    rules: list[Registered[Rule]]
    malformed: list[tuple[str, int, str]]
    """``(plugin, n, reason)`` for each call that did not register a rule: the plugin's n-th."""


BUILTIN_DISTRIBUTION = "logai-core"

#: Core's own plugins, loaded through the same manager as installed ones.
BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("core-commands", "logai.builtins.commands"),
    ("default-rules", "logai.builtins.default_rules"),
    ("litellm", "logai.builtins.litellm_provider"),
    ("plain-chat", "logai.builtins.plain_frontend"),
    ("local-files", "logai.builtins.local_files"),
    ("core-tools", "logai.builtins.log_tools"),
)

#: LogAI's own installed distributions: they load right after the built-ins, so their names
#: (``cloudwatch``, ``tui``...) are as safe from third-party takeover as the built-ins' are.
FIRST_PARTY_DISTRIBUTIONS = frozenset({"logai-cloudwatch", "logai-tui", "logai-mcp"})


class PluginHost:
    """Owns the pluggy manager and the record of every plugin's fate."""

    def __init__(
        self,
        *,
        builtins: Iterable[tuple[str, str]] = BUILTIN_PLUGINS,
        load_entry_points: bool = True,
        environ: Mapping[str, str] | None = None,
        warn: Warn = stderr_warning,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self._warn = warn
        self.manager = pluggy.PluginManager(PROJECT_NAME)
        self.manager.add_hookspecs(HookSpecs)
        self._infos: dict[str, PluginInfo] = {}
        self._refused: set[tuple[str, str, str]] = set()
        self._calling: str | None = None
        self._trace = is_true(self._environ.get("LOGAI_TRACE_PLUGINS"))
        self._blocked = split_names(self._environ.get("LOGAI_DISABLE_PLUGINS", ""))
        allow = self._environ.get("LOGAI_PLUGINS")
        self._allowed = None if allow is None else split_names(allow)
        for name, module_path in builtins:
            self._load_builtin(name, module_path)
        if load_entry_points:
            self._load_entry_points()

    # -- loading ---------------------------------------------------------------------------

    @property
    def plugins(self) -> list[PluginInfo]:
        """Every plugin seen, loaded or not, built-ins first."""
        return list(self._infos.values())

    def _load_builtin(self, name: str, module_path: str) -> None:
        from logai import __version__

        info = PluginInfo(name, module_path, BUILTIN_DISTRIBUTION, __version__, builtin=True)
        self._load(info, lambda: import_module(module_path))

    def _load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        found = []
        for ep in entry_points(group=PROJECT_NAME):
            dist = getattr(ep, "dist", None)
            found.append((ep, dist.name if dist is not None else "?", dist))
        # Deterministic whatever order the environment lists distributions in.
        found.sort(key=lambda e: (e[1] not in FIRST_PARTY_DISTRIBUTIONS, e[0].name, e[1]))
        for ep, distribution, dist in found:
            info = PluginInfo(
                name=ep.name,
                module=ep.value,
                distribution=distribution,
                version=dist.version if dist is not None else "?",
                builtin=False,
            )
            if self._allowed is not None and ep.name not in self._allowed:
                info.status = "disabled"
                info.error = "not in LOGAI_PLUGINS"
                self._infos.setdefault(ep.name, info)
                continue
            self._load(info, ep.load)

    def register_plugin(
        self,
        name: str,
        plugin: object,
        *,
        distribution: str = "inline",
        version: str = "",
    ) -> PluginInfo:
        """Register an already imported plugin object (tests and embedding applications)."""
        module = getattr(plugin, "__name__", type(plugin).__name__)
        info = PluginInfo(name, module, distribution, version, builtin=False)
        self._load(info, lambda: plugin)
        return info

    def _load(self, info: PluginInfo, loader: Callable[[], object]) -> None:
        # A distribution name in the block-list disables its plugins whatever they are called:
        # the one way to switch off the second of two plugins that share a name.
        blocked = info.distribution in self._blocked and not info.builtin
        if info.name in self._infos:
            other = self._infos[info.name]
            key = f"{info.name} ({info.distribution})"
            self._infos[key] = info
            if blocked:
                info.status, info.error = "disabled", "in LOGAI_DISABLE_PLUGINS"
                return
            info.status, info.error = "failed", f"name already used by {other.distribution}"
            self._warn(f"plugin '{info.name}' from {info.distribution} skipped: {info.error}")
            return
        self._infos[info.name] = info
        if info.name in self._blocked or blocked:
            info.status, info.error = "disabled", "in LOGAI_DISABLE_PLUGINS"
            return
        try:
            plugin = loader()
        except (Exception, SystemExit) as exc:
            self._fail(info, f"failed to import: {describe_exception(exc)}")
            return
        info.imported = True
        # What the module offers, even if registering it fails below: a rule pack that cannot
        # register must still be recognised as one (it blocks sanitization).
        info.hooks = [hook for hook in self.hook_names() if callable(getattr(plugin, hook, None))]
        try:
            self.manager.register(plugin, name=info.name)
        except pluggy.PluginValidationError as exc:
            self._fail(info, describe_validation_error(exc))
            return
        except Exception as exc:
            self._fail(info, f"invalid hook implementation: {describe_exception(exc)}")
            return
        unknown = [
            caller.name
            for caller in self.manager.get_hookcallers(plugin) or []
            if not caller.has_spec()
        ]
        if unknown:
            self.manager.unregister(plugin)
            hint = difflib.get_close_matches(unknown[0], self.hook_names(), n=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            self._fail(info, f"unknown hook {unknown[0]}{suggestion}")
            return
        implemented = sorted(c.name for c in self.manager.get_hookcallers(plugin) or [])
        if not implemented:
            # Loaded, and would silently do nothing: almost always a forgotten @hookimpl.
            self.manager.unregister(plugin)
            undecorated = ", ".join(info.hooks)
            self._fail(
                info,
                f"implements no hook: {undecorated} not decorated with @hookimpl"
                if undecorated
                else "implements no hook (no @hookimpl function named after a hook: "
                + ", ".join(self.hook_names())
                + ")",
            )
            return
        info.hooks = implemented

    def _fail(self, info: PluginInfo, reason: str) -> None:
        info.status, info.error = "failed", reason
        if not info.imported or "register_sanitizer_rules" in info.hooks:
            # Not "skipped": a plugin that may carry sanitizer rules blocks sanitization (see
            # logai.sanitize.packs), and the warning must not suggest LogAI simply carries on.
            self._warn(
                f"plugin '{info.name}' ({info.distribution}): {reason}; sanitizer rules it may "
                "carry are missing, so nothing is sent to an LLM until it is fixed or disabled: "
                f"{self.disable_hint(info.name)}"
            )
            return
        self._warn(f"plugin '{info.name}' ({info.distribution}) skipped: {reason}")

    @property
    def tracing(self) -> bool:
        """Whether ``LOGAI_TRACE_PLUGINS`` is on: hook calls and plugin tracebacks are printed."""
        return self._trace

    def blame(self, plugin: str, what: str, exc: BaseException | None = None) -> str:
        """Mark ``plugin`` failed for ``what`` it did after loading; return the one-line message.

        For failures found when a registered factory, launcher or source method is used (long
        after the hooks ran): ``logai plugins`` lists the plugin as failed from then on in this
        process, and its hooks are not called again. The caller prints the message; with
        ``LOGAI_TRACE_PLUGINS=1`` the traceback of ``exc`` is printed here too.
        """
        info = self._infos.get(plugin)
        label = info.label if info is not None else f"'{plugin}'"
        if info is not None and info.status == "ok":
            info.status, info.error = "failed", what
        if self._trace and exc is not None:
            import traceback

            traceback.print_exception(exc, file=sys.stderr)
        return f"plugin {label}: {what}"

    @property
    def calling(self) -> str | None:
        """The plugin whose hook implementation is running right now, if any.

        For hooks that hand out an object instead of a ``register`` callback (the click group
        of ``register_commands``), so that what the plugin adds can still be attributed.
        """
        return self._calling

    @property
    def disabled_names(self) -> list[str]:
        """The names in ``LOGAI_DISABLE_PLUGINS``, sorted."""
        return sorted(self._blocked)

    def disable_hint(self, name: str) -> str:
        """The ``LOGAI_DISABLE_PLUGINS=...`` setting that also disables plugin ``name``."""
        return "LOGAI_DISABLE_PLUGINS=" + ",".join(sorted({*self._blocked, name}))

    def info(self, name: str) -> PluginInfo | None:
        """What is known about plugin ``name`` (as the hook calls name it)."""
        return self._infos.get(name)

    def claim(self, kind: str, name: str, plugin: str, owners: dict[str, str]) -> bool:
        """Whether ``plugin`` may have ``name``: the first registration wins, the rest are refused.

        ``owners`` maps each ``kind`` name claimed so far to its plugin. Hooks are called in
        load order (built-ins first), so a plugin can replace neither a built-in nor an earlier
        plugin; a refusal is reported by :meth:`refuse`. The same plugin registering a name
        twice keeps it.
        """
        owner = owners.setdefault(name, plugin)
        if owner != plugin:
            self.refuse(plugin, kind, name, owner)
            return False
        return True

    def refuse(self, plugin: str, kind: str, name: str, owner: str) -> None:
        """Record that ``plugin`` registered the ``kind`` ``name`` that ``owner`` already has.

        The later registration is dropped; the warning (once per process) names both plugins,
        and ``logai plugins`` lists the conflict under the refused plugin.
        """
        if (plugin, kind, name) in self._refused:
            return
        self._refused.add((plugin, kind, name))
        info, holder = self._infos.get(plugin), self._infos.get(owner)
        label = info.label if info is not None else f"'{plugin}'"
        holder_label = holder.label if holder is not None else f"'{owner}'"
        if info is not None:
            info.conflicts.append(f"{kind} '{name}' is taken by plugin {holder_label}")
        self._warn(
            f"plugin {label} registered {kind} '{name}', already registered by plugin "
            f"{holder_label}; refused (built-ins load first, then by entry-point name)"
        )

    def warn_about(self, plugin: str, message: str) -> None:
        """One warning line about ``plugin`` (something it registered was ignored, say).

        Once per process: hooks are called again each time a registry is read.
        """
        if (plugin, "warning", message) in self._refused:
            return
        self._refused.add((plugin, "warning", message))
        info = self._infos.get(plugin)
        label = info.label if info is not None else f"'{plugin}'"
        self._warn(f"plugin {label} {message}")

    def hook_names(self) -> list[str]:
        """Names of every hook LogAI defines."""
        return list(HOOK_NAMES)

    # -- calling ---------------------------------------------------------------------------

    def _healthy_impls(self, hook_name: str) -> list[Any]:
        """Implementations of a hook in registration order, skipping failed plugins.

        ``get_hookimpls()`` lists implementations in registration order (pluggy's own calls
        walk it backwards); keeping that order lets built-ins run before the installed plugins
        that might extend them, so a plugin can never shadow a built-in name.
        """
        caller = getattr(self.manager.hook, hook_name)
        impls = []
        for impl in caller.get_hookimpls():
            info = self._infos.get(impl.plugin_name)
            if info is None or info.status == "ok":
                impls.append(impl)
        return impls

    def _invoke(self, hook_name: str, impl: Any, kwargs: dict[str, Any]) -> bool:
        """Call one implementation; on an exception disable its plugin and return False.

        Calling implementations one by one (instead of pluggy's all-at-once hook call) is what
        keeps every healthy plugin working when one raises.
        """
        started = time.perf_counter()
        outer, self._calling = self._calling, impl.plugin_name
        try:
            impl.function(**{arg: kwargs[arg] for arg in impl.argnames if arg in kwargs})
            return True
        except Exception as exc:
            info = self._infos.get(impl.plugin_name)
            if info is not None:
                self._fail(info, f"raised in {hook_name}: {describe_exception(exc)}")
                self.manager.unregister(name=impl.plugin_name)
            return False
        finally:
            self._calling = outer
            if self._trace:
                elapsed = (time.perf_counter() - started) * 1000
                sys.stderr.write(
                    f"logai: trace: {hook_name} -> {impl.plugin_name} ({elapsed:.1f} ms)\n"
                )

    def _calls(self, hook_name: str) -> list[Call]:
        """Call a ``register``-style hook on every healthy plugin; every ``register`` call made.

        Calls of a plugin that raises part-way are dropped along with the plugin.
        """
        results: list[Call] = []
        for impl in self._healthy_impls(hook_name):
            pending: list[Call] = []

            def register(
                *args: Any,
                _plugin: str = impl.plugin_name,
                _pending: list[Call] = pending,
                **kw: Any,
            ) -> None:
                _pending.append(Call(_plugin, args, kw))

            if self._invoke(hook_name, impl, {"register": register}):
                results.extend(pending)
        return results

    def _bound(self, hook_name: str) -> list[tuple[Call, dict[str, Any]]]:
        """Each call of ``hook_name``'s ``register`` bound to its documented signature.

        A call that does not fit is warned about (once per process) and left out, the same way
        for every hook.
        """
        shape = _SHAPES[hook_name]
        bound = []
        for call in self._calls(hook_name):
            arguments = shape.bind(call)
            if isinstance(arguments, str):
                self.warn_ignored(call.plugin, hook_name, arguments)
            else:
                bound.append((call, arguments))
        return bound

    def warn_ignored(self, plugin: str, hook_name: str, reason: str) -> None:
        """Warn that something ``plugin`` registered through ``hook_name`` is ignored, and why."""
        self.warn_about(plugin, f"{hook_name}: {reason}; ignored")

    def _named(self, hook_name: str) -> dict[str, Registered[Any]]:
        """``register(name, factory)`` hooks: name -> registration, first claim kept."""
        shape = _SHAPES[hook_name]
        callable_param = shape.params[1]
        found: dict[str, Registered[Any]] = {}
        owners: dict[str, str] = {}
        for call, arguments in self._bound(hook_name):
            name, factory = arguments["name"], arguments[callable_param]
            priority = arguments.get("priority", 0)
            reason = check_name(shape, name)
            reason = reason or check_callable(shape, name, factory)
            if "priority" in arguments:
                reason = reason or check_priority(shape, name, priority)
            if reason:
                self.warn_ignored(call.plugin, hook_name, reason)
            elif self.claim(_KINDS[hook_name], name, call.plugin, owners):
                found.setdefault(name, Registered(name, factory, call.plugin, priority))
        return found

    def data_sources(self) -> dict[str, Registered[DataSourceFactory]]:
        """Every registered data source, by name, in load order."""
        return self._named("register_data_sources")

    def llm_providers(self) -> dict[str, Registered[ProviderFactory]]:
        """Every registered LLM provider implementation, by name, in load order."""
        return self._named("register_llm_providers")

    def frontends(self) -> dict[str, Registered[FrontendLauncher]]:
        """Every registered frontend, by name, in load order, with its priority."""
        return self._named("register_frontends")

    def tools(self) -> dict[str, Registered[Tool]]:
        """Every registered tool, by name, in load order (core's log tools first)."""
        from logai.tools.base import Tool

        shape = _SHAPES["register_tools"]
        found: dict[str, Registered[Tool]] = {}
        owners: dict[str, str] = {}
        for call, arguments in self._bound("register_tools"):
            tool = arguments["tool"]
            reason = check_instance(shape, tool, Tool, "logai.tools.Tool")
            if reason:
                self.warn_ignored(call.plugin, "register_tools", reason)
            elif self.claim("tool", tool.name, call.plugin, owners):
                found.setdefault(tool.name, Registered(tool.name, tool, call.plugin))
        return found

    def sanitizer_rules(self) -> RuleRegistrations:
        """Every registered rule, built-ins first, and each call that registered no rule.

        Names are not claimed here: :func:`logai.sanitize.packs.collect_rules` does that, since
        a refused rule blocks sanitization rather than being skipped.
        """
        from logai.sanitize.rule import Rule

        shape = _SHAPES["register_sanitizer_rules"]
        rules: list[Registered[Rule]] = []
        malformed: list[tuple[str, int, str]] = []
        made: dict[str, int] = {}
        for call in self._calls("register_sanitizer_rules"):
            made[call.plugin] = made.get(call.plugin, 0) + 1
            arguments = shape.bind(call)
            rule = None if isinstance(arguments, str) else arguments["rule"]
            if isinstance(rule, Rule):
                rules.append(Registered(rule.name, rule, call.plugin))
            else:
                reason = arguments if isinstance(arguments, str) else ""
                reason = reason or check_instance(shape, rule, Rule, "logai.sanitize.Rule")
                malformed.append((call.plugin, made[call.plugin], reason))
        builtin = {info.name for info in self._infos.values() if info.builtin}
        rules.sort(key=lambda registered: registered.plugin not in builtin)  # stable
        return RuleRegistrations(rules, malformed)

    def plugin_settings(self) -> list[Registered[type[PluginSettings]]]:
        """Every plugin's settings model, named by its prefix, in load order.

        A model that is not a :class:`~logai.plugin_settings.PluginSettings` subclass, whose
        prefix another plugin has, or whose variables would read one of core's is ignored with
        a warning: core's variables mean what core documents, whatever is installed.
        """
        from logai.config import LogAISettings, variables_of
        from logai.plugin_settings import PluginSettings

        core = {v for name in LogAISettings.model_fields for v in variables_of(LogAISettings, name)}
        found: list[Registered[type[PluginSettings]]] = []
        owners: dict[str, str] = {}
        for call, arguments in self._bound("register_settings"):
            model = arguments["settings"]
            if not (isinstance(model, type) and issubclass(model, PluginSettings)):
                shown = model.__name__ if isinstance(model, type) else type(model).__name__
                self.warn_ignored(
                    call.plugin,
                    "register_settings",
                    f"called register(settings) with {shown}, not a "
                    "logai.plugin_settings.PluginSettings subclass",
                )
                continue
            prefix = model.env_prefix()
            taken = sorted(
                core.intersection(
                    v for name in model.model_fields for v in variables_of(model, name)
                )
            )
            if not prefix or taken:
                why = f"read core's {', '.join(taken)}" if taken else "have no env_prefix"
                self.warn_ignored(
                    call.plugin, "register_settings", f"settings {model.__name__} {why}"
                )
                continue
            if self.claim("settings prefix", prefix, call.plugin, owners):
                found.append(Registered(prefix, model, call.plugin))
        return found

    def add_commands(self, cli: click.Group) -> None:
        """Let every plugin add its subcommands to ``cli`` (``register_commands``).

        While a plugin's hook runs, :attr:`calling` names it, so the group can attribute (and
        refuse, when the name is taken) what it adds.
        """
        for impl in self._healthy_impls("register_commands"):
            self._invoke("register_commands", impl, {"cli": cli})

    def create_data_source(self, settings: LogAISettings, name: str | None = None) -> DataSource:
        """Instantiate the data source ``name`` (default: ``settings.data_source``), cached.

        A plugin's factory that raises (other than a :class:`~logai.sources.DataSourceError`,
        which is a message for the user) or returns something that is not a data source, and a
        source whose methods are not ``async def``, raise :class:`~logai.faults.PluginFault`
        naming the plugin; so does any later call into the source that raises something
        unexpected (see :mod:`logai.faults`). An unknown name raises
        :class:`~logai.registries.UnknownComponent`. The source comes back behind the cache and
        the log group guardrails (:mod:`logai.sources.guard`), so every command and tool gets both.
        """
        from logai.cache import wrap_with_cache
        from logai.faults import build_source
        from logai.registries import lookup
        from logai.sources.guard import guard_source

        registration = lookup("data source", name or settings.data_source, self.data_sources())
        # The guardrails go outside the cache: a denied group is refused before any lookup, and
        # a cached answer holding one is never served.
        return guard_source(
            wrap_with_cache(build_source(registration, settings, self), settings), settings
        )


_host: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host, loaded on first use."""
    global _host
    if _host is None:
        _host = PluginHost()
    return _host


def set_host(host: PluginHost | None) -> None:
    """Replace the process-wide host (tests, embedding applications). ``None`` resets it."""
    global _host
    _host = host
