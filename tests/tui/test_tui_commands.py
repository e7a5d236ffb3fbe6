"""Pilot tests of the slash commands, each one, and of unknown commands."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from logai.llm.events import TextDelta
from logai_tui.widgets import ErrorMessage, UserMessage
from logai_tui.widgets.answer import AnswerView, InfoMessage
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.fakes import FakeCache, ScriptedBackend
from tests.tui.helpers import ask, chat, ready, wait_until


async def run(pilot: Pilot[int], line: str) -> None:
    """Type a command line and press Enter."""
    chat(pilot).prompt.insert(line)
    await pilot.press("enter")
    await pilot.pause()


def last_info(pilot: Pilot[int]) -> str:
    return chat(pilot).query(InfoMessage).last().source


def last_error(pilot: Pilot[int]) -> str:
    return chat(pilot).query(ErrorMessage).last().message


async def test_help_lists_every_command_and_the_keys(make_app: MakeApp) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await run(pilot, "/help")
        text = last_info(pilot)
        for item in ("/help", "/clear", "/cache status", "/cache clear", "/quit", "/exit",
                     "Escape", "Shift+Enter"):  # fmt: skip
            assert item in text
        assert not chat(pilot).query(UserMessage)  # a command is not a question


async def test_clear_empties_the_screen_and_the_conversation(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("An answer."))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "a question")
        await run(pilot, "/clear")
        assert not screen.query(AnswerView) and not screen.query(UserMessage)
        assert screen.query_one("#welcome")
        assert backend.cleared == 1


async def test_clear_is_refused_while_answering(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("slow"), 30.0)
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "slow one", wait=False)
        await run(pilot, "/clear")
        assert "press Escape first" in last_error(pilot)
        assert backend.cleared == 0 and screen.query(AnswerView)
        await pilot.press("escape")


async def test_cache_status_shows_the_figures(make_app: MakeApp, cache: FakeCache) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.status.cache == "cache 12 entries · 75% hits")
        await run(pilot, "/cache status")
        text = last_info(pilot)
        assert "| |" not in text  # no blank header row: the table says what its columns are
        facts = (
            "| figure | value |",
            "| entries | 12 |",
            "3.2 MB of 500.0 MB",
            "75% (9 hits, 3 misses)",
            "2026-11-20 09:30 UTC",
            "/home/oncall/.logai/cache/cache.db",
        )
        for fact in facts:
            assert fact in text
        await run(pilot, "/cache")  # bare /cache means status
        assert last_info(pilot) == text


async def test_cache_clear_empties_it_and_updates_the_status_bar(
    make_app: MakeApp, cache: FakeCache
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await run(pilot, "/cache clear")
        assert cache.clears == 1
        assert "removed 12 entries" in last_info(pilot)
        await wait_until(pilot, lambda: screen.status.cache == "cache 0 entries · – hits")


async def test_cache_commands_report_failures_inline(make_app: MakeApp) -> None:
    class BrokenCache(FakeCache):
        async def clear(self) -> int:
            raise RuntimeError("database is locked")

    async with make_app(cache=BrokenCache()).run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await run(pilot, "/cache clear")
        assert last_error(pilot) == "Could not clear the cache: database is locked"
        await run(pilot, "/cache frobnicate")
        assert "Use /cache status or /cache clear" in last_error(pilot)


async def test_status_bar_says_when_the_cache_is_off(make_app: MakeApp) -> None:
    async with make_app(cache=FakeCache(enabled=False)).run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.status.cache == "cache off")
        await run(pilot, "/cache status")
        assert "off (LOGAI_CACHE_ENABLED=false)" in last_info(pilot)


@pytest.mark.parametrize("command", ["/quit", "/exit", "/QUIT"])
async def test_quit_and_exit_leave_the_app(make_app: MakeApp, command: str) -> None:
    app = make_app()
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await run(pilot, command)
        await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


async def test_unknown_command_gets_a_helpful_message(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await run(pilot, "/hepl")
        assert last_error(pilot) == (
            "Unknown command /hepl. Did you mean /help? Type /help for the list of commands."
        )
        await run(pilot, "/xyzzy")
        assert last_error(pilot) == "Unknown command /xyzzy. Type /help for the list of commands."
        assert backend.questions == []


async def test_a_question_starting_with_a_log_group_is_not_a_command(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "/aws/lambda/checkout errors today?")
        assert backend.questions == ["/aws/lambda/checkout errors today?"]
        assert not chat(pilot).query(ErrorMessage)


async def test_follow_shows_new_events_in_a_panel_while_the_chat_goes_on(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    from datetime import UTC, datetime, timedelta

    from logai.sources.base import LogEvent
    from logai_tui.widgets.follow_panel import FollowPanel
    from tests.fakes.memory_source import MemorySource

    def event(text: str, seconds: float = 0.0) -> LogEvent:
        moment = datetime.now(UTC) + timedelta(seconds=seconds)
        return LogEvent(moment, text, "/app/api", "s", text)

    source = MemorySource([event("from before the follow", -600)])
    backend.source = source
    backend.script(TextDelta("An answer while following."))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        screen.follow_interval = 0.01
        await run(pilot, "/follow /app/api")
        panel = screen.query_one(FollowPanel)
        assert screen.following == ["/app/api"]
        source.events.append(event("card declined for jane.doe@example.com"))
        await wait_until(pilot, lambda: any("card declined" in line for line in panel.lines))

        view = await ask(pilot, "what happened?")  # the chat goes on beside the panel
        assert "An answer while following." in view.text
        source.events.append(event("second event", 1))
        await wait_until(pilot, lambda: any("second event" in line for line in panel.lines))

        events = [line for line in panel.lines if not line.startswith("-- ")]
        assert len(events) == 2  # each once; the old one never
        assert "jane.doe@example.com" not in "".join(panel.lines)  # sanitized
        await run(pilot, "/unfollow")
        assert not screen.query(FollowPanel) and screen.following == []
        await run(pilot, "/unfollow")
        assert "Nothing is being followed" in last_error(pilot)
        await run(pilot, "/follow")
        assert "Name the log group" in last_error(pilot)
