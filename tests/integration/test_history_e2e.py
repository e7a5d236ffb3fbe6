"""Saved conversations end to end: ``logai ask`` over real LiteLLM to the fake LLM server (both
wire protocols), the ``files`` data source, and the history file on disk.

``--continue`` and ``--session`` are proven on what the server received: the second request
carries the first turn's messages (sanitized), and never a raw value.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from logai.cli.app import cli
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture

EMAIL = "maria.garcia@example.org"
PROTOCOLS = ["openai", "anthropic"]


def _write_logs(root: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    stamp = (now - timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S,000")
    (root / "app.log").write_text(
        f"{stamp} ERROR checkout: payment declined for {EMAIL}\n"
        f"{stamp} INFO checkout: order 991 completed\n"
    )


@pytest.fixture
def llm(
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[FakeLLMServer]:
    protocol = request.param
    root = tmp_path / "logs"
    root.mkdir()
    _write_logs(root)
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", protocol)
    base = fake_llm.openai_base if protocol == "openai" else fake_llm.anthropic_base
    monkeypatch.setenv("LOGAI_LLM_API_BASE", base)
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv(f"LOGAI_{protocol.upper()}_API_KEY", "test-key")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    yield fake_llm
    assert not fake_llm.problems, fake_llm.problems
    assert not fake_llm.requests_containing(EMAIL), "a raw value reached the LLM"


def _logai(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _fetch_then_answer(request: LLMRequest) -> Turn:
    if not request.tool_results:
        return Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "app.log"})])
    return Turn(text="A payment for <EMAIL_1> was declined.")


parametrize = pytest.mark.parametrize("llm", PROTOCOLS, indirect=True)


@parametrize
def test_continue_sends_the_first_turn_in_the_second_request(llm: FakeLLMServer) -> None:
    llm.respond_with(_fetch_then_answer)
    first = _logai("ask", f"why did checkout fail for {EMAIL}?")
    assert first.exit_code == 0, first.output
    assert f"A payment for {EMAIL} was declined." in first.stdout

    llm.reset()
    llm.script("It was declined by the bank.")
    second = _logai("ask", "--continue", "who declined it?")
    assert second.exit_code == 0, second.output
    (request,) = llm.parsed_requests()
    texts = json.dumps(request.messages)
    assert "why did checkout fail for <EMAIL_1>?" in texts
    assert "A payment for <EMAIL_1> was declined." in texts
    assert request.tool_results and "payment declined for <EMAIL_1>" in texts
    assert request.last_user_text == "who declined it?"
    assert not request.malformations()

    listed = _logai("history", "--json")
    (conversation,) = json.loads(listed.stdout)
    assert conversation["questions"] == 2 and conversation["model"].endswith("fake-model")


@parametrize
def test_session_resumes_an_older_conversation(llm: FakeLLMServer) -> None:
    llm.script("Checkout is fine.", "The cart is fine too.")
    assert _logai("ask", "is checkout ok?").exit_code == 0
    assert _logai("ask", "is the cart ok?").exit_code == 0
    ids = [row["id"] for row in json.loads(_logai("history", "--json").stdout)]
    cart, checkout = ids  # most recent first

    llm.reset()
    llm.script("Yes, checkout.")
    assert _logai("ask", "--session", str(checkout), "sure?").exit_code == 0
    (request,) = llm.parsed_requests()
    assert "is checkout ok?" in json.dumps(request.messages)
    assert "cart" not in json.dumps(request.messages)
    # Continuing made the older one the latest.
    assert json.loads(_logai("history", "--json").stdout)[0]["id"] == checkout
    assert cart != checkout


@parametrize
def test_history_show_export_and_delete(llm: FakeLLMServer, tmp_path: Path) -> None:
    llm.respond_with(_fetch_then_answer)
    assert _logai("ask", f"why did checkout fail for {EMAIL}?").exit_code == 0
    (row,) = json.loads(_logai("history", "--json").stdout)
    conversation_id = str(row["id"])

    note = _logai("history", "show", conversation_id, "--markdown").stdout
    assert "### Evidence" in note and "1. **fetch_logs** on `app.log` → 2 events" in note
    # Escaped, or Markdown renderers would take the placeholder for an HTML tag.
    assert "A payment for \\<EMAIL_1\\> was declined." in note and EMAIL not in note
    restored = _logai("history", "show", conversation_id, "--markdown", "--originals").stdout
    assert f"A payment for {EMAIL} was declined." in restored
    shown = _logai("history", "show", conversation_id).stdout
    assert EMAIL in shown  # local display restores, as `logai ask` does

    exported = json.loads(_logai("history", "show", conversation_id, "--json").stdout)
    assert EMAIL not in json.dumps(exported) and exported["originals_restored"] is False
    (turn,) = exported["turns"]
    assert turn["tool_calls"][0]["name"] == "fetch_logs"
    assert turn["source"] == "files" and "logs" in turn["target"]
    assert [m["role"] for m in turn["messages"]] == ["user", "assistant", "tool", "assistant"]

    table = _logai("history").stdout
    assert "QUESTIONS" in table and "–" in table  # no usage recorded: shown as a dash

    assert _logai("cache", "clear").exit_code == 0
    assert _logai("history", "show", conversation_id).exit_code == 0  # cache clear left it

    assert _logai("history", "rm", conversation_id).exit_code == 0
    gone = _logai("history", "show", conversation_id)
    assert gone.exit_code == 1 and "no saved conversation" in gone.stderr


def _wait_for(condition: object, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        time.sleep(0.05)


def _saved_turns(conversation_id: int) -> int:
    """How many turns conversation ``conversation_id`` holds on disk now (0 if none yet)."""
    shown = _logai("history", "show", str(conversation_id), "--json")
    return len(json.loads(shown.stdout)["turns"]) if shown.exit_code == 0 else 0


@pytest.mark.slow
@parametrize
def test_kill_9_mid_answer_keeps_the_completed_turns(llm: FakeLLMServer) -> None:
    llm.script("The first answer.")
    assert _logai("ask", "first question?").exit_code == 0

    llm.reset()
    llm.script(Turn(text="This answer never ends " * 20, interrupt_after=3, interrupt="hang"))
    child = subprocess.Popen(
        [sys.executable, "-m", "logai", "ask", "--continue", "second question?"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # Mid-answer: the first chunks arrived, so the question's row is being written.
        _wait_for(lambda: _saved_turns(1) == 2 or child.poll() is not None)
        assert child.poll() is None, child.communicate()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]

    shown = json.loads(_logai("history", "show", "1", "--json").stdout)
    assert [turn["status"] for turn in shown["turns"]] == ["ok", "unfinished"]
    assert shown["turns"][0]["answer"] == "The first answer."
    assert [m["role"] for m in shown["turns"][0]["messages"]] == ["user", "assistant"]
    assert shown["turns"][1]["messages"] == []

    llm.reset()
    llm.script("Third answer.")
    assert _logai("ask", "--continue", "third question?").exit_code == 0
    (request,) = llm.parsed_requests()
    sent = json.dumps(request.messages)
    assert "first question?" in sent and "The first answer." in sent
    assert "second question?" not in sent and not request.malformations()


@parametrize
def test_plain_chat_saves_and_clear_starts_a_new_conversation(llm: FakeLLMServer) -> None:
    llm.script("First answer.", "Second answer.")
    done = CliRunner().invoke(
        cli, ["chat", "--plain"], input="first?\n/clear\nsecond?\n/quit\n", catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    listed = json.loads(_logai("history", "--json").stdout)
    assert [row["title"] for row in listed] == ["second?", "first?"]
    assert all(row["questions"] == 1 for row in listed)


@parametrize
def test_history_holds_the_usage_the_server_reported_for_every_call(llm: FakeLLMServer) -> None:
    """The orchestrator's usage events (one per LLM call) are what history adds up."""
    llm.respond_with(
        lambda request: (
            Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "app.log"})], input_tokens=40,
                 output_tokens=7)
            if not request.tool_results
            else Turn(text="Declined.", input_tokens=90, output_tokens=3)
        )
    )  # fmt: skip
    assert _logai("ask", "why did checkout fail?").exit_code == 0
    (row,) = json.loads(_logai("history", "--json").stdout)
    assert row["prompt_tokens"] == 40 + 90 and row["completion_tokens"] == 7 + 3
    exported = json.loads(_logai("history", "show", str(row["id"]), "--json").stdout)
    (turn,) = exported["turns"]
    calls = [(u["prompt_tokens"], u["completion_tokens"]) for u in turn["usage"]]
    assert calls == [(40, 7), (90, 3)]
