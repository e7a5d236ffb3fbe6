"""``logai ask --json`` as a script sees it: the real CLI, LiteLLM and the fake LLM server.

The last line (``done``) names the saved conversation, which ``--session`` then continues, and
adds up the usage the server reported. Whatever goes wrong (an LLM error, bad configuration, a
cost cap, Ctrl+C, the history off or unwritable), stdout holds JSON lines and nothing else.
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
from typing import Any

import pytest
from click.testing import CliRunner, Result

from logai.cli.app import cli
from logai.llm.context import call_cost
from tests.fakes.fake_llm import FakeLLMServer, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture

pytestmark = pytest.mark.network_loopback

EMAIL = "maria.garcia@example.org"
PRICED = "openai/gpt-4o-mini"


@pytest.fixture
def llm(
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[FakeLLMServer]:
    root = tmp_path / "logs"
    root.mkdir()
    stamp = (datetime.now(UTC) - timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S,000")
    (root / "app.log").write_text(f"{stamp} ERROR checkout: payment declined for {EMAIL}\n")
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "openai")
    monkeypatch.setenv("LOGAI_LLM_API_BASE", fake_llm.openai_base)
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv("LOGAI_OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("LOGAI_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    yield fake_llm
    assert not fake_llm.problems, fake_llm.problems
    assert not fake_llm.requests_containing(EMAIL), "a raw value reached the LLM"


def _ask_json(*args: str) -> tuple[Result, list[dict[str, Any]]]:
    """Run ``logai ask --json ARGS``; every stdout line must be a JSON object."""
    result = CliRunner().invoke(cli, ["ask", "--json", *args], catch_exceptions=False)
    return result, _json_lines(result.stdout)


def _json_lines(stdout: str) -> list[dict[str, Any]]:
    assert stdout == "" or stdout.endswith("\n"), repr(stdout)
    events = [json.loads(line) for line in stdout.splitlines()]
    assert all(isinstance(event, dict) and "type" in event for event in events), stdout
    return events


def _done(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The stream's last line, which must be its only ``done``."""
    assert [e["type"] for e in events].count("done") == 1, events
    assert events[-1]["type"] == "done", events
    return events[-1]


def _fetch_then_answer(first: tuple[int, int], second: tuple[int, int]) -> list[Turn]:
    return [
        Turn(
            tool_calls=[ToolCall("fetch_logs", {"log_group": "app.log", "start_time": "1h ago"})],
            input_tokens=first[0],
            output_tokens=first[1],
        ),
        Turn(
            text="A payment for <EMAIL_1> was declined.",
            input_tokens=second[0],
            output_tokens=second[1],
        ),
    ]


def test_done_names_the_conversation_that_session_continues(llm: FakeLLMServer) -> None:
    llm.script("Checkout is fine.")
    first, events = _ask_json("is checkout ok?")
    assert first.exit_code == 0, first.output
    done = _done(events)
    assert done["ok"] is True and done["text"] == "Checkout is fine."
    conversation_id = done["conversation_id"]
    assert isinstance(conversation_id, int)
    # The existing keys are unchanged: only conversation_id and usage were added.
    assert set(done) == {"type", "text", "iterations", "ok", "conversation_id", "usage"}

    llm.reset()
    llm.script("Yes, checkout.")
    second, events = _ask_json("--session", str(conversation_id), "sure?")
    assert second.exit_code == 0, second.output
    assert _done(events)["conversation_id"] == conversation_id
    (request,) = llm.parsed_requests()
    assert "is checkout ok?" in json.dumps(request.messages)
    (row,) = json.loads(CliRunner().invoke(cli, ["history", "--json"]).stdout)
    assert row["id"] == conversation_id and row["questions"] == 2


def test_usage_totals_are_the_sum_of_what_the_server_reported(
    llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_LLM_MODEL", PRICED)
    llm.script(*_fetch_then_answer((1234, 56), (2345, 78)))
    result, events = _ask_json("why did checkout fail?")
    assert result.exit_code == 0, result.output
    per_call = [e for e in events if e["type"] == "usage"]
    assert [(u["prompt_tokens"], u["completion_tokens"]) for u in per_call] == [
        (1234, 56),
        (2345, 78),
    ]
    usage = _done(events)["usage"]
    expected = (call_cost(PRICED, 1234, 56) or 0) + (call_cost(PRICED, 2345, 78) or 0)
    assert expected > 0
    assert usage == {
        "calls": 2,
        "prompt_tokens": 1234 + 2345,
        "completion_tokens": 56 + 78,
        "cost_usd": pytest.approx(expected, rel=1e-12),
        "unpriced_calls": 0,
    }
    assert usage["cost_usd"] == pytest.approx(sum(u["cost_usd"] for u in per_call), rel=1e-12)
    # The JSON keeps the placeholders the LLM saw, as docs/guide.md says.
    assert _done(events)["text"] == "A payment for <EMAIL_1> was declined."
    assert EMAIL not in result.stdout


def test_the_documented_done_line_has_the_fields_the_program_prints(llm: FakeLLMServer) -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guide.md").read_text()
    section = guide.split("### From a script or an agent: `logai ask --json`")[1]
    documented = json.loads(section.split("```json\n")[1].split("\n```")[0])
    llm.script("Fine.")
    result, events = _ask_json("ok?")
    assert result.exit_code == 0, result.output
    done = _done(events)
    assert set(done) == set(documented) and set(done["usage"]) == set(documented["usage"])


def test_an_unpriced_model_has_token_totals_and_a_null_cost(llm: FakeLLMServer) -> None:
    llm.script(*_fetch_then_answer((40, 7), (90, 3)))
    result, events = _ask_json("why did checkout fail?")
    assert result.exit_code == 0, result.output
    assert _done(events)["usage"] == {
        "calls": 2,
        "prompt_tokens": 130,
        "completion_tokens": 10,
        "cost_usd": None,
        "unpriced_calls": 2,
    }


def test_history_off_gives_a_null_conversation(
    llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_HISTORY_ENABLED", "false")
    llm.script("Fine.")
    result, events = _ask_json("ok?")
    assert result.exit_code == 0, result.output
    done = _done(events)
    assert done["conversation_id"] is None and done["usage"]["calls"] == 1

    # Continuing is refused before anything is sent: stdout stays empty (zero JSON lines).
    resumed, events = _ask_json("--session", "1", "and now?")
    assert resumed.exit_code == 1 and events == []
    assert "history is off" in resumed.stderr


def test_a_history_that_cannot_be_written_gives_a_null_conversation(
    llm: FakeLLMServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("LOGAI_HISTORY_DIR", str(blocker))
    llm.script("Fine.")
    result, events = _ask_json("ok?")
    assert result.exit_code == 0, result.output
    done = _done(events)
    assert done["ok"] is True and done["conversation_id"] is None


def test_an_llm_error_ends_with_error_and_done(llm: FakeLLMServer) -> None:
    llm.fail(status=401, times=1)
    result, events = _ask_json("ok?")
    assert result.exit_code == 1
    assert [e["type"] for e in events][-2:] == ["error", "done"]
    assert events[-2]["kind"] == "llm_auth"
    done = _done(events)
    assert done["ok"] is False
    assert done["usage"] == {
        "calls": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "cost_usd": None,
        "unpriced_calls": 0,
    }


def test_a_cost_cap_that_cannot_be_enforced_sends_nothing(llm: FakeLLMServer) -> None:
    llm.script("never sent")
    result, events = _ask_json("--max-cost", "1", "ok?")
    assert result.exit_code == 1
    assert not llm.chat_requests()
    (error,) = [e for e in events if e["type"] == "error"]
    assert error["kind"] == "cost_limit"
    assert _done(events)["ok"] is False


@pytest.mark.parametrize(
    ("env", "args", "status"),
    [
        ({"LOGAI_LLM_PROVIDER": "nonsense"}, [], 2),
        ({"LOGAI_LLM_MAX_RETRIES": "lots"}, [], 2),
        ({}, ["--source", "nonsense"], 2),
        ({}, ["--session", "999"], 1),
        ({}, ["--continue"], 1),
        ({}, ["--max-cost", "0"], 2),
    ],
)
def test_an_ask_refused_before_sending_prints_nothing_on_stdout(
    llm: FakeLLMServer,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    args: list[str],
    status: int,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result, events = _ask_json(*args, "ok?")
    assert result.exit_code == status, result.output
    assert events == [] and result.stderr.strip()
    assert not llm.chat_requests()


def _wait_for(condition: Any, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        time.sleep(0.05)


@pytest.mark.slow
def test_ctrl_c_mid_answer_ends_the_stream_with_error_and_done(llm: FakeLLMServer) -> None:
    """Through the real entry point (``python -m logai``), which ends with ``os._exit``."""
    llm.script(
        Turn(text="This answer never ends " * 20, interrupt_after=3, interrupt="hang"),
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "logai", "ask", "--json", "what failed?"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: llm.chat_requests() or child.poll() is not None)
        time.sleep(0.3)  # the first chunks are on their way: mid-answer
        assert child.poll() is None, child.communicate()
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "logai: error: interrupted."
    events = _json_lines(stdout)
    assert [e["type"] for e in events][-2:] == ["error", "done"]
    assert events[-2] == {"type": "error", "message": "interrupted.", "kind": "interrupted"}
    done = _done(events)
    assert done["ok"] is False and done["text"].startswith("This answer")
    assert "".join(e["text"] for e in events if e["type"] == "text") == done["text"]
    # The cancelled question was saved: its conversation can be continued.
    conversation_id = done["conversation_id"]
    assert isinstance(conversation_id, int)
    llm.reset()
    llm.script("Resumed.")
    resumed, events = _ask_json("--session", str(conversation_id), "again?")
    assert resumed.exit_code == 0, resumed.output
    assert _done(events)["conversation_id"] == conversation_id
