"""The TUI's screens: the chat, and the "here is what to configure" screen."""

from __future__ import annotations

from logai_tui.screens.chat import ChatScreen
from logai_tui.screens.config_problems import ConfigProblemsScreen

__all__ = ["ChatScreen", "ConfigProblemsScreen"]
