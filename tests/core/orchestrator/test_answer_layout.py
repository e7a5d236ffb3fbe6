"""Answer text and activity lines never run together, on one terminal or either stream alone.

``logai ask`` and ``chat --plain`` write the answer to stdout and tool activity, notes and the
redaction summary to stderr. Users see both interleaved on one terminal, or redirect one of
them; every layout must keep the answer's pieces and the activity lines on lines of their own.
"""

from __future__ import annotations

import asyncio
import io
import sys

import pytest

from logai.cli.ask_cmd import _answer
from logai.config import load_settings
from logai.frontends.plain import PlainChat
from logai.frontends.render import AnswerWriter
from logai.llm.events import Notice, TextDelta, ToolCallStarted
from logai.llm.orchestrator import Orchestrator
from tests.core.orchestrator.test_orchestrator import GROUP, NOW, _events
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider


def _provider() -> ScriptedProvider:
    return ScriptedProvider(
        Reply(text="Let me look.", calls=[("list_log_groups", {})]),
        Reply(
            text="Checking errors.",
            calls=[("fetch_logs", {"log_group": GROUP, "filter_pattern": "ERROR"})],
        ),
        Reply(text="FINAL: two errors in the last hour."),
    )


def _orchestrator() -> Orchestrator:
    return Orchestrator(
        load_settings(), provider=_provider(), source=MemorySource(_events()), now=lambda: NOW
    )


def _ask(out: io.StringIO, err: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    orchestrator = _orchestrator()

    async def main() -> bool:
        try:
            return await _answer(orchestrator, "what failed?", as_json=False)
        finally:
            await orchestrator.aclose()

    return asyncio.run(main())


def _assert_separate_lines(combined: str) -> None:
    # A piped chat prints its prompt without the newline a terminal would echo.
    lines = [line.removeprefix("you> ") for line in combined.splitlines()]
    assert "Let me look." in lines
    assert "Checking errors." in lines
    assert "FINAL: two errors in the last hour." in lines
    assert any(line.startswith("→ list_log_groups(") for line in lines)
    assert any(line.startswith("🔒 Redacted") for line in lines)
    assert combined.endswith("\n")


def test_ask_on_one_terminal_keeps_answer_and_activity_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    both = io.StringIO()
    assert _ask(both, both, monkeypatch)
    combined = both.getvalue()
    _assert_separate_lines(combined)
    # The redaction summary follows the finished answer, never the same line.
    answer_at = combined.index("FINAL: two errors in the last hour.\n")
    assert combined.index("🔒 Redacted", answer_at) > answer_at


def test_ask_stdout_alone_has_each_piece_of_text_on_its_own_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert _ask(out, err, monkeypatch)
    assert out.getvalue() == (
        "Let me look.\nChecking errors.\nFINAL: two errors in the last hour.\n"
    )
    assert "→" not in out.getvalue() and "🔒" not in out.getvalue()
    assert err.getvalue().startswith("→ list_log_groups(")
    assert "🔒 Redacted" in err.getvalue()
    assert all(line for line in err.getvalue().split("\n")[:-1])  # whole lines, none blank


def test_plain_chat_keeps_answer_and_activity_apart() -> None:
    both = io.StringIO()
    chat = PlainChat(_orchestrator(), stdin=io.StringIO("what failed?\n"), stdout=both, stderr=both)
    assert chat.run() == 0
    _assert_separate_lines(both.getvalue())
    assert "\nyou> " in both.getvalue()  # the next prompt starts on a line of its own


def test_plain_chat_stdout_alone() -> None:
    out, err = io.StringIO(), io.StringIO()
    chat = PlainChat(_orchestrator(), stdin=io.StringIO("what failed?\n"), stdout=out, stderr=err)
    assert chat.run() == 0
    assert "you> Let me look.\nChecking errors.\nFINAL: two errors in the last hour.\n" in (
        out.getvalue()
    )
    assert "→ list_log_groups(" in err.getvalue()


def test_writer_holds_no_line_open_and_adds_no_blank_lines() -> None:
    both = io.StringIO()
    writer = AnswerWriter(lambda text: text, both, both)
    writer.text("line one\n")
    writer.activity(Notice("first note"))
    writer.text("half a li")
    writer.text("ne")
    writer.activity(ToolCallStarted("c1", "list_log_groups", {}))
    writer.activity(TextDelta("not activity"))  # ignored: only activity goes to err
    writer.end_text()
    writer.end_text()
    assert both.getvalue() == ("line one\nnote: first note\nhalf a line\n→ list_log_groups()\n")


def test_an_answer_without_text_writes_nothing_to_stdout() -> None:
    out, err = io.StringIO(), io.StringIO()
    writer = AnswerWriter(lambda text: text, out, err)
    writer.activity(Notice("nothing to say"))
    writer.end_text()
    assert out.getvalue() == "" and not writer.wrote_text
