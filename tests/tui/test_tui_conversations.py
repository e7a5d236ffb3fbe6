"""Saved conversations in the TUI: the history screen, /resume, /new and /export.

The backend is the real one — core's orchestrator wrapped in a recording
:class:`~logai.history.ChatSession` over the history file on disk — with a scripted LLM and an
in-memory data source, so what a resumed conversation sends is asserted on the LLM's requests.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from logai.config import LogAISettings
from logai.history import ChatSession, ConversationSummary, SavedConversation, open_session
from logai.llm.orchestrator import Orchestrator
from logai.plugins import PluginHost
from logai_tui.screens.history import HistoryScreen
from logai_tui.widgets import ErrorMessage, NoticeMessage, UserMessage
from tests.core.orchestrator.test_orchestrator import GROUP, NOW, _events
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.helpers import answers, ask, chat, ready, wait_until

EMAIL = "jane.doe@example.com"
SnapCompare = Callable[..., bool]


def factory(provider: ScriptedProvider) -> Callable[[LogAISettings, PluginHost | None], object]:
    def build(settings: LogAISettings, host: PluginHost | None) -> ChatSession:
        orchestrator = Orchestrator(
            settings, provider=provider, source=MemorySource(_events()), now=lambda: NOW
        )
        return open_session(settings, orchestrator, frontend="tui")

    return build


async def _save_a_conversation(settings: LogAISettings) -> None:
    provider = ScriptedProvider(
        Reply(calls=[("fetch_logs", {"log_group": GROUP, "filter_pattern": "ERROR"})]),
        Reply(text="The payment of <EMAIL_1> was declined."),
    )
    session = factory(provider)(settings, None)
    assert isinstance(session, ChatSession)
    async for _event in session.ask(f"why did checkout fail for {EMAIL}?"):
        pass
    await session.aclose()


async def _command(pilot: Pilot[int], text: str) -> None:
    chat(pilot).prompt.insert(text)
    await pilot.press("enter")


async def _open_history(pilot: Pilot[int]) -> HistoryScreen:
    await _command(pilot, "/history")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    await wait_until(pilot, lambda: screen.loaded)
    await pilot.pause()
    return screen


async def test_resume_from_the_history_screen(make_app: MakeApp, settings: LogAISettings) -> None:
    await _save_a_conversation(settings)
    provider = ScriptedProvider(Reply(text="It was the card issuer."))
    app = make_app(orchestrator_factory=factory(provider))
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        screen = await _open_history(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        assert "why did checkout fail for <EMAIL_1>?" in str(table.get_row_at(0))
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, HistoryScreen))
        await wait_until(pilot, lambda: len(answers(pilot)) == 1 and answers(pilot)[0].done)
        # The old turn is back on screen, real values restored from the saved mapping.
        (question,) = chat(pilot).query(UserMessage)
        assert question.text == f"why did checkout fail for {EMAIL}?"
        old = answers(pilot)[0]
        assert old.text.strip() == f"The payment of {EMAIL} was declined."
        assert [panel.tool for panel in old.panels] == ["fetch_logs"]
        assert old.panels[0].finished is not None and old.panels[0].finished.events == 2

        await ask(pilot, "who declined it?")
        sent = provider.requests[-1]
        assert sent[1]["content"] == "why did checkout fail for <EMAIL_1>?"
        assert any(message["role"] == "tool" for message in sent)
        assert sent[-1]["content"] == "who declined it?"
        assert EMAIL not in json.dumps(sent)


async def test_export_writes_an_incident_note_with_placeholders(
    make_app: MakeApp, settings: LogAISettings, tmp_path: Path
) -> None:
    provider = ScriptedProvider(
        Reply(calls=[("fetch_logs", {"log_group": GROUP, "start_time": "1h ago"})]),
        Reply(text="Declined for <EMAIL_1>."),
    )
    app = make_app(orchestrator_factory=factory(provider))
    note = tmp_path / "notes" / "incident.md"
    note.parent.mkdir()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, f"what happened to {EMAIL}?")
        await _command(pilot, f"/export {note}")
        await wait_until(pilot, note.exists)
    text = note.read_text(encoding="utf-8")
    assert text.startswith("# what happened to \\<EMAIL_1\\>?")
    assert "### Evidence" in text and f"**fetch_logs** on `{GROUP}`, from `1h ago` to now" in text
    assert "### Answer\n\nDeclined for \\<EMAIL_1\\>." in text
    assert EMAIL not in text


async def test_resume_and_export_explain_what_is_wrong(make_app: MakeApp) -> None:
    app = make_app(orchestrator_factory=factory(ScriptedProvider()))
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await _command(pilot, "/export somewhere.md")
        await _command(pilot, "/resume 42")
        await _command(pilot, "/resume soon")
        await wait_until(pilot, lambda: len(chat(pilot).query(ErrorMessage)) == 3)
        messages = [error.message for error in chat(pilot).query(ErrorMessage)]
    assert "Nothing to export yet" in messages[0]
    assert "Usage: /resume ID" in messages[1] or "Usage: /resume ID" in messages[2]
    assert any("no saved conversation 42" in message for message in messages)


async def test_new_starts_another_saved_conversation(
    make_app: MakeApp, settings: LogAISettings
) -> None:
    provider = ScriptedProvider(Reply(text="one"), Reply(text="two"))
    app = make_app(orchestrator_factory=factory(provider))
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "first question")
        await _command(pilot, "/new")
        await wait_until(pilot, lambda: not answers(pilot))
        await ask(pilot, "second question")
        assert provider.requests[-1][1:] == [{"role": "user", "content": "second question"}]
    from logai.history import open_history

    store = open_history(settings)
    titles = [summary.title for summary in await store.list()]
    await store.aclose()
    assert titles == ["second question", "first question"]


@dataclass
class FixedConversations:
    """Saved conversations with fixed dates and figures, for the snapshot."""

    enabled: bool = True
    rows: list[ConversationSummary] = field(default_factory=list)

    async def list(self) -> list[ConversationSummary]:
        await asyncio.sleep(0)
        return self.rows

    async def load(self, conversation_id: int) -> SavedConversation | None:
        return None


def _summary(
    n: int, title: str, questions: int, tokens: int | None, cost: float | None
) -> ConversationSummary:
    day = datetime(2026, 11, 20 + n, 9, 30 + n, tzinfo=UTC)
    return ConversationSummary(
        id=n,
        started=day,
        updated=day,
        title=title,
        model="anthropic/claude-test",
        questions=questions,
        prompt_tokens=None if tokens is None else tokens - 400,
        completion_tokens=None if tokens is None else 400,
        cost_usd=cost,
    )


def test_snapshot_history_screen(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    conversations = FixedConversations(
        rows=[
            _summary(3, "why did checkout fail in the last hour?", 4, 18_212, 0.0731),
            _summary(2, "payments errors for <EMAIL_1> since 8am", 2, 6_940, None),
            _summary(1, "list the lambdas that logged timeouts", 1, None, None),
        ]
    )

    async def run_before(pilot: Pilot[int]) -> None:
        await ready(pilot)
        await _open_history(pilot)

    assert snap_compare(
        make_app(conversations=conversations), terminal_size=TERMINAL_SIZE, run_before=run_before
    )


async def test_an_unusable_history_is_reported_and_the_answer_still_comes(
    make_app: MakeApp, settings: LogAISettings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    broken = settings.model_copy(update={"history_dir": blocker / "history"})
    app = make_app(settings=broken, orchestrator_factory=factory(ScriptedProvider(Reply("fine"))))
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        view = await ask(pilot, "still answered?")
        assert view.text.strip() == "fine"
        await wait_until(pilot, lambda: len(chat(pilot).query(NoticeMessage)) == 2)
        notices = [notice.message for notice in chat(pilot).query(NoticeMessage)]
    # The configuration check says so on start; the store says so once when it gives up.
    assert notices[0].startswith("LOGAI_HISTORY_DIR: history directory not creatable")
    assert notices[1].startswith("conversation history turned off")
