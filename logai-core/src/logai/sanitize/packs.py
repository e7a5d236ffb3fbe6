"""Which rule packs are installed, which of their rules are usable, and whether that is enough.

A sanitizer built without a rule pack the user installed would send exactly the data that pack
exists to protect. So instead of skipping what is broken, :func:`collect_rules` reports it, and
:class:`~logai.sanitize.Sanitizer` refuses to exist (:class:`SanitizerUnavailable`) until the
user either fixes the pack or disables it explicitly with ``LOGAI_DISABLE_PLUGINS``.

What blocks sanitization:

* a plugin that failed to import (or was refused because another plugin has its entry-point
  name): its module never ran, so nobody can tell whether it would have registered rules;
* a plugin that implements ``register_sanitizer_rules`` and failed anywhere: at registration,
  in that hook or in another one (a failed plugin's hooks are not called again);
* a rejected rule: not a :class:`Rule`, a name another plugin already has, an invalid pattern,
  group or trigger, or an ``example`` the rule does not redact through the engine (wrong
  ``hints`` or ``reach``).

Plugins that imported fine and implement no rule hook never block, whatever else they break.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logai.sanitize.rule import Rule

if TYPE_CHECKING:
    from logai.plugin_records import PluginInfo
    from logai.plugins import PluginHost

__all__ = ["PackReport", "RejectedRule", "RuleCollection", "SanitizerUnavailable", "collect_rules"]

RULES_HOOK = "register_sanitizer_rules"


class SanitizerUnavailable(RuntimeError):
    """No sanitizer can be built: a rule pack is broken, so nothing may reach an LLM.

    Raised by :meth:`logai.sanitize.Sanitizer.from_plugins` (and everything built on it:
    ``logai sanitize``, ``logai logs``, conversations). ``str()`` is the message for the user,
    one line per broken pack, each naming the plugin and the setting that disables it;
    :attr:`problems` holds the same lines.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class RejectedRule:
    """A rule a pack registered that the engine refused, and why."""

    name: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "reason": self.reason}


@dataclass
class PackReport:
    """One plugin's part in sanitization: the rules it registered and what went wrong."""

    plugin: str
    rules: list[str] = field(default_factory=list)
    rejected: list[RejectedRule] = field(default_factory=list)
    problem: str = ""
    """Why this plugin blocks sanitization; empty when it does not."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "rejected": [rejected.to_dict() for rejected in self.rejected],
            "blocks_sanitization": bool(self.problem),
        }


@dataclass
class RuleCollection:
    """Every usable rule in load order, and a report per plugin that has or may have rules."""

    rules: list[Rule]
    packs: dict[str, PackReport]
    owners: dict[str, str]
    """Rule name to the plugin that registered it."""

    @property
    def problems(self) -> list[str]:
        """One message per plugin that blocks sanitization."""
        return [pack.problem for pack in self.packs.values() if pack.problem]


def _may_have_rules(info: PluginInfo) -> bool:
    return not info.imported or RULES_HOOK in info.hooks


def _problem(host: PluginHost, info: PluginInfo | None, plugin: str, what: str) -> str:
    label = info.label if info is not None else f"'{plugin}'"
    name = info.name if info is not None else plugin
    if info is not None and info.status == "failed" and info.error.startswith("name already"):
        # Disabling by plugin name would switch off both plugins; the distribution is unique.
        name = info.distribution
    return (
        f"sanitizer unavailable: plugin {label} {what}; nothing is sent to an LLM until it "
        f"is fixed or disabled: {host.disable_hint(name)}"
    )


def collect_rules(host: PluginHost) -> RuleCollection:
    """Call every rule pack, validate what it registered and report each pack's state."""
    from logai.sanitize._matcher import check_rule

    registered = host.sanitizer_rules()
    packs: dict[str, PackReport] = {}
    rules: list[Rule] = []
    owners: dict[str, str] = {}
    for plugin, position, reason in registered.malformed:
        pack = packs.setdefault(plugin, PackReport(plugin))
        pack.rejected.append(RejectedRule(f"#{position}", reason))
    for registration in registered.rules:
        plugin, rule = registration.plugin, registration.factory
        pack = packs.setdefault(plugin, PackReport(plugin))
        if not host.claim("sanitizer rule", rule.name, plugin, owners):
            holder = host.info(owners[rule.name])
            taken_by = holder.label if holder is not None else f"'{owners[rule.name]}'"
            pack.rejected.append(RejectedRule(rule.name, f"the name is taken by plugin {taken_by}"))
            continue
        try:
            check_rule(rule)
        except ValueError as exc:
            reason = str(exc).removeprefix(f"rule {rule.name!r}: ")
            pack.rejected.append(RejectedRule(rule.name, reason))
            continue
        pack.rules.append(rule.name)
        rules.append(rule)
    for pack in packs.values():
        if pack.rejected:
            first = pack.rejected[0]
            more = f" (and {len(pack.rejected) - 1} more)" if len(pack.rejected) > 1 else ""
            pack.problem = _problem(
                host,
                host.info(pack.plugin),
                pack.plugin,
                f"registered a sanitizer rule that was rejected: '{first.name}': "
                f"{first.reason}{more}",
            )
    for info in host.plugins:
        if info.status == "failed" and _may_have_rules(info):
            key = info.name if host.info(info.name) is info else info.label
            pack = packs.setdefault(key, PackReport(key))
            why = info.error
            if not info.imported:
                why += " (it may be a sanitizer rule pack)"
            pack.problem = _problem(host, info, info.name, why)
    return RuleCollection(rules, packs, owners)
