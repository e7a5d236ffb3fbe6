"""Recording and resuming a chat: the real orchestrator, sanitizer and SQLite file, a scripted LLM.

What a resumed conversation sends is asserted on the scripted provider's requests; what is
stored is read back through the store.
"""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from logai.config import load_settings
from logai.history import ChatSession, HistoryError, HistoryStore, open_history, open_session
from logai.llm.events import Done, Event, Usage
from logai.llm.orchestrator import Orchestrator
from tests.core.orchestrator.test_orchestrator import GROUP, NOW, _events
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider, last_tool_result

EMAIL = "jane.doe@example.com"
OTHER = "li.wei@example.net"


def _session(provider: ScriptedProvider, frontend: str = "ask") -> ChatSession:
    settings = load_settings()
    orchestrator = Orchestrator(
        settings, provider=provider, source=MemorySource(_events()), now=lambda: NOW
    )
    return open_session(settings, orchestrator, frontend=frontend)


async def _ask(session: ChatSession, question: str) -> list[Event]:
    return [event async for event in session.ask(question)]


def _quote_result(messages: list[dict[str, Any]]) -> Reply:
    return Reply(text="It failed for " + last_tool_result(messages).split("for ")[1][:11])


async def test_a_turn_is_saved_with_its_messages_calls_and_placeholders() -> None:
    provider = ScriptedProvider(
        Reply(calls=[("fetch_logs", {"log_group": GROUP, "filter_pattern": "ERROR"})]),
        _quote_result,
    )
    session = _session(provider)
    events = await _ask(session, f"why did {EMAIL} fail?")
    assert isinstance(events[-1], Done) and events[-1].ok
    await session.aclose()

    store = open_history(load_settings())
    (summary,) = await store.list()
    saved = await store.load(summary.id)
    await store.aclose()
    assert saved is not None and summary.questions == 1
    (turn,) = saved.turns
    assert turn.status == "ok" and turn.source == "memory"
    assert turn.question == "why did <EMAIL_1> fail?"
    assert EMAIL not in json.dumps(turn.to_dict())
    # The messages are exactly what the LLM was sent, plus its answer.
    assert turn.messages == [*provider.requests[-1][1:], turn.messages[-1]]
    (call,) = turn.tool_calls
    assert call.name == "fetch_logs" and call.ok and call.events == 2
    assert call.arguments["filter_pattern"] == "ERROR"
    assert summary.tokens is None and summary.cost_usd is None
    assert saved.restore(turn.question) == f"why did {EMAIL} fail?"


async def test_the_history_file_is_private(tmp_path: Path) -> None:
    session = _session(ScriptedProvider(Reply(text="ok")))
    await _ask(session, "hello")
    await session.aclose()
    path = load_settings().history_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    assert stat.S_IMODE((path / "history.sqlite3").stat().st_mode) == 0o600
    assert not (load_settings().cache_dir / "history.sqlite3").exists()


async def test_resume_keeps_placeholder_numbering_and_sends_earlier_turns() -> None:
    first = _session(ScriptedProvider(Reply(text="Looking at <EMAIL_1>.")))
    await _ask(first, f"what about {EMAIL}?")
    conversation_id = first.conversation_id
    await first.aclose()
    assert conversation_id is not None

    provider = ScriptedProvider(Reply(text="Both seen."))
    second = _session(provider)
    saved = await second.resume(conversation_id)
    assert saved.id == conversation_id
    # Shown locally, old text restores from the saved mapping.
    assert second.restore("Looking at <EMAIL_1>.") == f"Looking at {EMAIL}."
    await _ask(second, f"and {EMAIL} versus {OTHER}?")
    await second.aclose()
    sent = provider.requests[0]
    assert sent[1] == {"role": "user", "content": "what about <EMAIL_1>?"}
    assert sent[2]["content"] == "Looking at <EMAIL_1>."
    # The same person keeps number 1; a new one gets the next number.
    assert sent[3]["content"] == "and <EMAIL_1> versus <EMAIL_2>?"
    assert EMAIL not in json.dumps(sent) and OTHER not in json.dumps(sent)

    store = open_history(load_settings())
    again = await store.load(conversation_id)
    await store.aclose()
    assert again is not None and len(again.turns) == 2
    assert {e.placeholder: e.original for e in again.placeholders} == {
        "<EMAIL_1>": EMAIL,
        "<EMAIL_2>": OTHER,
    }


async def test_numbers_without_a_saved_original_are_never_reissued() -> None:
    first = _session(ScriptedProvider(Reply(text="ok")))
    await _ask(first, f"what about {EMAIL}?")
    conversation_id = first.conversation_id
    await first.aclose()
    store = open_history(load_settings())
    await store._run(_drop_placeholders, None)
    await store.aclose()
    assert conversation_id is not None

    provider = ScriptedProvider(Reply(text="ok"))
    second = _session(provider)
    await second.resume(conversation_id)
    await _ask(second, f"and {OTHER}?")
    await second.aclose()
    assert provider.requests[0][-1]["content"] == "and <EMAIL_2>?"


async def _drop_placeholders(connection: Any) -> None:
    from sqlalchemy import delete

    from logai.history._schema import placeholders

    await connection.execute(delete(placeholders))


async def test_a_failed_answer_is_recorded_but_not_resumed() -> None:
    from logai.llm.provider import LLMRateLimited

    provider = ScriptedProvider(Reply(text="first"), Reply(error=LLMRateLimited("slow down")))
    session = _session(provider)
    await _ask(session, "one")
    await _ask(session, "two")
    conversation_id = session.conversation_id
    await session.aclose()
    assert conversation_id is not None
    store = open_history(load_settings())
    saved = await store.load(conversation_id)
    await store.aclose()
    assert saved is not None
    assert [t.status for t in saved.turns] == ["ok", "failed"]
    assert saved.turns[1].error and "slow down" in saved.turns[1].error
    assert [m["content"] for m in saved.messages()] == ["one", "first"]


async def test_usage_events_are_stored_per_call_and_totalled() -> None:
    session = _session(ScriptedProvider(Reply(text="ok"), Reply(text="ok")))
    orchestrator = session.orchestrator
    real_ask = orchestrator.ask

    async def ask_with_usage(question: str) -> Any:
        async for event in real_ask(question):
            if isinstance(event, Done):
                yield Usage("scripted/test-model", 100, 20, 0.0015)
                yield Usage("scripted/test-model", 50, 5, None)
            yield event

    orchestrator.ask = ask_with_usage  # type: ignore[method-assign]
    await _ask(session, "one")
    await _ask(session, "two")
    await session.aclose()
    store = open_history(load_settings())
    (summary,) = await store.list()
    saved = await store.load(summary.id)
    await store.aclose()
    assert summary.prompt_tokens == 300 and summary.completion_tokens == 50
    assert summary.tokens == 350 and summary.cost_usd == pytest.approx(0.003)
    assert saved is not None and [len(t.usage) for t in saved.turns] == [2, 2]
    assert saved.turns[0].usage[1].cost_usd is None


async def test_clear_starts_a_new_saved_conversation() -> None:
    session = _session(ScriptedProvider(Reply(text="a"), Reply(text="b")))
    await _ask(session, "first")
    first = session.conversation_id
    session.clear()
    await _ask(session, "second")
    assert session.conversation_id != first
    await session.aclose()
    store = open_history(load_settings())
    assert [s.title for s in await store.list()] == ["second", "first"]
    await store.aclose()


async def test_history_disabled_saves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_HISTORY_ENABLED", "false")
    session = _session(ScriptedProvider(Reply(text="ok")))
    await _ask(session, "hello")
    with pytest.raises(HistoryError, match="LOGAI_HISTORY_ENABLED"):
        await session.resume(1)
    await session.aclose()
    assert not load_settings().history_dir.exists()


async def test_resuming_an_unknown_id_says_so() -> None:
    session = _session(ScriptedProvider())
    with pytest.raises(HistoryError, match="no saved conversation 42"):
        await session.resume(42)
    await session.aclose()


@pytest.mark.parametrize("earlier", [[], ["one"]], ids=["first question", "after one"])
async def test_a_cancelled_answer_is_recorded_as_cancelled(earlier: list[str]) -> None:
    """Cancelled while the LLM is still silent: the question is saved all the same (its row is
    otherwise written only once a reply starts), also as the conversation's first."""
    asked = asyncio.Event()

    def hang(_messages: list[dict[str, Any]]) -> Reply:
        asked.set()
        return Reply(hang=True)

    session = _session(ScriptedProvider(*[Reply(text="ok") for _ in earlier], hang))
    for question in earlier:
        await _ask(session, question)
    answering = asyncio.create_task(_ask(session, "two"))
    await asked.wait()
    answering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await answering
    conversation_id = session.conversation_id
    await session.aclose()
    assert conversation_id is not None
    store = HistoryStore(load_settings().history_dir / "history.sqlite3")
    saved = await store.load(conversation_id)
    await store.aclose()
    assert saved is not None
    assert [(t.question, t.status) for t in saved.turns] == [
        *((question, "ok") for question in earlier),
        ("two", "cancelled"),
    ]
    assert len(saved.messages()) == 2 * len(earlier)


async def test_nothing_is_written_before_the_question_reaches_the_llm() -> None:
    """The first write (opening the database) waits for the LLM's first reply: it must not
    delay the request. The turn is still saved whole."""
    database = load_settings().history_dir / "history.sqlite3"
    existed_when_asked: list[bool] = []

    def reply(_messages: list[dict[str, Any]]) -> Reply:
        existed_when_asked.append(database.exists())
        return Reply(text="all quiet")

    session = _session(ScriptedProvider(reply, reply))
    await _ask(session, "anything failing?")
    await _ask(session, "and now?")
    await session.aclose()
    assert existed_when_asked == [False, True]
    store = HistoryStore(database)
    (summary,) = await store.list()
    saved = await store.load(summary.id)
    await store.aclose()
    assert saved is not None
    assert [(t.question, t.status, t.answer) for t in saved.turns] == [
        ("anything failing?", "ok", "all quiet"),
        ("and now?", "ok", "all quiet"),
    ]


async def test_a_question_asked_while_a_cancelled_one_is_still_being_saved_joins_it() -> None:
    """Cancelled twice (Ctrl+C pressed again, as in the TUI), a question stops waiting for its
    "running" row, which is still being written (the database opening) when the next question
    is answered. Both must land in one conversation, the one the session goes on with."""
    asked = asyncio.Event()

    def hang(_messages: list[dict[str, Any]]) -> Reply:
        asked.set()
        return Reply(hang=True)

    session = _session(ScriptedProvider(hang, Reply(text="all quiet")))
    answering = asyncio.create_task(_ask(session, "first"))
    await asked.wait()
    answering.cancel()
    for _ in range(3):  # into the generator's cleanup, waiting for the row being written
        await asyncio.sleep(0)
    answering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await answering
    events = await _ask(session, "second")
    assert isinstance(events[-1], Done) and events[-1].ok
    conversation_id = session.conversation_id
    pending = asyncio.all_tasks() - {asyncio.current_task()}
    if pending:  # whatever is still being written lands (or not) before the file is read
        await asyncio.wait(pending)
    await session.aclose()
    store = HistoryStore(load_settings().history_dir / "history.sqlite3")
    summaries = await store.list()
    saved = await store.load(conversation_id) if conversation_id is not None else None
    await store.aclose()
    assert len(summaries) == 1
    assert saved is not None
    assert [t.question for t in saved.turns] == ["first", "second"]
    assert saved.turns[1].status == "ok"


async def test_closing_right_after_a_twice_cancelled_question_waits_for_its_row() -> None:
    """Ctrl+C twice, then quit: the session's close waits for the row still being written
    rather than closing the store under it (which would reopen it, left open at exit)."""
    asked = asyncio.Event()

    def hang(_messages: list[dict[str, Any]]) -> Reply:
        asked.set()
        return Reply(hang=True)

    session = _session(ScriptedProvider(hang))
    answering = asyncio.create_task(_ask(session, "first"))
    await asked.wait()
    answering.cancel()
    for _ in range(3):  # into the generator's cleanup, waiting for the row being written
        await asyncio.sleep(0)
    answering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await answering
    await session.aclose()
    assert asyncio.all_tasks() == {asyncio.current_task()}
    store = HistoryStore(load_settings().history_dir / "history.sqlite3")
    (summary,) = await store.list()
    await store.aclose()
    assert summary.title == "first"


async def test_a_clear_during_an_answer_still_finishes_its_turn() -> None:
    """/clear while an answer streams starts a new conversation for the next question; the
    answer under way still ends its own turn (it used to stay "running" for good)."""
    session = _session(ScriptedProvider(Reply(text="first answer"), Reply(text="second")))
    events = []
    first_conversation = None
    async for event in session.ask("first question"):
        events.append(event)
        if len(events) == 1:  # the answer has begun: its row is being written
            for _ in range(200):
                if session.conversation_id is not None:
                    break
                await asyncio.sleep(0.01)
            first_conversation = session.conversation_id
            session.clear()
    assert isinstance(events[-1], Done)
    await _ask(session, "second question")
    second_conversation = session.conversation_id
    await session.aclose()
    assert first_conversation is not None and second_conversation not in {None, first_conversation}
    store = HistoryStore(load_settings().history_dir / "history.sqlite3")
    first = await store.load(first_conversation)
    await store.aclose()
    assert first is not None
    assert [(t.question, t.status) for t in first.turns] == [("first question", "ok")]


def test_config_check_warns_when_the_history_directory_cannot_be_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from logai.config import find_problems

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LOGAI_HISTORY_DIR", str(blocker / "history"))
    problems = [p for p in find_problems(load_settings()) if p.variable == "LOGAI_HISTORY_DIR"]
    assert [p.severity for p in problems] == ["warning"]
    monkeypatch.setenv("LOGAI_HISTORY_ENABLED", "false")
    assert not [p for p in find_problems(load_settings()) if p.variable == "LOGAI_HISTORY_DIR"]


def test_the_default_directory_follows_xdg_data_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.delenv("LOGAI_HISTORY_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert load_settings().history_dir == tmp_path / "data" / "logai" / "history"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert load_settings().history_dir == tmp_path / "home" / ".local/share/logai/history"


async def test_a_consumer_that_stops_at_done_keeps_the_turn() -> None:
    session = _session(ScriptedProvider(Reply(text="ok")))
    stream = session.ask("hello")
    async for event in stream:
        if isinstance(event, Done):
            break
    await stream.aclose()  # type: ignore[attr-defined]
    conversation_id = session.conversation_id
    await session.aclose()
    assert conversation_id is not None
    store = open_history(load_settings())
    saved = await store.load(conversation_id)
    await store.aclose()
    assert saved is not None and [turn.status for turn in saved.turns] == ["ok"]
