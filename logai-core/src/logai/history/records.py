"""What the history store hands back: plain frozen dataclasses, no SQLAlchemy in sight.

Every text here is as stored: sanitized, with placeholders. :meth:`SavedConversation.restore`
puts originals back for local display, from the conversation's own mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from logai.sanitize import PlaceholderEntry

__all__ = [
    "ConversationSummary",
    "SavedConversation",
    "SavedToolCall",
    "SavedTurn",
    "SavedUsage",
]

_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*_[0-9]+>")


@dataclass(frozen=True)
class ConversationSummary:
    """One line of ``logai history``."""

    id: int
    started: datetime
    updated: datetime
    title: str
    model: str
    questions: int
    prompt_tokens: int | None
    """None when no LLM call of the conversation reported usage."""
    completion_tokens: int | None
    cost_usd: float | None
    """None when no call had a known price."""

    @property
    def tokens(self) -> int | None:
        if self.prompt_tokens is None or self.completion_tokens is None:
            return None
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started.isoformat(),
            "updated": self.updated.isoformat(),
            "title": self.title,
            "model": self.model,
            "questions": self.questions,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
        }


@dataclass(frozen=True)
class SavedToolCall:
    """One tool call of a turn: what the LLM asked for and what came of it."""

    call_id: str
    name: str
    arguments: dict[str, Any]
    ok: bool
    summary: str
    duration_s: float
    events: int | None = None
    cache: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "name": self.name,
            "arguments": self.arguments,
            "ok": self.ok,
            "summary": self.summary,
            "duration_s": self.duration_s,
            "events": self.events,
            "cache": self.cache,
        }


@dataclass(frozen=True)
class SavedUsage:
    """What one LLM call consumed."""

    model: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class SavedTurn:
    """One question and its answer. ``status``: ok, failed, cancelled, or interrupted.

    "interrupted" is a turn whose process ended before the answer did (a crash, kill -9).
    """

    seq: int
    started: datetime
    finished: datetime | None
    status: str
    question: str
    answer: str
    error: str | None
    model: str
    source: str
    target: str
    system: str
    messages: list[dict[str, Any]]
    redactions: dict[str, int]
    iterations: int
    tool_calls: list[SavedToolCall] = field(default_factory=list)
    usage: list[SavedUsage] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        """Whether the turn belongs in the conversation a resumed chat continues."""
        return bool(self.messages)

    @property
    def duration_s(self) -> float | None:
        if self.finished is None:
            return None
        return (self.finished - self.started).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "duration_s": self.duration_s,
            "status": self.status,
            "question": self.question,
            "answer": self.answer,
            "error": self.error,
            "model": self.model,
            "source": self.source,
            "target": self.target,
            "iterations": self.iterations,
            "redactions": self.redactions,
            "tool_calls": [call.to_dict() for call in self.tool_calls],
            "usage": [row.to_dict() for row in self.usage],
            "system": self.system,
            "messages": self.messages,
        }


@dataclass(frozen=True)
class SavedConversation:
    """A whole conversation, with its placeholder mapping (kept out of ``repr``)."""

    id: int
    started: datetime
    updated: datetime
    title: str
    frontend: str
    turns: list[SavedTurn]
    placeholders: list[PlaceholderEntry] = field(default_factory=list, repr=False)

    @property
    def model(self) -> str:
        return next((turn.model for turn in reversed(self.turns) if turn.model), "")

    @property
    def usage(self) -> list[SavedUsage]:
        return [row for turn in self.turns for row in turn.usage]

    def messages(self) -> list[dict[str, Any]]:
        """The messages of the completed turns, in order: what a resumed chat continues from."""
        return [message for turn in self.turns for message in turn.messages]

    def restore(self, text: str) -> str:
        """``text`` with this conversation's placeholders back to their originals."""
        if "<" not in text or not self.placeholders:
            return text
        originals = {entry.placeholder: entry.original for entry in self.placeholders}
        return _PLACEHOLDER.sub(lambda m: originals.get(m.group(0), m.group(0)), text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started.isoformat(),
            "updated": self.updated.isoformat(),
            "title": self.title,
            "frontend": self.frontend,
            "model": self.model,
            "turns": [turn.to_dict() for turn in self.turns],
        }
