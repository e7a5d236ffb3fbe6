"""The status bar adds up tokens and cost: the last question's and the whole chat's."""

from __future__ import annotations

from logai.llm.events import TextDelta, Usage
from logai_tui.widgets import StatusBar
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.fakes import ScriptedBackend
from tests.tui.helpers import ask, chat, ready

MODEL = "openai/gpt-4o-mini"


async def test_status_bar_shows_question_and_chat_totals(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(
        Usage(MODEL, 1200, 30, 0.0002),
        TextDelta("Timeouts."),
        Usage(MODEL, 1800, 60, 0.0003),
    )
    backend.script(TextDelta("Same."), Usage(MODEL, 3100, 20, 0.0005))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        assert screen.status.usage == ""
        await ask(pilot, "why?")
        assert screen.status.usage == "question 3.0k/90 tok $0.0005 · chat 3.0k/90 tok $0.0005"
        await ask(pilot, "and now?")
        assert screen.status.usage == "question 3.1k/20 tok $0.0005 · chat 6.1k/110 tok $0.0010"
        assert "chat 6.1k/110 tok $0.0010" in str(screen.query_one(StatusBar).render())
        chat(pilot).prompt.insert("/clear")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.status.usage == ""


async def test_status_bar_says_when_the_price_is_unknown(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("Fine."), Usage("ollama_chat/unknown", 800, 12, None))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "ok?")
        assert screen.status.usage == "question 800/12 tok cost ? · chat 800/12 tok cost ?"
