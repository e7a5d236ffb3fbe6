"""The :class:`Sanitizer`: one conversation's redaction of log text before it reaches the LLM."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, NoReturn

from logai.sanitize._matcher import Matcher
from logai.sanitize._vault import PlaceholderEntry, PlaceholderVault
from logai.sanitize.packs import SanitizerUnavailable
from logai.sanitize.rule import Rule
from logai.sanitize.stats import SanitizeStats

if TYPE_CHECKING:
    from typing import Any

    from logai.plugins import PluginHost
    from logai.sanitize._guard import RuleBudget
    from logai.sources.base import LogEvent

__all__ = ["Sanitizer", "SanitizerUnavailable"]


class Sanitizer:
    """Replaces sensitive values in text with typed placeholders such as ``<EMAIL_1>``.

    One instance is one conversation: a value always gets the same placeholder from it, so the
    LLM can still correlate events ("<IP_3> failed 40 logins"), and :meth:`restore` can put the
    originals back into the answer for local display. That mapping lives only in this object's
    memory. A value spanning line breaks (a PEM block) is replaced by its placeholder followed
    by the same line breaks, so line counts never change.
    """

    __slots__ = ("_disabled", "_enabled", "_kinds", "_matcher", "_normalizers", "_rules", "_vault")

    def __init__(
        self,
        rules: Iterable[Rule],
        *,
        enabled: bool = True,
        disabled_rules: Collection[str] = (),
        budget: RuleBudget | None = None,
    ) -> None:
        """Compile ``rules`` except those named in ``disabled_rules``.

        Rules other than LogAI's default ones run under ``budget`` (see
        :mod:`logai.sanitize._guard`): a line a rule cannot check in time is redacted whole.

        Raises ``ValueError`` for two rules with one name, an invalid pattern, or a name in
        ``disabled_rules`` that no rule has (a typo would otherwise silently keep the rule on).
        """
        all_rules = list(rules)
        names: set[str] = set()
        for rule in all_rules:
            if not isinstance(rule, Rule):
                raise TypeError(f"expected logai.sanitize.Rule, got {type(rule).__name__}")
            if rule.name in names:
                raise ValueError(f"two sanitizer rules are named {rule.name!r}")
            names.add(rule.name)
        unknown = sorted(set(disabled_rules) - names)
        if unknown:
            raise ValueError(
                f"unknown sanitizer rule(s) {', '.join(map(repr, unknown))} in disabled rules; "
                f"known rules: {', '.join(sorted(names)) or '(none)'}"
            )
        self._disabled = frozenset(disabled_rules)
        self._rules = tuple(rule for rule in all_rules if rule.name not in self._disabled)
        self._enabled = enabled
        self._matcher = Matcher(self._rules, budget=budget)
        self._kinds = self._matcher.kinds
        self._normalizers = [rule.normalize for rule in self._rules] + [None]
        self._vault = PlaceholderVault()

    @classmethod
    def from_plugins(
        cls,
        *,
        enabled: bool = True,
        disabled_rules: Collection[str] = (),
        host: PluginHost | None = None,
        budget: RuleBudget | None = None,
    ) -> Sanitizer:
        """A sanitizer with every rule registered through ``register_sanitizer_rules``.

        Fails closed: raises :class:`~logai.sanitize.packs.SanitizerUnavailable` when a rule
        pack failed to import, register or validate (see :mod:`logai.sanitize.packs`), naming
        the plugin and the ``LOGAI_DISABLE_PLUGINS`` setting that switches it off; every path
        that sends text to an LLM builds its sanitizer here. With ``enabled=False`` nothing is
        redacted anyway, so nothing blocks.
        """
        from logai.plugins import get_host
        from logai.sanitize.packs import collect_rules

        collection = collect_rules(host or get_host())
        if enabled and collection.problems:
            raise SanitizerUnavailable(collection.problems)
        return cls(collection.rules, enabled=enabled, disabled_rules=disabled_rules, budget=budget)

    # -- introspection ----------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """Whether this sanitizer changes anything (``LOGAI_PII_SANITIZATION_ENABLED``)."""
        return self._enabled

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules in use, in registration order (disabled ones left out)."""
        return self._rules

    @property
    def disabled_rules(self) -> frozenset[str]:
        """Names of the rules switched off by configuration."""
        return self._disabled

    def budget_report(self) -> list[dict[str, Any]]:
        """Per third-party rule: time-budget overruns, lines redacted whole, switched off or not."""
        return self._matcher.budget_report()

    def __repr__(self) -> str:
        # Counts only: never a value or a placeholder mapping.
        state = "enabled" if self._enabled else "disabled"
        return (
            f"<Sanitizer {state}, {len(self._rules)} rules, "
            f"{len(self._disabled)} disabled, {len(self._vault)} placeholders>"
        )

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError("a Sanitizer holds its placeholder mapping in memory only")

    # -- sanitizing ---------------------------------------------------------------------------

    def sanitize_text(self, text: str) -> tuple[str, SanitizeStats]:
        """``text`` with every sensitive value replaced, and what was replaced."""
        if not self._enabled or not text:
            return text, SanitizeStats()
        spans = self._matcher.find(text)
        if not spans:
            return text, SanitizeStats()
        out, kinds = self._vault.substitute(text, spans, self._kinds, self._normalizers)
        return out, SanitizeStats(dict(Counter(kinds)))

    def sanitize_logs(self, events: Iterable[LogEvent]) -> tuple[list[LogEvent], SanitizeStats]:
        """Events with ``message`` and ``stream`` sanitized; ``group`` and ids stay as they are.

        Group names are kept because the LLM passes them back to tools; they name resources,
        not people.
        """
        stats = SanitizeStats()
        result: list[LogEvent] = []
        for event in events:
            message, found = self.sanitize_text(event.message)
            stream, found_in_stream = self.sanitize_text(event.stream)
            if found or found_in_stream:
                stats.merge(found)
                stats.merge(found_in_stream)
                event = dataclasses.replace(event, message=message, stream=stream)
            result.append(event)
        return result, stats

    def restore(self, text: str) -> str:
        """Put the original values back in place of this sanitizer's placeholders.

        For showing an answer to the user on their own machine only: never send the result to
        the LLM, a cache or a log.
        """
        return self._vault.restore(text)

    # -- keeping a conversation across processes ------------------------------------------------

    def fresh(self) -> Sanitizer:
        """The same compiled rules with an empty placeholder mapping (a new conversation)."""
        twin = object.__new__(Sanitizer)
        for name in self.__slots__:
            setattr(twin, name, getattr(self, name))
        twin._vault = PlaceholderVault()
        return twin

    def placeholder_entries(self) -> list[PlaceholderEntry]:
        """The mapping, for the conversation history's private store only (docs/history.md)."""
        return self._vault.entries()

    def adopt_placeholders(
        self, entries: Iterable[PlaceholderEntry], reserved: Iterable[str] = ()
    ) -> None:
        """Continue a saved conversation's numbering (see :meth:`PlaceholderVault.adopt`)."""
        self._vault.adopt(entries, reserved)
