"""How one ``register(...)`` call of a plugin is read, whatever the hook.

Every hook hands a plugin a ``register`` callback whose documented signature is a
:class:`RegisterShape`. A call is bound to that signature the way Python binds arguments
(positional or keyword, defaults, a documented alias such as ``launcher=`` / ``factory=``), and
each argument is checked for its type; a call that cannot be used is one reason string, which the
plugin host turns into the same one-line warning for every hook. Nothing here knows the host:
what the host returns (:class:`Registered`) can be named by any module without importing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Registered(Generic[T]):
    """Something a plugin registered (a factory, launcher, tool, rule, settings model) and by whom.

    ``name`` is what it is registered as (a source name, a tool name, a settings prefix).
    """

    name: str
    factory: T
    plugin: str
    priority: int = 0


@dataclass(frozen=True)
class Call:
    """One ``register(...)`` call as the plugin made it."""

    plugin: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class RegisterShape:
    """The documented signature of one hook's ``register`` callback."""

    params: tuple[str, ...]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    """Other keyword names accepted for a parameter (``factory=`` for ``launcher``)."""

    @property
    def usage(self) -> str:
        shown = [f"{p}={self.defaults[p]!r}" if p in self.defaults else p for p in self.params]
        return f"register({', '.join(shown)})"

    def bind(self, call: Call) -> dict[str, Any] | str:
        """The arguments by parameter name, or why the call does not fit the signature."""
        if len(call.args) > len(self.params):
            return f"called {self.usage} with {len(call.args)} positional arguments"
        bound = dict(zip(self.params, call.args, strict=False))
        for keyword, value in call.kwargs.items():
            param = self.aliases.get(keyword, keyword)
            if param not in self.params:
                return f"called {self.usage} with an unexpected keyword argument '{keyword}'"
            if param in bound:
                return f"called {self.usage} with '{param}' given twice"
            bound[param] = value
        missing = [p for p in self.params if p not in bound and p not in self.defaults]
        if missing:
            return f"called {self.usage} without {', '.join(missing)}"
        return {p: bound.get(p, self.defaults.get(p)) for p in self.params}


def check_name(shape: RegisterShape, value: object) -> str:
    """Empty when ``value`` is a usable name, else why not."""
    if isinstance(value, str) and value.strip():
        return ""
    return f"called {shape.usage} without a name (a non-empty string)"


def check_callable(shape: RegisterShape, name: str, value: object) -> str:
    if callable(value):
        return ""
    return f"called {shape.usage} for '{name}' with {type(value).__name__}, not a callable"


def check_priority(shape: RegisterShape, name: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return ""
    return f"called {shape.usage} for '{name}' with a priority that is not an integer"


def check_instance(shape: RegisterShape, value: object, expected: type, public_name: str) -> str:
    """Empty when ``value`` is an ``expected``; ``public_name`` is how the docs spell the type."""
    if isinstance(value, expected):
        return ""
    return f"called {shape.usage} with {type(value).__name__}, not a {public_name}"
