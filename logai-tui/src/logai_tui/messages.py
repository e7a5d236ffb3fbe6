"""Messages the widgets and workers of the TUI post to each other.

Kept in one module so a reader can see every conversation between components at a glance.
"""

from __future__ import annotations

from textual.message import Message


class PromptSubmitted(Message):
    """The user pressed Enter on a non-empty prompt."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        """What was typed, exactly (multi-line questions keep their newlines)."""


class BackendReady(Message):
    """The orchestrator exists and finished warming up; the model name is now known."""

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model = model


class BackendUnavailable(Message):
    """The orchestrator could not be created; questions cannot be answered this session."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class CacheWarning(Message):
    """The log cache reported a problem (it keeps working without the cache)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
