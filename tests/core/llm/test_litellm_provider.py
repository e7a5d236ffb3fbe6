"""LiteLLMProvider against the fake LLM server, for the OpenAI and the Anthropic protocol.

Each test reads as one promise the provider makes to the orchestrator: typed events, tool calls
reassembled, retries only where safe and visible in the request count, clear errors that never
contain the API key.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from logai.config import LogAISettings
from logai.llm import (
    Completed,
    LLMAuthError,
    LLMBadRequest,
    LLMError,
    LLMProvider,
    LLMRateLimited,
    LLMTimeout,
    LLMUnavailable,
    StreamEvent,
    TextDelta,
    ToolCallsReady,
    ToolSpec,
)
from logai.llm.litellm_provider import LiteLLMProvider
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn

pytestmark = [
    pytest.mark.network_loopback,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*"),
]

API_KEY = "sk-test-SECRET-6f1d2c9a"


@dataclass(frozen=True)
class Protocol:
    name: str
    key_variable: str

    def api_base(self, server: FakeLLMServer) -> str:
        return server.openai_base if self.name == "openai" else server.anthropic_base


OPENAI = Protocol("openai", "LOGAI_OPENAI_API_KEY")
ANTHROPIC = Protocol("anthropic", "LOGAI_ANTHROPIC_API_KEY")
BOTH = pytest.mark.parametrize("proto", [OPENAI, ANTHROPIC], ids=["openai", "anthropic"])

FETCH_LOGS = ToolSpec(
    name="fetch_logs",
    description="Fetch log events from one log group.",
    parameters={
        "type": "object",
        "properties": {"log_group": {"type": "string"}, "filter_pattern": {"type": "string"}},
        "required": ["log_group"],
    },
)
LIST_GROUPS = ToolSpec("list_log_groups", "List log groups.", {"type": "object", "properties": {}})
QUESTION = [{"role": "user", "content": "What broke?"}]


def make_settings(proto: Protocol, server: FakeLLMServer | None, **overrides: Any) -> LogAISettings:
    values: dict[str, Any] = {
        "llm_provider": proto.name,
        "llm_model": "fake-model",
        f"{proto.name}_api_key": API_KEY,
        "llm_api_base": proto.api_base(server) if server is not None else None,
        "llm_timeout": 5.0,
        "llm_max_retries": 2,
    }
    values.update(overrides)
    return LogAISettings(_env_file=None, **values)  # type: ignore[call-arg]


def make_provider(
    proto: Protocol, server: FakeLLMServer | None, **overrides: Any
) -> LiteLLMProvider:
    """A provider with fast backoff, so retry tests take milliseconds unless Retry-After says."""
    return LiteLLMProvider(make_settings(proto, server, **overrides), backoff_base=0.01)


async def run(
    provider: LLMProvider, tools: list[ToolSpec] | None = None, messages: list[Any] | None = None
) -> list[StreamEvent]:
    return [event async for event in provider.stream(messages or QUESTION, tools or [])]


async def failure(provider: LLMProvider, events: list[StreamEvent] | None = None) -> LLMError:
    """Run a turn that must fail; collect what was yielded before it did."""
    with pytest.raises(LLMError) as caught:
        async for event in provider.stream(QUESTION, [FETCH_LOGS]):
            if events is not None:
                events.append(event)
    return caught.value


def text_of(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def gap(server: FakeLLMServer, first: int, second: int) -> float:
    requests = server.requests
    return requests[second].received_at - requests[first].received_at


# -- streaming ---------------------------------------------------------------------------------


@BOTH
async def test_stream_yields_text_deltas_then_completed(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(
        Turn(text="Three Lambda timeouts since 09:00.", input_tokens=40, output_tokens=9)
    )
    events = await run(make_provider(proto, fake_llm))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 3
    assert text_of(events) == "Three Lambda timeouts since 09:00."
    assert events[-1] == Completed(
        "stop", {"prompt_tokens": 40, "completion_tokens": 9, "total_tokens": 49}
    )
    assert len(fake_llm.requests) == 1


@BOTH
async def test_stream_reassembles_several_tool_calls_with_split_arguments(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(
        Turn(
            text="Checking both.",
            tool_calls=[
                ToolCall("list_log_groups", {}),
                ToolCall("fetch_logs", {"log_group": "/aws/lambda/a", "filter_pattern": "ERROR"}),
                ToolCall("fetch_logs", {"log_group": "/aws/lambda/b"}, id="call_fixed"),
            ],
            argument_pieces=5,
        )
    )
    events = await run(make_provider(proto, fake_llm), [FETCH_LOGS, LIST_GROUPS])
    assert text_of(events) == "Checking both."
    ready = [e for e in events if isinstance(e, ToolCallsReady)]
    assert len(ready) == 1 and events[-2] is ready[0]
    calls = ready[0].calls
    assert [c.name for c in calls] == ["list_log_groups", "fetch_logs", "fetch_logs"]
    assert [json.loads(c.arguments) for c in calls] == [
        {},
        {"log_group": "/aws/lambda/a", "filter_pattern": "ERROR"},
        {"log_group": "/aws/lambda/b"},
    ]
    assert calls[2].id == "call_fixed"
    assert len({c.id for c in calls}) == 3
    assert isinstance(events[-1], Completed) and events[-1].finish_reason == "tool_calls"
    assert fake_llm.parsed_requests()[0].tool_names == ["fetch_logs", "list_log_groups"]


@BOTH
async def test_malformed_tool_arguments_arrive_raw(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(tool_calls=[ToolCall("fetch_logs", '{"log_group": "/x", "limit": ')]))
    events = await run(make_provider(proto, fake_llm), [FETCH_LOGS])
    (ready,) = [e for e in events if isinstance(e, ToolCallsReady)]
    assert ready.calls[0].arguments == '{"log_group": "/x", "limit": '


@BOTH
async def test_openai_format_history_with_tool_results_is_translated(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    """The orchestrator speaks OpenAI format; LiteLLM must carry tool results to either API."""

    def responder(request: LLMRequest) -> Turn:
        return Turn(text=f"Quoting: {request.tool_results[-1].content}")

    fake_llm.respond_with(responder)
    history = [
        {"role": "system", "content": "You are LogAI."},
        {"role": "user", "content": "What broke?"},
        {
            "role": "assistant",
            "content": "Looking.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "fetch_logs", "arguments": '{"log_group": "/x"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "disk full on host-[IP_1]"},
    ]
    events = await run(make_provider(proto, fake_llm), [FETCH_LOGS], history)
    assert text_of(events) == "Quoting: disk full on host-[IP_1]"
    request = fake_llm.parsed_requests()[0]
    assert request.system == "You are LogAI."
    assert request.tool_results[0].tool_call_id == "call_1"


async def test_no_tools_means_no_tools_field(fake_llm: FakeLLMServer) -> None:
    fake_llm.script("hi")
    await run(make_provider(OPENAI, fake_llm))
    assert "tools" not in fake_llm.requests[0].json


# -- retries -----------------------------------------------------------------------------------


@BOTH
async def test_429_waits_for_retry_after_then_succeeds(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.rate_limit(retry_after=0.3).script("after the wait")
    events = await run(make_provider(proto, fake_llm))
    assert text_of(events) == "after the wait"
    assert len(fake_llm.requests) == 2
    assert gap(fake_llm, 0, 1) >= 0.3


@BOTH
async def test_429_until_retries_run_out_is_a_clear_error(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.rate_limit(times=10, retry_after=0)
    error = await failure(make_provider(proto, fake_llm, llm_max_retries=3))
    assert isinstance(error, LLMRateLimited)
    assert "kept answering 429 Too Many Requests after 4 attempts" in str(error)
    assert "LOGAI_LLM_MAX_RETRIES" in str(error)
    assert error.attempts == 4
    assert len(fake_llm.requests) == 4


@BOTH
async def test_500s_until_retries_run_out_is_a_clear_error(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.fail(500, times=10)
    error = await failure(make_provider(proto, fake_llm, llm_max_retries=2))
    assert isinstance(error, LLMUnavailable)
    assert "failed with 500 Internal Server Error after 3 attempts" in str(error)
    assert len(fake_llm.requests) == 3


@BOTH
async def test_overloaded_and_dropped_connections_are_retried(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.overloaded().disconnect().fail(503).script("third time lucky")
    events = await run(make_provider(proto, fake_llm, llm_max_retries=3))
    assert text_of(events) == "third time lucky"
    assert len(fake_llm.requests) == 4


@BOTH
async def test_retry_after_beyond_the_cap_fails_at_once(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.rate_limit(retry_after=3600).script("unused")
    provider = LiteLLMProvider(make_settings(proto, fake_llm), max_retry_wait=30)
    started = time.monotonic()
    error = await failure(provider)
    assert time.monotonic() - started < 2
    assert isinstance(error, LLMRateLimited)
    assert "asked to wait 3600 s, longer than LogAI waits (30 s)" in str(error)
    assert len(fake_llm.requests) == 1


async def test_backoff_grows_without_retry_after(fake_llm: FakeLLMServer) -> None:
    fake_llm.fail(500, times=2).script("ok")
    provider = LiteLLMProvider(make_settings(OPENAI, fake_llm), backoff_base=0.1)
    await run(provider)
    # Equal jitter: attempt n waits between base*2**(n-1)/2 and base*2**(n-1).
    assert gap(fake_llm, 0, 1) >= 0.05
    assert gap(fake_llm, 1, 2) >= 0.1


@BOTH
async def test_zero_max_retries_means_one_attempt(fake_llm: FakeLLMServer, proto: Protocol) -> None:
    fake_llm.rate_limit(retry_after=0).script("unused")
    error = await failure(make_provider(proto, fake_llm, llm_max_retries=0))
    assert isinstance(error, LLMRateLimited)
    assert "retries are off (LOGAI_LLM_MAX_RETRIES=0)" in str(error)
    assert len(fake_llm.requests) == 1


@BOTH
@pytest.mark.parametrize("status", [400, 422])
async def test_client_errors_are_not_retried(
    fake_llm: FakeLLMServer, proto: Protocol, status: int
) -> None:
    fake_llm.fail(status, message="messages: tool_use ids must be unique")
    error = await failure(make_provider(proto, fake_llm))
    assert isinstance(error, LLMBadRequest)
    assert "tool_use ids must be unique" in str(error)
    assert len(fake_llm.requests) == 1


@BOTH
async def test_unknown_model_names_the_setting(fake_llm: FakeLLMServer, proto: Protocol) -> None:
    fake_llm.fail(404, message="model: fake-model not found")
    error = await failure(make_provider(proto, fake_llm))
    assert isinstance(error, LLMBadRequest)
    assert f"'{proto.name}/fake-model'" in str(error)
    assert "LOGAI_LLM_MODEL" in str(error)
    assert len(fake_llm.requests) == 1


# -- timeouts and broken streams ---------------------------------------------------------------


@BOTH
async def test_hanging_server_times_out_within_the_timeout(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.hang().script("never reached")
    provider = make_provider(proto, fake_llm, llm_timeout=0.5)
    started = time.monotonic()
    error = await failure(provider)
    elapsed = time.monotonic() - started
    assert isinstance(error, LLMTimeout)
    assert 0.45 <= elapsed < 1.5
    assert "sent nothing for 0.5 s" in str(error) and "LOGAI_LLM_TIMEOUT" in str(error)
    assert len(fake_llm.requests) == 1  # a timeout is not retried: it would multiply the wait


@BOTH
async def test_stall_after_first_text_times_out_without_replaying(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(text="The first part, then", chunk_size=4, interrupt_after=2), "unused")
    events: list[StreamEvent] = []
    error = await failure(make_provider(proto, fake_llm, llm_timeout=0.5), events)
    assert isinstance(error, LLMTimeout)
    assert "in the middle of the answer" in str(error)
    assert text_of(events) == "The firs"
    assert len(fake_llm.requests) == 1


@BOTH
async def test_disconnect_after_text_is_not_retried(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(text="Partial answer here", interrupt_after=1, interrupt="disconnect"))
    fake_llm.script("a replay would show this")
    events: list[StreamEvent] = []
    error = await failure(make_provider(proto, fake_llm), events)
    assert isinstance(error, LLMUnavailable)
    assert "cut off" in str(error)
    assert text_of(events) == "Part"
    assert len(fake_llm.requests) == 1


@BOTH
async def test_broken_stream_before_any_event_is_retried(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    """A stream that dies before yielding anything is safe to replay: nothing was shown."""
    call = ToolCall("fetch_logs", {"log_group": "/x"})
    fake_llm.script(Turn(tool_calls=[call], interrupt_after=1, interrupt="disconnect"))
    fake_llm.script("second try")
    events = await run(make_provider(proto, fake_llm), [FETCH_LOGS])
    assert text_of(events) == "second try"
    assert not any(isinstance(e, ToolCallsReady) for e in events)
    assert len(fake_llm.requests) == 2


async def test_connection_refused_is_retried_then_explained() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/v1"
    provider = make_provider(OPENAI, None, llm_api_base=base, llm_max_retries=1)
    error = await failure(provider)
    assert isinstance(error, LLMUnavailable)
    assert f"Could not talk to {base} after 2 attempts" in str(error)
    assert "LOGAI_LLM_API_BASE" in str(error)


async def test_unusable_api_base_is_explained_without_retrying() -> None:
    provider = make_provider(OPENAI, None, llm_api_base="localhost-without-scheme")
    error = await failure(provider)
    assert isinstance(error, LLMBadRequest)
    assert "LOGAI_LLM_API_BASE (localhost-without-scheme) is not a usable URL" in str(error)
    assert error.attempts == 1


async def test_unexpected_litellm_failure_is_an_llm_error(
    fake_llm: FakeLLMServer, litellm: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(**_: Any) -> Any:
        raise KeyError("choices")

    monkeypatch.setattr(litellm, "acompletion", broken)
    error = await failure(make_provider(OPENAI, fake_llm))
    assert type(error) is LLMError
    assert "LiteLLM failed unexpectedly while calling 'openai/fake-model' (KeyError" in str(error)
    assert error.attempts == 1


# -- credentials -------------------------------------------------------------------------------


@BOTH
@pytest.mark.parametrize("status", [401, 403])
async def test_rejected_key_names_the_variable_to_set(proto: Protocol, status: int) -> None:
    with FakeLLMServer() as server:
        server.fail(status, message="invalid x-api-key")
        error = await failure(make_provider(proto, server))
    assert isinstance(error, LLMAuthError)
    assert f"Set {proto.key_variable} to a valid" in str(error)
    assert str(status) in str(error)
    assert len(server.requests) == 1


@BOTH
async def test_missing_key_fails_before_any_request(proto: Protocol) -> None:
    settings = make_settings(proto, None, **{f"{proto.name}_api_key": None})
    error = await failure(LiteLLMProvider(settings))
    assert isinstance(error, LLMAuthError)
    assert f"set {proto.key_variable}" in str(error)


@BOTH
async def test_custom_api_base_without_key_gets_a_placeholder(
    fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    """Local servers (vLLM, Ollama) need no key, but the openai SDK refuses to send none."""
    fake_llm.script("local model says hi")
    provider = make_provider(proto, fake_llm, **{f"{proto.name}_api_key": None})
    assert text_of(await run(provider)) == "local model says hi"


@BOTH
async def test_key_is_sent_as_header_only(fake_llm: FakeLLMServer, proto: Protocol) -> None:
    fake_llm.script("ok")
    await run(make_provider(proto, fake_llm))
    (request,) = fake_llm.requests
    header = "authorization" if proto is OPENAI else "x-api-key"
    assert API_KEY in request.headers[header]
    assert not fake_llm.requests_containing(API_KEY)  # bodies only


@BOTH
@pytest.mark.parametrize(
    "fault",
    ["401", "403", "429", "500", "529", "400-echo", "404", "hang", "disconnect"],
)
async def test_api_key_never_appears_in_error_text(
    fake_llm: FakeLLMServer, proto: Protocol, fault: str
) -> None:
    if fault == "hang":
        fake_llm.hang()
    elif fault == "disconnect":
        fake_llm.disconnect(times=5)
    elif fault == "400-echo":
        fake_llm.fail(400, message=f"malformed request from key {API_KEY}")
    else:
        fake_llm.fail(int(fault), times=5, retry_after=0 if fault == "429" else None)
    error = await failure(make_provider(proto, fake_llm, llm_timeout=0.4, llm_max_retries=1))
    for text in (str(error), repr(error), *map(str, error.args)):
        assert API_KEY not in text
    if fault == "400-echo":
        # LiteLLM masks it as REDACTED on the Anthropic path; LogAI scrubs it to *** on both.
        assert re.search(r"malformed request from key (\*\*\*|REDACTED)", str(error))
    # LiteLLM's exception (and its debug info) is not shown in tracebacks.
    assert error.__cause__ is None and error.__suppress_context__


# -- construction, warm-up, plugin -------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "model", "override", "expected"),
    [
        ("anthropic", None, None, "anthropic/claude-sonnet-4-5"),
        ("anthropic", "claude-haiku-4-5", None, "anthropic/claude-haiku-4-5"),
        ("openai", "gpt-4.1-mini", None, "openai/gpt-4.1-mini"),
        ("ollama", "ollama_chat/llama3.1", None, "ollama_chat/llama3.1"),
        ("openai", "gpt-4.1", "gpt-4.1-mini", "openai/gpt-4.1-mini"),
        ("openai", "gpt-4.1", "anthropic/claude-x", "anthropic/claude-x"),
    ],
)
def test_model_string_gets_the_provider_prefix(
    provider: str, model: str | None, override: str | None, expected: str
) -> None:
    settings = LogAISettings(_env_file=None, llm_provider=provider, llm_model=model)  # type: ignore[call-arg]
    assert LiteLLMProvider(settings, model=override).model == expected


async def test_anthropic_base_with_v1_suffix_is_normalised(fake_llm: FakeLLMServer) -> None:
    fake_llm.script("ok")
    provider = make_provider(ANTHROPIC, fake_llm, llm_api_base=fake_llm.base_url + "/v1/")
    await run(provider)
    assert fake_llm.requests[0].path == "/v1/messages"


def test_repr_does_not_show_the_key() -> None:
    provider = make_provider(ANTHROPIC, None)
    assert API_KEY not in repr(provider) and API_KEY not in repr(vars(provider))


async def test_provider_satisfies_the_protocol_and_warms_up() -> None:
    from logai.llm import _litellm

    provider = make_provider(ANTHROPIC, None)
    assert isinstance(provider, LLMProvider)
    await provider.warm_up()
    assert _litellm.is_loaded()


def test_builtin_plugin_registers_litellm() -> None:
    from logai.plugins import PluginHost
    from logai.registries import llm_providers

    host = PluginHost(
        builtins=[("litellm-provider", "logai.builtins.litellm_provider")],
        load_entry_points=False,
    )
    registered = llm_providers(host)["litellm"]
    assert registered.plugin == "litellm-provider"
    provider = registered.factory(make_settings(OPENAI, None))
    assert isinstance(provider, LiteLLMProvider) and provider.model == "openai/fake-model"


def test_plugin_and_provider_modules_do_not_import_litellm() -> None:
    code = (
        "import sys, logai.builtins.litellm_provider, logai.llm, logai.llm.litellm_provider; "
        "print('litellm' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"
