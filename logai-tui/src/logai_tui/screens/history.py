"""The saved conversations, most recent first; Enter resumes one in the chat, Escape goes back.

Titles are shown as stored, with placeholders (``<EMAIL_1>``): a list is glanced at on a shared
screen more often than a conversation is, and restoring would need every conversation's mapping.
The list is read in a worker, so the screen opens at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from logai.terminal import visible

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from logai.history import ConversationSummary
    from logai_tui.conversations import ConversationAccess

#: Narrow, fixed-width columns first, the title last: on a narrow terminal it is what gets cut.
COLUMNS = ("ID", "Started", "Questions", "Tokens", "Cost", "Model", "Title")


def _cost(value: float | None) -> str:
    return "–" if value is None else f"${value:.4f}"


def row_of(summary: ConversationSummary) -> tuple[str, ...]:
    """The table cells of one conversation (every stored text made terminal-safe)."""
    title = " ".join(summary.title.split())
    return (
        str(summary.id),
        summary.started.strftime("%Y-%m-%d %H:%M"),
        str(summary.questions),
        "–" if summary.tokens is None else f"{summary.tokens:,}",
        _cost(summary.cost_usd),
        visible(summary.model or "–"),
        visible(title if len(title) <= 80 else title[:79] + "…"),
    )


class HistoryScreen(Screen[int | None]):
    """Pick a saved conversation; dismisses with its id, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the chat"),
    ]

    def __init__(self, conversations: ConversationAccess) -> None:
        super().__init__()
        self._conversations = conversations

    def compose(self) -> ComposeResult:
        yield Static(
            "[b]Saved conversations[/b] — Enter resumes, Escape goes back", id="history-title"
        )
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-note")

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#history-table", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns(*COLUMNS)
        self.table.focus()
        self._load()

    @work(group="history", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        note = self.query_one("#history-note", Static)
        try:
            summaries = await self._conversations.list()
        except Exception as exc:
            note.update(visible(f"Could not read the saved conversations: {exc}"))
            return
        for summary in summaries:
            self.table.add_row(*row_of(summary), key=str(summary.id))
        if not summaries:
            off = "" if self._conversations.enabled else " (LOGAI_HISTORY_ENABLED=false)"
            note.update(f"No saved conversations yet{off}.")
        self.loaded = True

    loaded = False
    """Whether the list has been read (tests wait on it)."""

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.dismiss(int(event.row_key.value))

    def action_back(self) -> None:
        self.dismiss(None)
