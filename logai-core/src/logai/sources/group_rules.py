"""Which log groups LogAI may read at all: ``LOGAI_LOG_GROUPS_ALLOW`` and ``LOGAI_LOG_GROUPS_DENY``.

Each variable is a comma-separated list of glob patterns (:func:`fnmatch.fnmatchcase`: ``*``
matches any run of characters, ``/`` included; ``?`` one character; ``[abc]`` a set; case
counts, as in CloudWatch). A pattern may name a target, ``prod-eu:/aws/lambda/*``, and then
applies in that target only (see :mod:`logai.sources.targets`); without one it applies in every
target.

A group is allowed when it matches no deny pattern and, if any allow pattern is set, matches
one of them: deny wins. A name is checked in every form that could reach the same group: as
given (surrounding whitespace aside), with ``.`` and ``..`` path steps resolved, and the group
name inside a log group ARN; every form must pass. Nothing here talks to a source;
:mod:`logai.sources.guard` applies the rules to every call before it is made.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from logai.sources.targets import TARGET_NAME

if TYPE_CHECKING:
    from logai.config import LogAISettings

__all__ = ["ALLOW_VARIABLE", "DENY_VARIABLE", "GroupPattern", "GroupRules", "PatternError"]

ALLOW_VARIABLE = "LOGAI_LOG_GROUPS_ALLOW"
DENY_VARIABLE = "LOGAI_LOG_GROUPS_DENY"

#: ``arn:aws:logs:REGION:ACCOUNT:log-group:NAME`` (optionally ``:*``): the NAME inside.
_ARN = re.compile(r"^arn:[^:]*:logs:[^:]*:[^:]*:log-group:(?P<name>[^:]+)(?::\*)?$")
_PATH_STEPS = re.compile(r"(^|/)\.\.?(/|$)|//")


class PatternError(ValueError):
    """A pattern that cannot be used; ``str()`` says which and why."""


@dataclass(frozen=True)
class GroupPattern:
    """One glob, for every target (``target`` None) or for one."""

    glob: str
    target: str | None = None

    @classmethod
    def parse(cls, text: str) -> GroupPattern:
        """``glob`` or ``target:glob``; raises :class:`PatternError` for an empty glob."""
        cleaned = text.strip()
        head, separator, rest = cleaned.partition(":")
        if separator and TARGET_NAME.fullmatch(head) and head.lower() != "arn":
            target, glob = head, rest.strip()
        else:
            target, glob = None, cleaned
        if not glob:
            raise PatternError(f"'{cleaned}' has no group pattern after the target name.")
        if glob.count("[") > glob.count("]"):
            raise PatternError(f"'{cleaned}' has an unclosed '[' (use [[] for a literal one).")
        return cls(glob, target)

    def matches(self, target: str, name: str) -> bool:
        return (self.target is None or self.target == target) and fnmatchcase(name, self.glob)

    def __str__(self) -> str:
        return f"{self.target}:{self.glob}" if self.target else self.glob


def name_forms(name: str) -> list[str]:
    """Every spelling of ``name`` a source could take for the same group, as given (without
    surrounding whitespace) first."""
    forms = [name.strip()]  # the cache and the sources strip surrounding whitespace
    found = _ARN.match(forms[0])
    if found:
        forms.append(found.group("name"))
    for form in list(forms):
        if _PATH_STEPS.search(form):
            resolved = posixpath.normpath(form)
            forms.append(resolved + "/" if form.endswith("/") and resolved != "/" else resolved)
    return list(dict.fromkeys(forms))


@dataclass(frozen=True)
class GroupRules:
    """The allow and deny patterns in force; inactive (allowing everything) when both are empty."""

    allow: tuple[GroupPattern, ...] = ()
    deny: tuple[GroupPattern, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.allow or self.deny)

    @classmethod
    def parse(cls, allow: Iterable[str], deny: Iterable[str]) -> GroupRules:
        """Rules from pattern texts; raises :class:`PatternError` naming the variable."""
        return cls(_parse_all(allow, ALLOW_VARIABLE), _parse_all(deny, DENY_VARIABLE))

    @classmethod
    def from_settings(cls, settings: LogAISettings) -> GroupRules:
        return cls.parse(settings.log_groups_allow, settings.log_groups_deny)

    def allows(self, target: str, name: str) -> bool:
        """Whether group ``name`` of ``target`` (``""`` for a single-target source) may be read."""
        if not self.active:
            return True
        for form in name_forms(name):
            if any(pattern.matches(target, form) for pattern in self.deny):
                return False
            if self.allow and not any(pattern.matches(target, form) for pattern in self.allow):
                return False
        return True

    def allows_everywhere(self, targets: Sequence[str], name: str) -> bool:
        """Whether a plain name (meaning: in every target) may be read in each of them."""
        return all(self.allows(target, name) for target in targets or ("",))

    def describe(self) -> str:
        """One line for ``config show`` and status bars."""
        if not self.active:
            return "every log group may be read"
        parts = []
        if self.allow:
            parts.append("only " + ", ".join(map(str, self.allow)))
        if self.deny:
            parts.append("never " + ", ".join(map(str, self.deny)))
        return "; ".join(parts)

    def problems(self, targets: Sequence[str]) -> list[tuple[str, str]]:
        """``(variable, message)`` for patterns naming a target that is not configured."""
        found = []
        for variable, patterns in ((ALLOW_VARIABLE, self.allow), (DENY_VARIABLE, self.deny)):
            for pattern in patterns:
                if pattern.target is not None and pattern.target not in targets:
                    where = (
                        f"the targets are {', '.join(targets)}"
                        if targets
                        else "no targets are configured (LOGAI_AWS_TARGETS)"
                    )
                    found.append(
                        (
                            variable,
                            f"'{pattern}' names target '{pattern.target}', but {where}; the "
                            "pattern matches nothing.",
                        )
                    )
        return found


def _parse_all(texts: Iterable[str], variable: str) -> tuple[GroupPattern, ...]:
    patterns = []
    for text in texts:
        if not text.strip():
            continue
        try:
            patterns.append(GroupPattern.parse(text))
        except PatternError as exc:
            raise PatternError(f"{variable}: {exc}") from None
    return tuple(patterns)
