"""Names in settings that must match something installed: rules, plugins, data sources.

A typo in one of these lists is not a parse error, so the settings load; it surfaces only when a
run needs the name (``logai sanitize`` refuses an unknown disabled rule) or never (a plugin name
nobody has in ``LOGAI_DISABLE_PLUGINS`` is silently ignored, leaving the plugin on). ``logai
config check`` reports them all up front, each with the closest names.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logai.config import LogAISettings, Problem
    from logai.plugins import PluginHost


def closest(name: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` candidates that ``name`` most likely meant (case-insensitive), best first."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    picks = difflib.get_close_matches(name.lower(), list(by_lower), n=n, cutoff=cutoff)
    return [by_lower[pick] for pick in picks if by_lower[pick] != name]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """`` Did you mean a or b?`` (with the leading space), or an empty string."""
    close = closest(name, candidates)
    return f" Did you mean {' or '.join(close)}?" if close else ""


def _split(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def rule_problems(settings: LogAISettings, host: PluginHost) -> list[Problem]:
    """Unknown names in ``LOGAI_SANITIZER_DISABLED_RULES``, and rule packs that block a run."""
    from logai.config import Problem
    from logai.sanitize.packs import collect_rules

    collection = collect_rules(host)
    problems = []
    if settings.pii_sanitization_enabled:
        problems += [
            Problem("error", "LOGAI_DISABLE_PLUGINS", line) for line in collection.problems
        ]
    known = {rule.name for rule in collection.rules}
    for name in settings.sanitizer_disabled_rules:
        if name not in known:
            problems.append(
                Problem(
                    "error",
                    "LOGAI_SANITIZER_DISABLED_RULES",
                    f"no sanitizer rule named '{name}'.{did_you_mean(name, known)} "
                    "`logai plugins` lists every rule.",
                )
            )
    return problems


def plugin_problems(host: PluginHost, environ: Mapping[str, str] | None = None) -> list[Problem]:
    """Names in ``LOGAI_PLUGINS`` and ``LOGAI_DISABLE_PLUGINS`` that no installed plugin has.

    The block-list also accepts distribution names (how one of two same-named plugins is
    switched off), so those count as known there.
    """
    from logai.config import Problem

    env = os.environ if environ is None else environ
    plugins = {info.name for info in host.plugins if " (" not in info.name}
    distributions = {info.distribution for info in host.plugins if not info.builtin}
    problems = []
    for variable, known in (
        ("LOGAI_PLUGINS", plugins),
        ("LOGAI_DISABLE_PLUGINS", plugins | distributions),
    ):
        for name in _split(env.get(variable, "")):
            if name not in known:
                listed = ", ".join(sorted(plugins)) or "none"
                problems.append(
                    Problem(
                        "error",
                        variable,
                        f"no installed plugin named '{name}'.{did_you_mean(name, known)} "
                        f"Installed: {listed}.",
                    )
                )
    return problems


#: How many group names are listed to suggest a fix for a prefix that matched none.
PREFIX_SCAN_LIMIT = 1000


def closest_prefixes(prefix: str, names: Iterable[str], n: int = 3) -> list[str]:
    """Prefixes of existing ``names`` that a prefix matching none of them most likely meant.

    Each name is cut to as many ``/`` segments as ``prefix`` has (``/aws/lamda/`` is compared with
    ``/aws/lambda/``, not with whole names). The cutoff is stricter than for single words:
    prefixes share their leading ``/aws/``, which alone makes ``/aws/ecs/`` look 60 % alike.
    """
    typed = prefix.split("/")
    ends_with_slash = prefix.endswith("/")
    cuts: list[str] = []
    for name in names:
        parts = name.split("/")
        if ends_with_slash:
            if len(parts) < len(typed):
                continue
            cuts.append("/".join(parts[: len(typed) - 1]) + "/")
        else:
            cuts.append("/".join(parts[: len(typed)]))
    return closest(prefix, dict.fromkeys(cuts), n, cutoff=0.75)
