"""The light widgets of the conversation: the user's message, errors and notices.

They are plain ``Static`` widgets, so the first paint does not pay for the markdown parser;
text is never parsed as markup, and control or format characters in it (from logs or the
model) show as visible escapes such as ``\\x1b`` instead of reaching the terminal;
the answer and command-output widgets live in :mod:`logai_tui.widgets.answer`, loaded when
the first one is needed.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from logai.terminal import visible
from logai.url_credentials import mask_urls_in_text


class UserMessage(Static):
    """What the user asked, shown verbatim (never parsed as markup or markdown)."""

    def __init__(self, text: str) -> None:
        super().__init__(Content(visible(text, multiline=True)), classes="user-message")
        self.text = text


class ErrorMessage(Static):
    """Something failed; says what and, where possible, what to do. The session continues."""

    def __init__(self, message: str) -> None:
        # An error may quote an endpoint URL (with its password) or text from a log or the model.
        shown = visible(mask_urls_in_text(message), multiline=True)
        super().__init__(Content.assemble(("✖ ", "bold"), shown), classes="error-message")
        self.message = message


class NoticeMessage(Static):
    """Worth knowing, not an error: a result was reduced, a setting is risky, an answer stopped."""

    def __init__(self, message: str) -> None:
        shown = visible(message, multiline=True)
        super().__init__(Content.assemble(("! ", "bold"), shown), classes="notice-message")
        self.message = message
