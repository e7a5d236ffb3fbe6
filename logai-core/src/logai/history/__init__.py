"""Saved conversations: every question, answer and tool call, resumable later.

:class:`~logai.history.session.ChatSession` records a chat as it happens into a
:class:`~logai.history.store.HistoryStore` (SQLite in ``LOGAI_HISTORY_DIR``); ``logai history``
lists, shows, exports and deletes them; ``logai ask --continue`` and the TUI's ``/resume`` pick
one up again. See ``docs/history.md``, including what the file holds and who can read it.

Importing this package is cheap: SQLAlchemy is imported when a store is first used.
"""

from __future__ import annotations

from logai.history.records import (
    ConversationSummary,
    SavedConversation,
    SavedToolCall,
    SavedTurn,
    SavedUsage,
)
from logai.history.session import ChatSession, HistoryError, open_session
from logai.history.store import DB_FILENAME, HistoryStore, open_history

__all__ = [
    "DB_FILENAME",
    "ChatSession",
    "ConversationSummary",
    "HistoryError",
    "HistoryStore",
    "SavedConversation",
    "SavedToolCall",
    "SavedTurn",
    "SavedUsage",
    "open_history",
    "open_session",
]
