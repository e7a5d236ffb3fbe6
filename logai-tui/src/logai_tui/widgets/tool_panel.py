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
    """A running or finished tool call; collapsed by default so answers stay readable.

    Titles are assembled as :class:`Content`, never as markup: log and LLM text such as
    ``[bold red]``, ``[link=…]``, an unclosed ``[`` or a trailing backslash would otherwise be
    read as markup (``textual.markup.escape`` does not cover the last two). ``title`` holds
    the same title as plain text.
    """

    def __init__(self, started: ToolCallStarted, restore: Callable[[str], str]) -> None:
        self.call_id = started.call_id
        self.tool = visible(started.name)
        self._restore_placeholders = restore
        self.arguments = _restored(started.arguments, restore)
        self.finished: ToolCallFinished | None = None
        self._body = Static(self._body_content(), classes="tool-body")
        self._title_content = Content()
        super().__init__(self._body, collapsed=True)  # a str title would be parsed as markup
        self._show_title(self._call_title("running…"))
        self.add_class("-running")

    def _restore(self, text: str) -> str:
        """Tool output for display: placeholders restored, control characters made visible."""
        return visible(self._restore_placeholders(text), multiline=True)

    def _show_title(self, content: Content) -> None:
        self._title_content = content
        self.title = content.plain
        self._title.label = content

    def _watch_title(self, title: str) -> None:
        """Collapsible would parse ``title`` as markup; show the assembled content instead."""
        self._title.label = self._title_content

    def _call_title(self, *facts: Content | str) -> Content:
        """``tool args · fact · fact``: what ran, with what, and how it went."""
        args = formatting.arguments_summary(self.arguments)
        parts: list[Content | str] = [Content.styled(self.tool, "bold"), " "]
        parts += [Content.styled(args, "dim"), " · ", Content(" · ").join(facts)]
        return Content.assemble(*parts)

    def finish(self, event: ToolCallFinished) -> None:
        """Show the outcome: one-line title facts, and the details in the body."""
        self.finished = event
        self.arguments = _restored(event.arguments, self._restore_placeholders)
        self.remove_class("-running")
        self.set_class(not event.ok, "-failed")
        self._show_title(self._finished_title(event))
        self._body.update(self._body_content())

    def mark_stopped(self) -> None:
        """The answer was cancelled while this call ran: it will never finish."""
        self.remove_class("-running")
        self.add_class("-stopped")
        self._show_title(self._call_title("stopped"))

    def _finished_title(self, event: ToolCallFinished) -> Content:
        mark = Content.styled("✓", "$success") if event.ok else Content.styled("✗", "$error")
        facts: list[Content | str] = [formatting.duration(event.duration_s)]
        if not event.ok:
            failure = f"failed: {self._restore(event.summary)}"
            facts.append(Content.styled(failure, "$error"))
        else:
            if event.events is not None:
                facts.append(formatting.count(event.events, "event"))
            if event.cache:
                facts.append(f"cache {visible(event.cache)}")
            if event.redactions:
                facts.append(Content.styled(visible(event.redactions), "$warning"))
        return Content.assemble(mark, " ", self._call_title(*facts))

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
