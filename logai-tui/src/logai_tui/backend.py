"""What the chat screen needs from the orchestrator, as a protocol, so tests can script it.

The real implementation is :class:`logai.llm.orchestrator.Orchestrator`, wrapped in a
:class:`logai.history.ChatSession` that saves each question. Its module pulls in
the tool registry and the LLM plumbing, so it is imported by :func:`create_orchestrator`
only, which the app calls from a worker thread after the first paint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm.events import Event
    from logai.plugins import PluginHost

__all__ = ["ChatBackend", "OrchestratorFactory", "create_orchestrator"]


class ChatBackend(Protocol):
    """A conversation about logs (:class:`~logai.llm.orchestrator.Orchestrator` satisfies it)."""

    @property
    def model(self) -> str:
        """The LiteLLM model string in use, for the status bar."""
        ...

    def ask(self, question: str) -> AsyncIterator[Event]:
        """Answer one message as a stream of events that always ends with ``Done``.

        Cancelling the consuming task, or closing the generator, stops the LLM stream and any
        running fetch.
        """
        ...

    def clear(self) -> None:
        """Forget the conversation."""
        ...

    def restore(self, text: str) -> str:
        """Sanitizer placeholders back to their original values, for local display only."""
        ...

    async def warm_up(self) -> None:
        """Do the slow imports and set-up now, so the first question does not wait."""
        ...


OrchestratorFactory = Callable[["LogAISettings", "PluginHost | None"], ChatBackend]
"""Builds the backend; called once per app, in a worker thread."""


def create_orchestrator(settings: LogAISettings, host: PluginHost | None) -> ChatBackend:
    """The production backend: core's orchestrator over the configured data source, saving
    each question to the conversation history (``LOGAI_HISTORY_ENABLED``) and able to resume
    a saved conversation (``/resume``)."""
    from logai.history import open_session
    from logai.llm.orchestrator import Orchestrator

    return open_session(settings, Orchestrator(settings, host=host), frontend="tui")
