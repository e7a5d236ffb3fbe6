"""The TUI's window onto saved conversations: the list for the history screen, and exports.

The store lives in core (:mod:`logai.history`, SQLAlchemy + aiosqlite). As :mod:`cache_access`
does for the cache, :class:`LocalConversations` does each job in a worker thread with its own
short event loop (open, read, close), so the screen never waits and looking never creates the
file. Recording and resuming happen in the chat's backend (:class:`logai.history.ChatSession`).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.history import ConversationSummary, HistoryStore, SavedConversation

__all__ = ["ConversationAccess", "LocalConversations"]


class ConversationAccess(Protocol):
    """List and read saved conversations."""

    @property
    def enabled(self) -> bool:
        """False when the user turned saving off (``LOGAI_HISTORY_ENABLED=false``)."""
        ...

    async def list(self) -> list[ConversationSummary]:
        """Saved conversations, most recently active first."""
        ...

    async def load(self, conversation_id: int) -> SavedConversation | None:
        """One conversation, or None when there is no such id."""
        ...


class LocalConversations:
    """The conversations saved in ``LOGAI_HISTORY_DIR``; problems raise ``RuntimeError``."""

    def __init__(self, settings: LogAISettings, *, limit: int = 200) -> None:
        self._settings = settings
        self._limit = limit

    @property
    def enabled(self) -> bool:
        return self._settings.history_enabled

    def _open(self) -> HistoryStore | None:
        from logai.history import open_history

        store = open_history(self._settings, warn=lambda _message: None)
        return store if store.exists() else None

    def _read_list(self) -> list[ConversationSummary]:
        store = self._open()
        if store is None:
            return []

        async def read(store: HistoryStore) -> list[ConversationSummary]:
            try:
                return await store.list(self._limit)
            finally:
                await store.aclose()

        found = asyncio.run(read(store))
        if store.problem:
            raise RuntimeError(store.problem)
        return found

    def _read_one(self, conversation_id: int) -> SavedConversation | None:
        store = self._open()
        if store is None:
            return None

        async def read(store: HistoryStore) -> SavedConversation | None:
            try:
                return await store.load(conversation_id)
            finally:
                await store.aclose()

        found = asyncio.run(read(store))
        if store.problem:
            raise RuntimeError(store.problem)
        return found

    async def list(self) -> list[ConversationSummary]:
        return await asyncio.to_thread(self._read_list)

    async def load(self, conversation_id: int) -> SavedConversation | None:
        return await asyncio.to_thread(self._read_one, conversation_id)
