"""Scrub PII and secrets from log text before it reaches the LLM.

The engine (:class:`Sanitizer`) runs :class:`Rule` objects that plugins register through the
``register_sanitizer_rules`` hook; the default pack is a built-in plugin
(:mod:`logai.builtins.default_rules`) and third parties add packs the same way. Values become
typed placeholders (``<EMAIL_1>``) that stay consistent for one sanitizer, i.e. one
conversation. See ``docs/sanitization.md``.

Importing this package costs only the standard library's ``re``: rules are compiled when the
first sanitizer is built.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from logai.sanitize._guard import RuleBudget
from logai.sanitize._vault import PlaceholderEntry, placeholders_in
from logai.sanitize.engine import Sanitizer
from logai.sanitize.packs import SanitizerUnavailable
from logai.sanitize.rule import Rule, Validator
from logai.sanitize.stats import SanitizeStats

if TYPE_CHECKING:
    from collections.abc import Iterable

    from logai.plugins import PluginHost
    from logai.sources.base import LogEvent

__all__ = [
    "PlaceholderEntry",
    "Rule",
    "RuleBudget",
    "SanitizeStats",
    "Sanitizer",
    "SanitizerUnavailable",
    "Validator",
    "default_rules",
    "default_sanitizer",
    "placeholders_in",
    "reset_default_sanitizer",
    "sanitize_logs",
    "sanitize_text",
]


_default_pack: tuple[Rule, ...] | None = None
_trusted: frozenset[Rule] | None = None


def default_rules() -> list[Rule]:
    """The rules of LogAI's default pack (what the built-in plugin registers).

    Built once per process: rules are immutable, and the same objects every time let the
    engine recognise them as its own (they run without a time budget).
    """
    global _default_pack
    if _default_pack is None:
        from logai.sanitize.rules import default_rules as rules

        _default_pack = tuple(rules())
    return list(_default_pack)


def trusted_rules() -> frozenset[Rule]:
    """The rules that run on Python's ``re`` without a time budget: the default pack's."""
    global _trusted
    if _trusted is None:
        _trusted = frozenset(default_rules())
    return _trusted


_default: tuple[PluginHost, Sanitizer] | None = None
_default_lock = threading.Lock()


def default_sanitizer() -> Sanitizer:
    """The process-wide sanitizer behind :func:`sanitize_text` and :func:`sanitize_logs`.

    Built on first use from the plugin host's rules and the settings
    (``LOGAI_PII_SANITIZATION_ENABLED``, ``LOGAI_SANITIZER_DISABLED_RULES``); rebuilt, with a
    fresh placeholder mapping, when the process-wide plugin host is replaced. Code that holds a
    conversation should own its own :class:`Sanitizer` instead, so placeholders do not carry
    over between conversations.
    """
    global _default
    from logai.plugins import get_host

    host = get_host()
    with _default_lock:
        if _default is None or _default[0] is not host:
            from logai.config import load_settings

            settings = load_settings()
            sanitizer = Sanitizer.from_plugins(
                enabled=settings.pii_sanitization_enabled,
                disabled_rules=settings.sanitizer_disabled_rules,
                host=host,
            )
            _default = (host, sanitizer)
        return _default[1]


def reset_default_sanitizer() -> None:
    """Forget the process-wide sanitizer (and its placeholders); the next call builds anew."""
    global _default
    with _default_lock:
        _default = None


def sanitize_text(text: str) -> tuple[str, SanitizeStats]:
    """Sanitize ``text`` with the process-wide sanitizer: ``(sanitized text, stats)``."""
    return default_sanitizer().sanitize_text(text)


def sanitize_logs(events: Iterable[LogEvent]) -> tuple[list[LogEvent], SanitizeStats]:
    """Sanitize the message and stream of ``events`` with the process-wide sanitizer."""
    return default_sanitizer().sanitize_logs(events)
