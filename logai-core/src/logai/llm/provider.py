"""The interface between the orchestrator and an LLM: messages in, typed stream events out.

The orchestrator never sees a vendor SDK or LiteLLM type: it sends OpenAI-format chat messages
and tool specs, and reads :data:`StreamEvent` values. Every failure arrives as an
:class:`LLMError` whose ``str()`` tells the user what to do, so a frontend can print it as is.

This module is imported on every start, so it imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "Completed",
    "LLMAuthError",
    "LLMBadRequest",
    "LLMError",
    "LLMProvider",
    "LLMRateLimited",
    "LLMTimeout",
    "LLMUnavailable",
    "StreamEvent",
    "TextDelta",
    "ToolCallRequest",
    "ToolCallsReady",
    "ToolSpec",
]


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model."""

    name: str
    """Identifier the model uses to call the tool."""

    description: str
    """What the tool does and when to use it; the model reads this to decide."""

    parameters: dict[str, Any]
    """JSON schema (``type: object``) of the arguments."""

    def to_openai(self) -> dict[str, Any]:
        """The OpenAI ``tools`` entry; LiteLLM translates it for other providers."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True)
class ToolCallRequest:
    """One tool call the model asked for.

    ``arguments`` is the raw JSON text as the model produced it (``"{}"`` when it sent none): it
    may be malformed, and deciding what to tell the model about that is the orchestrator's job.
    """

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of answer text, in arrival order."""

    text: str


@dataclass(frozen=True)
class ToolCallsReady:
    """Every tool call of this turn, complete, in the order the model made them.

    Sent once, after the model finished the turn: arguments arrive in fragments and are only
    usable once whole.
    """

    calls: list[ToolCallRequest]


@dataclass(frozen=True)
class Completed:
    """The turn is over. Always the last event of a successful stream."""

    finish_reason: str | None
    """``"stop"``, ``"tool_calls"``, ``"length"``…; ``None`` when the provider sent none."""

    usage: dict[str, int] | None = field(default=None)
    """``prompt_tokens``, ``completion_tokens`` and ``total_tokens``, when reported."""


StreamEvent = TextDelta | ToolCallsReady | Completed


@runtime_checkable
class LLMProvider(Protocol):
    """What the orchestrator needs from an LLM client."""

    name: str
    """Registered name of the implementation, e.g. ``"litellm"``."""

    model: str
    """The model in use, e.g. ``"anthropic/claude-sonnet-4-5"``; shown to the user."""

    def stream(
        self, messages: list[dict[str, Any]], tools: list[ToolSpec]
    ) -> AsyncGenerator[StreamEvent, None]:
        """Send one chat turn and stream the answer.

        ``messages`` use the OpenAI chat format (``role``, ``content``, ``tool_calls``,
        ``tool_call_id``). Yields :class:`TextDelta` events as text arrives, then at most one
        :class:`ToolCallsReady`, then :class:`Completed`. Raises :class:`LLMError`.

        An async generator (not just an iterator) so callers can ``contextlib.aclosing`` it:
        abandoning a stream half-way must close the HTTP response at once, not at GC time.
        """
        ...

    async def warm_up(self) -> None:
        """Do slow one-time set-up (imports) now, so the first question does not wait for it."""
        ...


class LLMError(Exception):
    """The LLM could not answer. ``str()`` is a complete, actionable message for the user.

    Messages never contain the API key. ``status`` is the HTTP status when there was one;
    ``attempts`` counts the requests made, retries included.
    """

    def __init__(self, message: str, *, status: int | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.attempts = attempts

    def __str__(self) -> str:
        return self.message


class LLMAuthError(LLMError):
    """The provider rejected the credentials (401/403), or none were configured."""


class LLMRateLimited(LLMError):
    """The provider kept answering 429 Too Many Requests, retries included."""


class LLMTimeout(LLMError):
    """The provider sent nothing for longer than the configured timeout."""


class LLMUnavailable(LLMError):
    """The provider failed (5xx, overloaded, connection refused or dropped), retries included."""


class LLMBadRequest(LLMError):
    """The provider refused the request itself (unknown model, context too long, bad input)."""
