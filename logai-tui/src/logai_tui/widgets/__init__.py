"""Widgets of the chat screen.

The answer widgets (:mod:`logai_tui.widgets.answer`: the streamed answer, tool panels,
command output) are not re-exported: they pull in the markdown parser, which the first paint
does not need, so the chat screen imports them on first use.
"""

from __future__ import annotations

from logai_tui.widgets.conversation import ErrorMessage, NoticeMessage, UserMessage
from logai_tui.widgets.prompt import PromptInput
from logai_tui.widgets.status import StatusBar

__all__ = ["ErrorMessage", "NoticeMessage", "PromptInput", "StatusBar", "UserMessage"]
