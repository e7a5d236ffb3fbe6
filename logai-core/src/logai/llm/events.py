"""What the orchestrator tells a frontend while it answers one question.

One user message becomes an async stream of these events; frontends (the TUI, the plain chat,
``logai ask --json``) render them. Every event is a small frozen dataclass with a ``type`` tag
and :meth:`to_dict` for JSON lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class _Event:
    type: ClassVar[str] = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True)
class TextDelta(_Event):
    """A piece of the answer, as it streams in."""

    type: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True)
class ToolCallStarted(_Event):
    """The LLM asked for a tool; it is running now."""

    type: ClassVar[str] = "tool_started"
    call_id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ToolCallFinished(_Event):
    """A tool call ended; what went back to the LLM is summarised here, not repeated."""

    type: ClassVar[str] = "tool_finished"
    call_id: str
    name: str
    arguments: dict[str, Any]
    duration_s: float
    ok: bool
    summary: str
    """One line: "120 events", "12,408 events → 37 templates", or the error text."""
    events: int | None = None
    """Log events the tool returned, when it returns events."""
    cache: str | None = None
    """"hit", "miss", "bypass" or "error" when the data source is cached, else None."""
    redactions: str = ""
    """The sanitizer's summary for this result, e.g. "Redacted 3 emails, 2 IPs"."""
    redaction_counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Redacted(_Event):
    """Totals of what the sanitizer removed during this answer (emitted before ``Done``)."""

    type: ClassVar[str] = "redactions"
    summary: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Notice(_Event):
    """Something the user should know that is not an error (a result was reduced, say)."""

    type: ClassVar[str] = "warning"
    message: str


@dataclass(frozen=True)
class Failed(_Event):
    """The answer could not be completed. ``message`` says what to do about it."""

    type: ClassVar[str] = "error"
    message: str
    kind: str = "error"
    """A short category: "llm_auth", "llm_rate_limited", "llm_timeout", "config", ..."""


@dataclass(frozen=True)
class Usage(_Event):
    """What one LLM call consumed, as the provider reported it (emitted after each call).

    ``cost_usd`` is None when LiteLLM's local cost map does not know the model: a price is
    never guessed. Frontends add these up per question and per conversation; history stores them.
    """

    type: ClassVar[str] = "usage"
    model: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None = None


@dataclass(frozen=True)
class Done(_Event):
    """The answer is complete (also after a ``Failed``: the stream always ends with Done).

    ``logai ask --json`` adds ``conversation_id`` and ``usage`` (the question's totals) to this
    event's line (:mod:`logai.frontends.json_events`): only the command knows them.
    """

    type: ClassVar[str] = "done"
    text: str
    iterations: int
    ok: bool = True


Event = TextDelta | ToolCallStarted | ToolCallFinished | Redacted | Notice | Usage | Failed | Done
