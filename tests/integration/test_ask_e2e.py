"""End to end over real HTTP: LiteLLM → fake LLM server, boto3 → moto server, both on 127.0.0.1.

Every scenario of the orchestration issue runs for both wire protocols (OpenAI chat completions
and Anthropic messages). Seeded log lines carry emails, IPs, keys and card numbers; after each
scenario, no request the fake LLM server received may contain any of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from logai.config import load_settings
from logai.llm.events import Done, Event, Failed, ToolCallFinished
from logai.llm.orchestrator import Orchestrator
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import (
    MotoServer,
    fake_aws_env,
    moto_endpoint,  # noqa: F401 - fixture
    moto_server,  # noqa: F401 - fixture
)

SECRETS = {
    "email": "maria.garcia@example.org",
    "ip": "198.51.100.23",
    "aws_key": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "card": "5555 5555 5555 4444",
    "card_plain": "4012888888881881",
}
CHECKOUT = "/aws/lambda/checkout"

Protocol = str
PROTOCOLS = ["openai", "anthropic"]


def _seed(server: MotoServer) -> None:
    client = server.logs_client()
    now_ms = int(time.time() * 1000)
    lines = {
        CHECKOUT: [
            "START RequestId: 1b2c Version: $LATEST",
            f"ERROR payment declined for {SECRETS['email']} card {SECRETS['card']}",
            f"ERROR upstream {SECRETS['ip']} timeout after 30000 ms",
            f"INFO config aws_access_key_id={SECRETS['aws_key']} "
            f"aws_secret_access_key={SECRETS['aws_secret']}",
            "INFO order 1234 completed",
        ],
        "/aws/lambda/payments": [
            f"WARN charge retried for card {SECRETS['card_plain']}",
            "ERROR gateway timeout calling bank",
        ],
        "/aws/lambda/health": ["GET /health 200 3 ms"],
        "/ecs/web": ["GET /index.html 200", "GET /cart 502 upstream timeout"],
    }
    for group, messages in lines.items():
        client.create_log_group(logGroupName=group)
        client.create_log_stream(logGroupName=group, logStreamName="main")
        client.put_log_events(
            logGroupName=group,
            logStreamName="main",
            logEvents=[
                {"timestamp": now_ms - 600_000 + i * 1000, "message": message}
                for i, message in enumerate(messages)
            ],
        )


@pytest.fixture
def world(
    moto_endpoint: MotoServer,  # noqa: F811
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[tuple[MotoServer, FakeLLMServer, Protocol]]:
    protocol: Protocol = request.param
    _seed(moto_endpoint)
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", protocol)
    monkeypatch.setenv(
        "LOGAI_LLM_API_BASE",
        fake_llm.openai_base if protocol == "openai" else fake_llm.anthropic_base,
    )
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv(f"LOGAI_{protocol.upper()}_API_KEY", "test-key")
    monkeypatch.setenv("LOGAI_LLM_MAX_RETRIES", "2")
    yield moto_endpoint, fake_llm, protocol
    assert not fake_llm.problems, fake_llm.problems
    for name, value in SECRETS.items():
        assert not fake_llm.requests_containing(value), f"{name} reached the LLM"


def steps(*turns: Turn | Callable[[LLMRequest], Turn]) -> Callable[[LLMRequest], Turn]:
    """Answer the n-th request with the n-th step; a callable step sees the request."""
    queue = list(turns)

    def respond(request: LLMRequest) -> Turn:
        step = queue.pop(0)
        return step(request) if callable(step) else step

    return respond


def quote_last_result(prefix: str) -> Callable[[LLMRequest], Turn]:
    def answer(request: LLMRequest) -> Turn:
        result = request.tool_results[-1].content
        return Turn(text=f"{prefix}\n```\n{result[:400]}\n```")

    return answer


async def ask(
    question: str, orchestrator: Orchestrator | None = None
) -> tuple[list[Event], Orchestrator]:
    orchestrator = orchestrator or Orchestrator(load_settings())
    events = [event async for event in orchestrator.ask(question)]
    return events, orchestrator


def tool_calls(events: list[Event]) -> list[ToolCallFinished]:
    return [e for e in events if isinstance(e, ToolCallFinished)]


def answer_text(events: list[Event]) -> str:
    done = events[-1]
    assert isinstance(done, Done)
    return done.text


parametrize = pytest.mark.parametrize("world", PROTOCOLS, indirect=True)


@parametrize
async def test_list_all_log_groups(world: tuple[MotoServer, FakeLLMServer, Protocol]) -> None:
    _, llm, _ = world
    llm.respond_with(
        steps(
            Turn(tool_calls=[ToolCall("list_log_groups", {})]),
            quote_last_result("Here are your log groups:"),
        )
    )
    events, _ = await ask("List all log groups")
    (call,) = tool_calls(events)
    assert call.name == "list_log_groups" and call.ok and call.summary == "4 log groups"
    assert CHECKOUT in answer_text(events) and "/ecs/web" in answer_text(events)
    first = llm.parsed_requests()[0]
    assert {"list_log_groups", "fetch_logs", "search_logs", "query_logs"} <= set(first.tool_names)


@parametrize
async def test_errors_from_one_lambda_in_the_last_hour(
    world: tuple[MotoServer, FakeLLMServer, Protocol],
) -> None:
    _, llm, _ = world
    llm.respond_with(
        steps(
            Turn(
                tool_calls=[
                    ToolCall(
                        "fetch_logs",
                        {"log_group": CHECKOUT, "start_time": "1h ago", "filter_pattern": "ERROR"},
                    )
                ]
            ),
            quote_last_result("Two errors:"),
        )
    )
    events, orchestrator = await ask(f"Show me errors from {CHECKOUT} in the last hour")
    (call,) = tool_calls(events)
    assert call.ok and call.events == 2 and call.arguments["filter_pattern"] == "ERROR"
    assert call.redactions.startswith("Redacted")
    sent = llm.parsed_requests()[-1].tool_results[-1].content
    assert "payment declined" in sent and "<EMAIL_1>" in sent
    # Shown locally, the answer can carry the real values again.
    assert SECRETS["email"] in orchestrator.restore(answer_text(events))


@parametrize
async def test_search_for_timeout_across_all_lambdas(
    world: tuple[MotoServer, FakeLLMServer, Protocol],
) -> None:
    _, llm, _ = world
    llm.respond_with(
        steps(
            Turn(
                tool_calls=[
                    ToolCall(
                        "search_logs",
                        {"pattern": "timeout", "log_group_prefixes": ["/aws/lambda/"]},
                    )
                ]
            ),
            quote_last_result("Timeouts:"),
        )
    )
    events, _ = await ask("Search for 'timeout' across all Lambda functions")
    (call,) = tool_calls(events)
    assert call.ok and call.events == 2, call
    assert "2 groups" in call.summary
    assert "/ecs/web" not in llm.parsed_requests()[-1].tool_results[-1].content


@parametrize
async def test_follow_up_question_uses_history(
    world: tuple[MotoServer, FakeLLMServer, Protocol],
) -> None:
    _, llm, _ = world
    llm.respond_with(
        steps(
            Turn(
                tool_calls=[
                    ToolCall("fetch_logs", {"log_group": CHECKOUT, "filter_pattern": "ERROR"})
                ]
            ),
            Turn(text="Checkout had 2 errors: a declined payment and an upstream timeout."),
            Turn(text="The declined payment came first."),
        )
    )
    _, orchestrator = await ask("What went wrong in checkout?")
    events, _ = await ask("And which one came first?", orchestrator)
    last = llm.parsed_requests()[-1]
    assert "What went wrong in checkout?" in last.all_text
    assert "2 errors" in last.all_text and last.tool_results
    assert isinstance(events[-1], Done) and events[-1].ok


@parametrize
async def test_malformed_tool_arguments_are_corrected(
    world: tuple[MotoServer, FakeLLMServer, Protocol],
) -> None:
    _, llm, _ = world

    def corrected(request: LLMRequest) -> Turn:
        assert "Invalid arguments for fetch_logs" in request.tool_results[-1].content
        return Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": CHECKOUT})])

    llm.respond_with(
        steps(
            Turn(tool_calls=[ToolCall("fetch_logs", {"group": CHECKOUT, "limit": "lots"})]),
            corrected,
            Turn(text="Fetched."),
        )
    )
    events, _ = await ask("fetch checkout logs")
    assert [call.ok for call in tool_calls(events)] == [False, True]
    assert isinstance(events[-1], Done) and events[-1].ok


@parametrize
async def test_unknown_log_group_suggests_close_names(
    world: tuple[MotoServer, FakeLLMServer, Protocol],
) -> None:
    _, llm, _ = world

    def check(request: LLMRequest) -> Turn:
        error = request.tool_results[-1].content
        assert "/aws/lambda/checkout" in error, error
        return Turn(text="That group does not exist; did you mean /aws/lambda/checkout?")

    llm.respond_with(
        steps(
            Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "/aws/lambda/chekout"})]), check
        )
    )
    events, _ = await ask("errors in chekout?")
    (call,) = tool_calls(events)
    assert not call.ok and "chekout" in call.summary


@parametrize
async def test_iteration_limit(world: tuple[MotoServer, FakeLLMServer, Protocol]) -> None:
    _, llm, _ = world
    llm.respond_with(lambda request: Turn(tool_calls=[ToolCall("list_log_groups", {"limit": 5})]))
    events, _ = await ask("keep looking forever")
    assert len(tool_calls(events)) == 10
    failed = next(e for e in events if isinstance(e, Failed))
    assert failed.kind == "iteration_limit"
    assert len(llm.chat_requests()) == 10


@parametrize
async def test_rate_limited_then_success(world: tuple[MotoServer, FakeLLMServer, Protocol]) -> None:
    _, llm, _ = world
    llm.rate_limit(times=1, retry_after=0.2)
    llm.script("All good after a retry.")
    started = time.monotonic()
    events, _ = await ask("anything wrong?")
    assert time.monotonic() - started >= 0.2
    assert answer_text(events) == "All good after a retry."
    assert len(llm.chat_requests()) == 2


def _cli_env(moto: MotoServer, llm: FakeLLMServer, tmp_path: Path) -> dict[str, str]:
    env = fake_aws_env(moto.endpoint)
    env.update(
        LOGAI_LLM_PROVIDER="openai",
        LOGAI_LLM_API_BASE=llm.openai_base,
        LOGAI_OPENAI_API_KEY="test-key",
        LOGAI_LLM_MODEL="fake-model",
        LOGAI_CACHE_DIR=str(tmp_path / "cache"),
        LOGAI_ENV_FILE=os.devnull,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
    )
    return env


def test_logai_ask_command_streams_answer_to_stdout_activity_to_stderr(
    moto_endpoint: MotoServer,  # noqa: F811
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    _seed(moto_endpoint)
    fake_llm.respond_with(
        steps(
            Turn(
                tool_calls=[
                    ToolCall("fetch_logs", {"log_group": CHECKOUT, "filter_pattern": "ERROR"})
                ]
            ),
            lambda request: Turn(text="Payment declined for <EMAIL_1> at 10:01."),
        )
    )
    env = _cli_env(moto_endpoint, fake_llm, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "logai", "ask", "why did checkout fail?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The local user sees the real address; the LLM never did.
    assert done.stdout.strip() == f"Payment declined for {SECRETS['email']} at 10:01."
    assert "→ fetch_logs(" in done.stderr and "✓ fetch_logs: 2 events" in done.stderr
    assert "Redacted" in done.stderr
    assert not fake_llm.requests_containing(SECRETS["email"])

    fake_llm.reset()
    fake_llm.script("short answer")
    as_json = subprocess.run(
        [sys.executable, "-m", "logai", "ask", "--json", "hi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert as_json.returncode == 0, as_json.stderr
    events = [json.loads(line) for line in as_json.stdout.splitlines()]
    done_line = events[-1]
    # The orchestrator's Done, plus what only the command knows (see test_ask_json_e2e.py).
    assert done_line.pop("conversation_id") == 2 and done_line.pop("usage")["calls"] == 1
    assert done_line == {"type": "done", "text": "short answer", "iterations": 1, "ok": True}
    assert {e["type"] for e in events} == {"text", "usage", "done"}


def test_logai_ask_fails_clearly_when_the_llm_keeps_failing(
    moto_endpoint: MotoServer,  # noqa: F811
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    fake_llm.fail(500, times=10)
    env = _cli_env(moto_endpoint, fake_llm, tmp_path)
    env["LOGAI_LLM_MAX_RETRIES"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "logai", "ask", "anything?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "error:" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout.strip() == ""


def test_logai_ask_without_a_key_names_the_variable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(LOGAI_ENV_FILE=os.devnull, AWS_REGION="us-east-1")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "ask", "anything?"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "LOGAI_ANTHROPIC_API_KEY" in done.stderr and "Traceback" not in done.stderr
