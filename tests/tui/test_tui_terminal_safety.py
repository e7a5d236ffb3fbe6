"""The TUI shows hostile log and LLM text as text: no control sequences, no markup injection."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from logai.llm.events import Failed, Notice, Redacted, ToolCallFinished, ToolCallStarted
from logai.terminal import is_terminal_safe
from logai_tui.widgets import ErrorMessage, NoticeMessage
from logai_tui.widgets.answer import AnswerView
from logai_tui.widgets.tool_panel import ToolCallPanel
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.fakes import ScriptedBackend, text_deltas
from tests.tui.helpers import ask, ready

ANSWER = (
    "Title \x1b]0;owned\x07 and \x1b[2J; \u202eevil; [bold red]alert[/] [link=http://e]x[/link]"
)
#: Log text the tool saw, as an argument, a failure and a placeholder's original value.
LOG_GROUP = "[bold]grp\x1b[2J C:\\logs\\"
FAILURE = "No log group [red]x[/] \x1b]0;t\x07 a[2J"
ARGS = {"log_group": LOG_GROUP, "filter_pattern": "<EMAIL_1>"}


def _shown(root: Widget) -> list[str]:
    """What every widget under ``root`` renders, as plain text."""
    texts = []
    for widget in root.walk_children(with_self=True):
        rendered = widget.render()
        if isinstance(rendered, Content):
            texts.append(rendered.plain)
    return texts


async def test_hostile_text_renders_as_visible_escapes_and_literal_brackets(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.placeholders = {"<EMAIL_1>": "jane\x1b[8m@example.com"}
    backend.script(
        ToolCallStarted("c1", "fetch_logs", ARGS),
        ToolCallFinished(
            "c1", "fetch_logs", ARGS, duration_s=0.5, ok=False, summary=FAILURE
        ),
        ToolCallStarted("c2", "fetch\x1b[2J", ARGS),
        ToolCallFinished(
            "c2", "fetch\x1b[2J", ARGS, duration_s=0.5, ok=True, summary="2 events <EMAIL_1>",
            events=2, cache="miss",
        ),
        Redacted("Redacted 1 email \x1b[2J", {"email": 1}),
        *text_deltas(ANSWER + " from <EMAIL_1>", size=3),
        Notice("reduced \x1b]0;n\x07"),
        Failed("model said \x9b2J [b]x[/b]"),
    )  # fmt: skip
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        view = await ask(pilot, "why [bold]x[/] \u202e?")
        shown = _shown(screen)
        for text in shown:
            assert is_terminal_safe(text), repr(text)
        everything = "\n".join(shown)
        # The answer, streamed in 3-character pieces, arrives whole and visible.
        assert isinstance(view, AnswerView)
        assert "Title \\x1b]0;owned\\x07 and \\x1b[2J; \\u202eevil" in view.text
        assert "[bold red]alert[/] [link=http://e]x[/link]" in everything
        assert "from jane\\x1b[8m@example.com" in view.text
        # Tool panels: brackets, a trailing backslash and an unclosed "[" stay literal.
        first, second = screen.query(ToolCallPanel)
        assert "[bold]grp\\x1b[2J C:\\logs\\" in first.title
        assert "failed: No log group [red]x[/] \\x1b]0;t\\x07 a[2J" in first.title
        assert first._title.render().plain.endswith(first.title)  # type: ignore[union-attr]
        assert second.tool == "fetch\\x1b[2J"
        assert "fetch\\x1b[2J" in second.title and "2 events" in second.title
        assert screen.query(NoticeMessage)
        assert any("reduced \\x1b]0;n\\x07" in text for text in shown)
        assert any("model said \\x9b2J [b]x[/b]" in text for text in shown)
        assert screen.query(ErrorMessage)
        assert any("why [bold]x[/] \\u202e?" in text for text in shown)
