"""What the plugin host records about each plugin, and how a failure to load one is described.

Kept apart from :mod:`logai.plugins` (the host and the hooks) so that module stays about calling
hooks; nothing here knows the host.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pluggy

PluginStatus = Literal["ok", "failed", "disabled"]
Warn = Callable[[str], None]


def stderr_warning(message: str) -> None:
    sys.stderr.write(f"logai: warning: {message}\n")


def split_names(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class PluginInfo:
    """What ``logai plugins`` shows about one plugin."""

    name: str
    module: str
    distribution: str
    version: str
    builtin: bool
    hooks: list[str] = field(default_factory=list)
    status: PluginStatus = "ok"
    error: str = ""
    imported: bool = False
    """Whether the module was imported, i.e. whether :attr:`hooks` is known to be complete."""
    conflicts: list[str] = field(default_factory=list)
    """Names this plugin registered but was refused because an earlier plugin had them."""

    @property
    def label(self) -> str:
        """``'name' (distribution)``: how messages name a plugin."""
        return f"'{self.name}' ({self.distribution})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
            "hooks": self.hooks,
            "status": self.status,
            "error": self.error,
            "conflicts": self.conflicts,
        }


def describe_exception(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def describe_validation_error(exc: pluggy.PluginValidationError) -> str:
    """pluggy's reason, which its first line (``Plugin 'x' for hook 'y'``) does not carry."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    definition = next(
        (
            line.removeprefix("hookimpl definition:").strip()
            for line in lines
            if line.startswith("hookimpl definition:")
        ),
        "",
    )
    reason = lines[-1] if lines else type(exc).__name__
    where = f" {definition}" if definition else ""
    return f"invalid hook implementation{where}: {reason}"
