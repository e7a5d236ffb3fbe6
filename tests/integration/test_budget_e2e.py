"""Context fitting, usage and cost over real HTTP: LiteLLM → the fake LLM server, both protocols.

* A 40-question conversation against a model whose window is set small: every request the
  server received fits the window (counted with LiteLLM's tokenizer, reply room included), is
  well-formed (each tool call with its result), carries the latest question, and the user was
  told once fitting began.
* Usage events carry exactly the numbers the server put in its ``usage`` fields, and the cost
  is LiteLLM's local cost map applied to them.
* A cost cap stops the tool loop before the call that would exceed it; a cap on a model without
  a known price sends nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from logai.config import load_settings
from logai.llm.context import call_cost
from logai.llm.events import Done, Event, Failed, Notice, ToolCallFinished, Usage
from logai.llm.orchestrator import Orchestrator
from logai.llm.usage import format_cost
from logai.sources import LogEvent
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.memory_source import MemorySource

pytestmark = pytest.mark.network_loopback

GROUP = "/aws/lambda/checkout"
EMAIL = "maria.garcia@example.org"
PROTOCOLS = ["openai", "anthropic"]
#: Models LiteLLM's local map prices, one per protocol (served by the fake via LOGAI_LLM_API_BASE).
PRICED = {"openai": "openai/gpt-4o-mini", "anthropic": "anthropic/claude-sonnet-4-5"}
WINDOW = 6000


def _events() -> list[LogEvent]:
    now = datetime.now(UTC)
    return [
        LogEvent(
            now - timedelta(minutes=50) + timedelta(seconds=i),
            f"ERROR order {1000 + i} failed: upstream payments-{i % 7} timed out after "
            f"{300 + i * 13} ms (trace {i * 7919:08x}, customer {EMAIL})",
            GROUP,
            "main",
            str(i),
        )
        for i in range(400)
    ]


@pytest.fixture(params=PROTOCOLS)
def protocol(
    request: pytest.FixtureRequest,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    name: str = request.param
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", name)
    base = fake_llm.openai_base if name == "openai" else fake_llm.anthropic_base
    monkeypatch.setenv("LOGAI_LLM_API_BASE", base)
    monkeypatch.setenv(f"LOGAI_{name.upper()}_API_KEY", "test-key")
    monkeypatch.setenv("LOGAI_LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    yield name
    assert not fake_llm.problems, fake_llm.problems
    assert not fake_llm.requests_containing(EMAIL), "an email reached the LLM"


def _orchestrator() -> Orchestrator:
    return Orchestrator(load_settings(), source=MemorySource(_events()))


async def _ask(orchestrator: Orchestrator, question: str) -> list[Event]:
    return [event async for event in orchestrator.ask(question)]


def _after_tool_result(request: LLMRequest) -> bool:
    """Whether the last message sent is a tool result (the model should answer now)."""
    last = request.messages[-1]
    if request.protocol == "openai":
        return last.get("role") == "tool"
    content = last.get("content")
    return isinstance(content, list) and any(
        isinstance(block, dict) and block.get("type") == "tool_result" for block in content
    )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _request_tokens(body: dict[str, Any], model: str) -> int:
    """Every piece of text in the request counted with LiteLLM's tokenizer, 4 per message."""
    from logai.llm._litellm import load_litellm

    litellm = load_litellm()
    texts = [*_strings(body.get("system")), *_strings(body["messages"])]
    texts += [json.dumps(tool) for tool in body.get("tools") or []]
    counted = sum(litellm.token_counter(model=model, text=text) for text in texts if text)
    return int(counted) + 4 * len(body["messages"])


@pytest.mark.slow
async def test_forty_questions_never_overflow_a_small_window(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv("LOGAI_LLM_CONTEXT_TOKENS", str(WINDOW))
    asked: list[str] = []

    def respond(request: LLMRequest) -> Turn:
        # The latest question always travels, whatever had to give way.
        assert request.last_user_text == asked[-1] or _after_tool_result(request)
        if _after_tool_result(request):
            return Turn(text=f"Answer {len(asked)}: payments timed out " * 8, input_tokens=50)
        return Turn(
            tool_calls=[
                ToolCall(
                    "fetch_logs",
                    {"log_group": GROUP, "start_time": "1h ago", "filter_pattern": "ERROR"},
                )
            ],
            input_tokens=50,
        )

    fake_llm.respond_with(respond)
    orchestrator = _orchestrator()
    notices: list[list[str]] = []
    try:
        for number in range(1, 41):
            asked.append(f"Question {number}: which orders failed, and why?")
            events = await _ask(orchestrator, asked[-1])
            assert isinstance(events[-1], Done) and events[-1].ok, events[-2:]
            notices.append([e.message for e in events if isinstance(e, Notice)])
    finally:
        await orchestrator.aclose()

    requests = fake_llm.parsed_requests()
    assert len(requests) == 80
    model = orchestrator.model
    sizes = []
    for request in requests:
        assert not request.malformations(), request.malformations()
        sizes.append(_request_tokens(request.body, model) + int(request.body["max_tokens"]))
    assert max(sizes) <= WINDOW
    assert max(sizes) > WINDOW * 0.6  # and the window is used, not left mostly empty
    # What gave way, and that the user heard about it (once, not on every call).
    assert any("[Condensed by LogAI" in r.content for r in requests[-1].tool_results)
    assert "earlier parts of this conversation were left out" in requests[-1].system
    assert "Question 1:" not in json.dumps(requests[-1].messages)
    # The user heard when fitting began, and never more than once per kind of change a question.
    assert any(notices)
    assert all("context window" in notice for told in notices for notice in told)
    assert all(len(told) <= 3 for told in notices)


async def test_usage_is_what_the_server_reported_and_cost_is_litellms_price(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from logai.llm._litellm import load_litellm

    monkeypatch.setenv("LOGAI_LLM_MODEL", PRICED[protocol])
    fake_llm.script(
        Turn(
            tool_calls=[ToolCall("fetch_logs", {"log_group": GROUP, "start_time": "1h ago"})],
            input_tokens=1234,
            output_tokens=56,
        ),
        Turn(text="Payments timed out.", input_tokens=2345, output_tokens=78),
    )
    orchestrator = _orchestrator()
    try:
        events = await _ask(orchestrator, "what failed?")
    finally:
        await orchestrator.aclose()
    usage = [e for e in events if isinstance(e, Usage)]
    assert [(u.prompt_tokens, u.completion_tokens) for u in usage] == [(1234, 56), (2345, 78)]
    litellm = load_litellm()
    for item in usage:
        assert item.model == PRICED[protocol]
        prompt_cost, completion_cost = litellm.cost_per_token(
            model=PRICED[protocol],
            prompt_tokens=item.prompt_tokens,
            completion_tokens=item.completion_tokens,
        )
        assert item.cost_usd == pytest.approx(prompt_cost + completion_cost, rel=1e-12)
        assert item.cost_usd is not None and item.cost_usd > 0
    # The reply room the fitter kept is what the request asked for.
    assert all(int(r.body["max_tokens"]) > 0 for r in fake_llm.parsed_requests())


async def test_usage_of_an_unknown_model_has_tokens_and_no_price(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    fake_llm.script(Turn(text="All quiet.", input_tokens=321, output_tokens=9))
    orchestrator = _orchestrator()
    try:
        events = await _ask(orchestrator, "anything wrong?")
    finally:
        await orchestrator.aclose()
    (usage,) = [e for e in events if isinstance(e, Usage)]
    assert (usage.prompt_tokens, usage.completion_tokens, usage.cost_usd) == (321, 9, None)


async def test_cost_cap_stops_the_loop_before_the_call_that_would_exceed_it(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGAI_LLM_MODEL", PRICED[protocol])
    monkeypatch.setenv("LOGAI_MAX_COST_PER_QUESTION", "0.01")
    # The first call reports enough prompt tokens to use up the cap: the second must not go.
    fake_llm.script(
        Turn(
            tool_calls=[ToolCall("fetch_logs", {"log_group": GROUP, "start_time": "1h ago"})],
            input_tokens=100_000 if protocol == "openai" else 4_000,
            output_tokens=10,
        ),
        Turn(text="never sent"),
    )
    orchestrator = _orchestrator()
    try:
        events = await _ask(orchestrator, "what failed?")
    finally:
        await orchestrator.aclose()
    assert len(fake_llm.chat_requests()) == 1
    assert fake_llm.pending_turns == 1
    assert any(isinstance(e, ToolCallFinished) and e.ok for e in events)
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert failed.kind == "cost_limit"
    assert "Stopped before the next LLM call" in failed.message and "$0.0100 cap" in failed.message
    done = events[-1]
    assert isinstance(done, Done) and not done.ok


async def test_cost_cap_on_a_model_without_a_price_sends_nothing(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv("LOGAI_MAX_COST_PER_QUESTION", "1")
    fake_llm.script(Turn(text="never sent"))
    orchestrator = _orchestrator()
    try:
        events = await _ask(orchestrator, "what failed?")
    finally:
        await orchestrator.aclose()
    assert not fake_llm.chat_requests()
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert failed.kind == "cost_limit" and "cannot be enforced" in failed.message


def _run_ask(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
    *args: str,
) -> subprocess.CompletedProcess[str]:
    root = tmp_path / "logs"
    root.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S,000")
    (root / "app.log").write_text(f"{stamp} ERROR payments timed out for {EMAIL}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(
        LOGAI_LLM_PROVIDER="openai",
        LOGAI_LLM_API_BASE=fake_llm.openai_base,
        LOGAI_LLM_MODEL="gpt-4o-mini",
        LOGAI_DATA_SOURCE="files",
        LOGAI_FILES_ROOT=str(root),
        LOGAI_CACHE_DIR=str(tmp_path / "cache"),
        LOGAI_ENV_FILE=os.devnull,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
    )
    return subprocess.run(
        [sys.executable, "-m", "logai", "ask", *args, "what failed?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _fetch_then_answer(fake_llm: FakeLLMServer) -> None:  # noqa: F811
    fake_llm.script(
        Turn(
            tool_calls=[ToolCall("fetch_logs", {"log_group": "app.log", "start_time": "1h ago"})],
            input_tokens=100_000,
            output_tokens=20,
        ),
        Turn(text="Payments timed out.", input_tokens=2_000, output_tokens=7),
    )


def test_ask_prints_one_usage_line_on_stderr(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    _fetch_then_answer(fake_llm)
    done = _run_ask(fake_llm, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Payments timed out."
    cost = format_cost(
        (call_cost("openai/gpt-4o-mini", 100_000, 20) or 0)
        + (call_cost("openai/gpt-4o-mini", 2_000, 7) or 0)
    )
    assert done.stderr.splitlines()[-1] == (
        f"usage: 2 LLM calls, 102,000 tokens in, 27 out, {cost}"
    )


def test_ask_json_has_usage_events_and_max_cost_stops_the_loop(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    _fetch_then_answer(fake_llm)
    done = _run_ask(fake_llm, tmp_path, "--json", "--max-cost", "0.01")
    assert done.returncode != 0
    events = [json.loads(line) for line in done.stdout.splitlines()]
    usage = [e for e in events if e["type"] == "usage"]
    assert usage == [
        {
            "type": "usage",
            "model": "openai/gpt-4o-mini",
            "prompt_tokens": 100_000,
            "completion_tokens": 20,
            "cost_usd": call_cost("openai/gpt-4o-mini", 100_000, 20),
        }
    ]
    (error,) = [e for e in events if e["type"] == "error"]
    assert error["kind"] == "cost_limit" and "over the $0.0100 cap" in error["message"]
    assert len(fake_llm.chat_requests()) == 1


def test_ask_rejects_a_max_cost_that_is_not_positive(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    done = _run_ask(fake_llm, tmp_path, "--max-cost", "0")
    assert done.returncode == 2 and "--max-cost" in done.stderr
    assert not fake_llm.chat_requests()
