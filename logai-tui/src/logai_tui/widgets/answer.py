"""The answer as it streams in, and markdown output of slash commands.

An answer is a vertical run of blocks in arrival order: markdown text, tool panels, more
text, notices, errors. Text streams into the current markdown block through
``Markdown.get_stream``, which batches fragments that arrive faster than the widget can
render, so long answers do not lag or flicker; a tool call closes the block and the next text
opens a new one below the panel.

This module imports the markdown parser and the orchestrator's event types; the chat screen
imports it on first use, after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Markdown, Static

from logai.llm.events import (
    Done,
    Failed,
    Notice,
    Redacted,
    TextDelta,
    ToolCallFinished,
    ToolCallStarted,
)
from logai.terminal import VisibleStream, visible
from logai_tui.placeholders import PlaceholderStream
from logai_tui.widgets.conversation import ErrorMessage, NoticeMessage
from logai_tui.widgets.tool_panel import ToolCallPanel

if TYPE_CHECKING:
    from textual.widgets.markdown import MarkdownStream

    from logai.llm.events import Event


def activity_for(event: Event, running_tools: set[str]) -> str | None:
    """What the status bar should say after ``event`` (None: unchanged).

    ``running_tools`` holds the call ids still running and is updated here.
    """
    if isinstance(event, ToolCallStarted):
        running_tools.add(event.call_id)
        return event.name
    if isinstance(event, ToolCallFinished):
        running_tools.discard(event.call_id)
        return None if running_tools else "thinking"
    if isinstance(event, TextDelta) and not running_tools:
        return "answering"
    return None


class InfoMessage(Markdown):
    """Output of a slash command (help, cache status): markdown, not part of a conversation."""

    def __init__(self, markdown: str) -> None:
        # It may quote an error or a cache path: no control characters reach the terminal.
        super().__init__(visible(markdown, multiline=True), classes="info-message")


class AnswerView(Vertical):
    """One answer, built from the orchestrator's events as they arrive."""

    def __init__(self, restore: Callable[[str], str]) -> None:
        super().__init__(classes="answer")
        self._restore = restore
        self._placeholders = PlaceholderStream(restore)
        # Model text (and restored log values) must not reach the terminal as control codes.
        self._visible = VisibleStream()
        self._segment: Markdown | None = None
        self._stream: MarkdownStream | None = None
        self._panels: dict[str, ToolCallPanel] = {}
        self.text = ""
        """The answer as displayed (placeholders restored)."""
        self.failed = False
        self.done = False

    @property
    def panels(self) -> list[ToolCallPanel]:
        """Tool panels in the order the calls started."""
        return list(self._panels.values())

    async def show(self, event: Event) -> None:
        """Render one event."""
        if isinstance(event, TextDelta):
            await self._write(self._visible.feed(self._placeholders.feed(event.text)))
        elif isinstance(event, ToolCallStarted):
            await self._end_segment()
            panel = ToolCallPanel(event, self._restore)
            self._panels[event.call_id] = panel
            await self.mount(panel)
        elif isinstance(event, ToolCallFinished):
            await self._finish_tool(event)
        elif isinstance(event, Notice):
            await self._end_segment()
            await self.mount(NoticeMessage(self._restore(event.message)))
        elif isinstance(event, Failed):
            await self._end_segment()
            self.failed = True
            await self.mount(ErrorMessage(self._restore(event.message)))
        elif isinstance(event, Redacted):
            if event.summary:
                await self._end_segment()
                summary = f"{event.summary} before sending log text to the model."
                await self.mount(Static(Content(visible(summary)), classes="redaction-summary"))
        elif isinstance(event, Done):
            await self._end_segment()
            self._stop_unfinished_panels()
            if not self.text and event.text and not self.failed:
                # A provider that did not stream: show the whole answer at once.
                await self._write(visible(self._restore(event.text), multiline=True))
                await self._end_segment()
            self.done = True

    async def _finish_tool(self, event: ToolCallFinished) -> None:
        panel = self._panels.get(event.call_id)
        if panel is None:
            # A finish without a start (a defensive path): still show the call.
            await self._end_segment()
            started = ToolCallStarted(event.call_id, event.name, event.arguments)
            panel = ToolCallPanel(started, self._restore)
            self._panels[event.call_id] = panel
            await self.mount(panel)
        panel.finish(event)

    async def _write(self, text: str) -> None:
        if not text:
            return
        if self._stream is None:
            self._segment = Markdown(classes="answer-text")
            await self.mount(self._segment)
            self._stream = Markdown.get_stream(self._segment)
        self.text += text
        await self._stream.write(text)

    async def _end_segment(self) -> None:
        """Close the current markdown block (held-back placeholder text included)."""
        await self._write(self._visible.feed(self._placeholders.flush()) + self._visible.flush())
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None
            self._segment = None

    async def stop(self, *, cancelled: bool) -> None:
        """The answer ended without ``Done`` (cancelled, or the backend broke)."""
        await self._end_segment()
        if cancelled:
            await self.mount(NoticeMessage("Cancelled. Ask again, or ask something else."))
        self._stop_unfinished_panels()

    def _stop_unfinished_panels(self) -> None:
        """Calls that will never report back (the answer ended) must not say "running"."""
        for panel in self._panels.values():
            if panel.finished is None:
                panel.mark_stopped()
