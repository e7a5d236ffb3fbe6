"""The conversation boundary over real HTTP: what the fake LLM server receives, both protocols.

Secrets are planted everywhere text can come from — the user's question, a tool result, a tool
error, the data source's description (an endpoint URL with a password, a files root with an
email in its path) and other settings-derived text (the AWS profile name) — and none may reach
the server, through LiteLLM's real OpenAI and Anthropic paths. Malformed tool arguments (a
stream cut mid-string) must leave a conversation the server accepts, and the answer arrives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from logai.config import load_settings
from logai.llm.events import Done, Event, Failed, ToolCallFinished
from logai.llm.orchestrator import Orchestrator
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import (
    MotoServer,
    moto_endpoint,  # noqa: F401 - fixture
    moto_server,  # noqa: F401 - fixture
)

PROTOCOLS = ["openai", "anthropic"]

#: In the question.
ASKED = {
    "email": "maria.garcia@example.org",
    "url_password": "Hunter2-Prod-Secret",
    "aws_key": "AKIAIOSFODNN7EXAMPLE",
}
QUESTION = (
    f"Why does checkout fail for {ASKED['email']}? We connect with "
    f"postgres://app:{ASKED['url_password']}@db.internal:5432/shop and key {ASKED['aws_key']}."
)
#: In the logs (tool results).
LOGGED = {
    "email": "li.wei@example.net",
    "aws_secret": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "card": "4012888888881881",
}
#: In the source description and other settings-derived text.
ENDPOINT_PASSWORD = "EndpointPassw0rd-77"
PROFILE = "oncall-priya.k@example.com"
ROOT_EMAIL = "dana.ops@example.com"
CHECKOUT = "/aws/lambda/checkout"


@dataclass
class Setup:
    """One source's world: the secrets it planted and the group the model fetches."""

    secrets: dict[str, str]
    group: str


def _log_lines() -> list[str]:
    return [
        f"ERROR payment declined for {LOGGED['email']} card {LOGGED['card']}",
        f"INFO aws_secret_access_key={LOGGED['aws_secret']}",
        "INFO order 1234 completed",
    ]


def _cloudwatch(server: MotoServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Setup:
    client = server.logs_client()
    client.create_log_group(logGroupName=CHECKOUT)
    client.create_log_stream(logGroupName=CHECKOUT, logStreamName="main")
    now_ms = int(time.time() * 1000)
    client.put_log_events(
        logGroupName=CHECKOUT,
        logStreamName="main",
        logEvents=[
            {"timestamp": now_ms - 600_000 + i * 1000, "message": line}
            for i, line in enumerate(_log_lines())
        ],
    )
    endpoint = server.endpoint.replace("http://", f"http://svc-user:{ENDPOINT_PASSWORD}@")
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", endpoint)
    config = Path(os.environ["AWS_CONFIG_FILE"])
    # A named profile takes its credentials from the config, not the environment.
    config.write_text(
        f"[profile {PROFILE}]\nregion = us-east-1\n"
        "aws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    monkeypatch.setenv("AWS_PROFILE", PROFILE)
    return Setup({"endpoint_password": ENDPOINT_PASSWORD, "profile": PROFILE}, CHECKOUT)


def _files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Setup:
    root = tmp_path / ROOT_EMAIL / "logs"
    root.mkdir(parents=True)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 600))
    (root / "checkout.log").write_text("".join(f"{stamp},000 {line}\n" for line in _log_lines()))
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    return Setup({"root_email": ROOT_EMAIL}, "checkout.log")


def _use_llm(monkeypatch: pytest.MonkeyPatch, llm: FakeLLMServer, protocol: str) -> None:
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", protocol)
    monkeypatch.setenv(
        "LOGAI_LLM_API_BASE", llm.openai_base if protocol == "openai" else llm.anthropic_base
    )
    monkeypatch.setenv("LOGAI_LLM_MODEL", "fake-model")
    monkeypatch.setenv(f"LOGAI_{protocol.upper()}_API_KEY", "test-key")


@pytest.fixture
def cloudwatch_setup(
    moto_endpoint: MotoServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[Setup]:
    yield _cloudwatch(moto_endpoint, monkeypatch, tmp_path)


def _placeholder(text: str, kind: str) -> str:
    start = text.index(f"<{kind}_")
    return text[start : text.index(">", start) + 1]


def _respond(group: str) -> Callable[[LLMRequest], Turn]:
    """Fetch the logs, then ask for a group named after the user's email, then answer."""

    def respond(request: LLMRequest) -> Turn:
        results = request.tool_results
        if not results:
            return Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": group})])
        if len(results) == 1:
            email = _placeholder(request.last_user_text, "EMAIL")
            return Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": f"{group}-{email}"})])
        return Turn(text="The card of <EMAIL_2> was declined.")

    return respond


async def _ask(question: str) -> tuple[list[Event], Orchestrator]:
    orchestrator = Orchestrator(load_settings())
    events = [event async for event in orchestrator.ask(question)]
    return events, orchestrator


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("source", ["cloudwatch", "files"])
async def test_no_planted_secret_reaches_the_llm(
    protocol: str,
    source: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    setup = (
        request.getfixturevalue("cloudwatch_setup")
        if source == "cloudwatch"
        else _files(monkeypatch, tmp_path)
    )
    _use_llm(monkeypatch, fake_llm, protocol)
    fake_llm.respond_with(_respond(setup.group))

    events, orchestrator = await _ask(QUESTION)

    planted = {**ASKED, **LOGGED, **setup.secrets}
    for name, value in planted.items():
        assert not fake_llm.requests_containing(value), f"{name} reached the LLM"
    assert isinstance(events[-1], Done) and events[-1].ok, events
    fetched, missing = [e for e in events if isinstance(e, ToolCallFinished)]
    assert fetched.ok and fetched.events == 3
    # The placeholder the model used was restored before the source was asked, so the error
    # names the real address locally; the model only ever saw the placeholder.
    assert not missing.ok and ASKED["email"] in orchestrator.restore(missing.summary)
    last = fake_llm.parsed_requests()[-1]
    assert last.tool_results[-1].content.startswith("Error: ")
    assert "<EMAIL_" in last.tool_results[-1].content
    assert "payment declined for <EMAIL_" in last.tool_results[0].content
    system = last.system
    assert ("<PASSWORD_" in system) if source == "cloudwatch" else ("<EMAIL_" in system)
    assert not fake_llm.problems, fake_llm.problems


def _cut_mid_string(arguments: dict[str, str]) -> str:
    text = ToolCall("x", arguments).arguments_text
    assert text.endswith('"}')
    return text[: len(text) - 5]


@pytest.mark.parametrize("protocol", PROTOCOLS)
async def test_arguments_cut_mid_string_become_a_tool_error_and_the_turn_goes_on(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    setup = _files(monkeypatch, tmp_path)
    _use_llm(monkeypatch, fake_llm, protocol)
    cut = _cut_mid_string({"log_group": setup.group, "filter_pattern": "declined"})

    def respond(request: LLMRequest) -> Turn:
        results = request.tool_results
        if not results:
            return Turn(tool_calls=[ToolCall("fetch_logs", cut)], argument_pieces=4)
        if len(results) == 1:
            return Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": setup.group})])
        return Turn(text="Found the declined payment.")

    fake_llm.respond_with(respond)
    events, _ = await _ask("what was declined?")

    assert not [e for e in events if isinstance(e, Failed)], events
    assert isinstance(events[-1], Done) and events[-1].ok
    assert events[-1].text == "Found the declined payment."
    broken, fixed = [e for e in events if isinstance(e, ToolCallFinished)]
    assert not broken.ok and "not valid JSON" in broken.summary
    assert fixed.ok and fixed.events == 3
    follow_up = fake_llm.parsed_requests()[1]
    assert follow_up.malformations() == []
    (call,) = follow_up.tool_calls
    assert call.arguments in ({}, "{}")
    (error,) = follow_up.tool_results
    assert error.tool_call_id == call.id
    assert error.content.startswith("Error: The arguments for fetch_logs were not valid JSON")
    assert all(not request.malformations() for request in fake_llm.parsed_requests())
    assert len(fake_llm.chat_requests()) == 3


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_ask_sends_nothing_when_the_sanitizer_cannot_be_built(
    protocol: str,
    fake_llm: FakeLLMServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    _files(monkeypatch, tmp_path)
    _use_llm(monkeypatch, fake_llm, protocol)
    # A rule name no pack provides: the sanitizer refuses to be built (a typo must never
    # silently leave a rule on, or quietly send text with a protection missing).
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "no_such_rule")
    fake_llm.script("must never be asked")
    done = subprocess.run(
        [sys.executable, "-m", "logai", "ask", f"anything about {ASKED['email']}?"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Nothing was sent to the LLM" in done.stderr and "no_such_rule" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert fake_llm.chat_requests() == []
