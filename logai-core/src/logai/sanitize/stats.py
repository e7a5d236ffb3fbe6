"""Counts of what a sanitizer redacted, per placeholder kind, and their one-line summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["SanitizeStats", "kind_label"]

#: How words of a kind are written in summaries; other words are lower case.
_SPELLING = {
    "IP": "IP", "ID": "ID", "API": "API", "URL": "URL", "AWS": "AWS", "JWT": "JWT",
    "SSN": "SSN", "PHONE": "phone", "GITHUB": "GitHub", "GITLAB": "GitLab", "OPENAI": "OpenAI",
    "SLACK": "Slack", "STRIPE": "Stripe", "GOOGLE": "Google", "ANTHROPIC": "Anthropic",
    "NPM": "npm", "SENDGRID": "SendGrid", "HUGGINGFACE": "Hugging Face", "PYPI": "PyPI",
}  # fmt: skip
#: Kinds whose plain wording would mislead.
_NAMES = {"PHONE": "phone number"}


def kind_label(kind: str, count: int) -> str:
    """``"3 emails"``, ``"1 IP"``, ``"2 employee IDs"``: a count with its kind, for people."""
    name = _NAMES.get(kind) or " ".join(_SPELLING.get(w, w.lower()) for w in kind.split("_"))
    return f"{count} {name if count == 1 else name + 's'}"


@dataclass
class SanitizeStats:
    """How many values of each kind were redacted (occurrences, not distinct values).

    ``str()`` is the summary shown to users: ``"Redacted 3 emails, 2 IPs"``, most frequent
    kind first, and ``"Nothing redacted"`` when empty (a status line can print it as is; test
    ``bool(stats)`` to show it only when something happened).
    """

    counts: dict[str, int] = field(default_factory=dict)
    """Kind (``"EMAIL"``) to number of redacted occurrences."""

    def add(self, kind: str, count: int = 1) -> None:
        """Count ``count`` more redactions of ``kind``."""
        if count:
            self.counts[kind] = self.counts.get(kind, 0) + count

    def merge(self, other: SanitizeStats | Mapping[str, int]) -> None:
        """Add every count of ``other`` to this one (in place)."""
        counts = other.counts if isinstance(other, SanitizeStats) else other
        for kind, count in counts.items():
            self.add(kind, count)

    def __add__(self, other: SanitizeStats) -> SanitizeStats:
        result = SanitizeStats(dict(self.counts))
        result.merge(other)
        return result

    def __iadd__(self, other: SanitizeStats) -> SanitizeStats:
        self.merge(other)
        return self

    @property
    def total(self) -> int:
        """Redactions of every kind together."""
        return sum(self.counts.values())

    def __bool__(self) -> bool:
        return self.total > 0

    def to_dict(self) -> dict[str, int]:
        """Kind to count, most frequent first; JSON-friendly."""
        return dict(self._ordered())

    def _ordered(self) -> list[tuple[str, int]]:
        return sorted(
            ((kind, count) for kind, count in self.counts.items() if count),
            key=lambda item: (-item[1], item[0]),
        )

    def __str__(self) -> str:
        parts = [kind_label(kind, count) for kind, count in self._ordered()]
        return "Redacted " + ", ".join(parts) if parts else "Nothing redacted"
