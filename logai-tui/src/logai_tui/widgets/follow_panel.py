"""The panel that follows log groups live (``/follow``) while the chat goes on above it.

Lines arrive already sanitized (the screen's follow worker runs them through the same engine
as ``logai logs``); here they are only made safe for the terminal and kept to a bounded
number, so a chatty group can run for hours without the panel growing without end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Log, Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from logai.sources.base import LogEvent

#: Lines the panel keeps; older ones scroll away.
MAX_LINES = 2000


class FollowPanel(Vertical):
    """A title naming what is followed, and the events as they come."""

    def __init__(self, groups: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.groups = list(groups)
        self.lines: list[str] = []
        """Every line written, for tests and copy; bounded like the log."""

    def compose(self) -> ComposeResult:
        names = ", ".join(self.groups)
        yield Static(
            Content.from_markup(
                "[b]Following[/b] $names [dim]· /unfollow to stop[/dim]", names=names
            ),
            classes="follow-title",
        )
        yield Log(max_lines=MAX_LINES, auto_scroll=True, classes="follow-log")

    def show_events(self, events: Sequence[LogEvent]) -> None:
        """Append events, one line each, timestamp first (group named when several)."""
        from logai.terminal import visible
        from logai.timeparse import format_time

        several = len(self.groups) > 1
        lines = []
        for event in events:
            where = f" {visible(event.group)}" if several else ""
            lines.append(f"{format_time(event.timestamp)}{where} {visible(event.message.rstrip())}")
        self._write(lines)

    def show_note(self, text: str) -> None:
        """A line about the follow itself (how it reads, a problem), not an event."""
        from logai.terminal import visible

        self._write([f"-- {visible(text)}"])

    def _write(self, lines: list[str]) -> None:
        if not lines:
            return
        self.lines = [*self.lines, *lines][-MAX_LINES:]
        self.query_one(Log).write_lines(lines)
