"""One tool call, as a compact panel that expands to show everything about it.

Collapsed, the title says what ran and how it went in one line — tool, arguments, duration,
events, cache hit, redactions — which is what an on-call engineer scans for. Expanded, the
body lists the full arguments and the result summary. Arguments are what the LLM sent (so
they may contain placeholders); they go through ``restore`` for display, like the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.markup import escape
from textual.widgets import Collapsible, Static

from logai.terminal import visible
from logai_tui import formatting

if TYPE_CHECKING:
    from typing import Any

    from logai.llm.events import ToolCallFinished, ToolCallStarted


def _restored(arguments: dict[str, Any], restore: Callable[[str], str]) -> dict[str, Any]:
    """Arguments for display: placeholders restored, control characters made visible."""
    return {
        visible(k): visible(restore(v), multiline=True) if isinstance(v, str) else v
        for k, v in arguments.items()
    }


class ToolCallPanel(Collapsible):
    """A running or finished tool call; collapsed by default so answers stay readable."""

    def __init__(self, started: ToolCallStarted, restore: Callable[[str], str]) -> None:
        self.call_id = started.call_id
        self.tool = visible(started.name)
        self._restore_placeholders = restore
        self.arguments = _restored(started.arguments, restore)
        self.finished: ToolCallFinished | None = None
        self._body = Static(self._body_content(), classes="tool-body")
        super().__init__(self._body, title=self._running_title(), collapsed=True)
        self.add_class("-running")

    def _restore(self, text: str) -> str:
        """Tool output for display: placeholders restored, control characters made visible."""
        return visible(self._restore_placeholders(text), multiline=True)

    def _running_title(self) -> str:
        args = formatting.arguments_summary(self.arguments)
        return f"[b]{escape(self.tool)}[/b] [dim]{escape(args)}[/dim] · running…"

    def finish(self, event: ToolCallFinished) -> None:
        """Show the outcome: one-line title facts, and the details in the body."""
        self.finished = event
        self.arguments = _restored(event.arguments, self._restore_placeholders)
        self.remove_class("-running")
        self.set_class(not event.ok, "-failed")
        self.title = self._finished_title(event)
        self._body.update(self._body_content())

    def mark_stopped(self) -> None:
        """The answer was cancelled while this call ran: it will never finish."""
        self.remove_class("-running")
        self.add_class("-stopped")
        args = formatting.arguments_summary(self.arguments)
        self.title = f"[b]{escape(self.tool)}[/b] [dim]{escape(args)}[/dim] · stopped"

    def _finished_title(self, event: ToolCallFinished) -> str:
        mark = "[$success]✓[/]" if event.ok else "[$error]✗[/]"
        facts = [formatting.duration(event.duration_s)]
        if not event.ok:
            facts.append(f"[$error]failed: {escape(self._restore(event.summary))}[/]")
        else:
            if event.events is not None:
                facts.append(formatting.count(event.events, "event"))
            if event.cache:
                facts.append(f"cache {escape(event.cache)}")
            if event.redactions:
                facts.append(f"[$warning]{escape(event.redactions)}[/]")
        args = escape(formatting.arguments_summary(self.arguments))
        return f"{mark} [b]{escape(self.tool)}[/b] [dim]{args}[/dim] · " + " · ".join(facts)

    def _body_content(self) -> Content:
        rows: list[tuple[str, str]] = [
            ("tool", self.tool),
            ("arguments", formatting.arguments_block(self.arguments)),
        ]
        event = self.finished
        if event is None:
            rows.append(("status", "running…"))
        else:
            rows.append(("status", "ok" if event.ok else "failed"))
            rows.append(("result", self._restore(event.summary)))
            rows.append(("duration", formatting.duration(event.duration_s)))
            if event.events is not None:
                rows.append(("events", f"{event.events:,}"))
            rows.append(("cache", event.cache or "not cached"))
            rows.append(("redacted", event.redactions or "nothing"))
        width = max(len(label) for label, _ in rows)
        lines: list[Content] = []
        for label, value in rows:
            # Continuation lines of a multi-line value line up under its first line.
            indented = value.replace("\n", "\n" + " " * (width + 2))
            lines.append(Content.assemble((label.ljust(width), "bold"), "  ", indented))
        return Content("\n").join(lines)
