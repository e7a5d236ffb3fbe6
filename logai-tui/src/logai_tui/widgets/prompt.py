"""The multi-line prompt: Enter sends, Shift+Enter breaks the line, Up/Down walk the history.

Up and Down only reach the history when the cursor is on the first (or last) *visual* line,
so moving around inside a multi-line question, or a long soft-wrapped one, still works as in
any editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.widgets import TextArea

from logai_tui.messages import PromptSubmitted

if TYPE_CHECKING:
    from textual import events

    from logai_tui.history import InputHistory

#: Keys that insert a line break. Many terminals report Shift+Enter as plain Enter, so the
#: keys that do arrive distinctly (Ctrl+J is a literal newline, Alt+Enter) work too.
NEWLINE_KEYS = frozenset({"shift+enter", "ctrl+j", "alt+enter"})


class PromptInput(TextArea):
    """Where questions and slash commands are typed."""

    BORDER_TITLE = "Ask about your logs"
    HINT: ClassVar[str] = "Enter send · Shift+Enter newline · ↑↓ history · Esc cancel · /help"

    def __init__(self, history: InputHistory, *, blink: bool = True, id: str | None = None) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            id=id,
        )
        # No blinking in snapshot tests: a screenshot must not depend on when it was taken.
        self.cursor_blink = blink
        self.input_history = history
        self.border_title = self.BORDER_TITLE
        self.border_subtitle = self.HINT

    async def _on_key(self, event: events.Key) -> None:
        """Claim the keys whose meaning differs from a plain editor before TextArea sees them."""
        handled = False
        if event.key == "enter":
            self.submit()
            handled = True
        elif event.key in NEWLINE_KEYS:
            start, end = self.selection
            self.replace("\n", start, end, maintain_selection_offset=False)
            handled = True
        elif event.key == "up" and self._on_first_visual_line():
            handled = self.show_previous()
        elif event.key == "down" and self._on_last_visual_line():
            handled = self.show_next()
        if handled:
            event.stop()
            event.prevent_default()

    def _on_first_visual_line(self) -> bool:
        return self.wrapped_document.location_to_offset(self.cursor_location).y == 0

    def _on_last_visual_line(self) -> bool:
        offset = self.wrapped_document.location_to_offset(self.cursor_location)
        return offset.y >= self.wrapped_document.height - 1

    def submit(self) -> None:
        """Send the text (if any) and empty the prompt; blank input is ignored."""
        text = self.text
        if not text.strip():
            return
        self.input_history.add(text)
        self.clear()
        self.post_message(PromptSubmitted(text))

    def show_previous(self) -> bool:
        """Replace the text with the previous history entry; False at the oldest one."""
        entry = self.input_history.previous(self.text)
        if entry is None:
            return False
        self.load_text(entry)
        # On the first line, so pressing Up again keeps walking back.
        self.move_cursor((0, len(self.document[0])))
        return True

    def show_next(self) -> bool:
        """Replace the text with the next entry, or the saved draft past the newest."""
        entry = self.input_history.next()
        if entry is None:
            return False
        self.load_text(entry)
        # At the very end, so pressing Down again keeps walking forward.
        self.move_cursor(self.document.end)
        return True
