"""The fake LLM server, driven through the real LiteLLM client for both protocols.

These tests pin down that the fake speaks OpenAI chat completions and Anthropic messages well
enough for LiteLLM to parse every answer, so tests built on it test LogAI, not the fake.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import openai
import pytest

from tests.fakes.fake_llm import FakeLLMServer, Fault, LLMRequest, ToolCall, Turn

pytestmark = [
    pytest.mark.network_loopback,
    # litellm 1.110 reads pydantic attributes pydantic 2.11+ deprecates; not ours to fix.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*"),
]


@dataclass(frozen=True)
class Protocol:
    name: str
    model: str

    def api_base(self, server: FakeLLMServer) -> str:
        return server.openai_base if self.name == "openai" else server.anthropic_base


OPENAI = Protocol("openai", "openai/gpt-fake")
ANTHROPIC = Protocol("anthropic", "anthropic/claude-fake")
BOTH = pytest.mark.parametrize("proto", [OPENAI, ANTHROPIC], ids=["openai", "anthropic"])

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "fetch_logs",
            "description": "Fetch log events from one log group.",
            "parameters": {
                "type": "object",
                "properties": {"log_group": {"type": "string"}, "limit": {"type": "integer"}},
                "required": ["log_group"],
            },
        },
    }
]


async def call(
    litellm: ModuleType,
    server: FakeLLMServer,
    proto: Protocol,
    *,
    stream: bool,
    messages: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> Any:
    """One ``litellm.acompletion`` with LiteLLM's own retries off, as LogAI calls it."""
    return await litellm.acompletion(
        model=proto.model,
        api_base=proto.api_base(server),
        api_key="test",
        messages=messages or [{"role": "user", "content": "hello"}],
        stream=stream,
        num_retries=0,
        max_retries=0,
        timeout=extra.pop("timeout", 5.0),
        **extra,
    )


async def collect(response: Any) -> tuple[list[str], dict[int, dict[str, Any]], str | None]:
    """Text pieces, tool calls by index (argument fragments kept) and the finish reason."""
    texts: list[str] = []
    calls: dict[int, dict[str, Any]] = {}
    finish = None
    async for chunk in response:
        for choice in chunk.choices:
            if choice.delta.content:
                texts.append(choice.delta.content)
            for delta in choice.delta.tool_calls or []:
                entry = calls.setdefault(delta.index, {"id": None, "name": None, "fragments": []})
                entry["id"] = entry["id"] or delta.id
                entry["name"] = entry["name"] or delta.function.name
                if delta.function.arguments:
                    entry["fragments"].append(delta.function.arguments)
            finish = choice.finish_reason or finish
    return texts, calls, finish


@BOTH
async def test_text_streams_in_several_chunks(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(text="The errors started at 09:14 UTC.", chunk_size=5))
    texts, calls, finish = await collect(await call(litellm, fake_llm, proto, stream=True))
    assert "".join(texts) == "The errors started at 09:14 UTC."
    assert len(texts) >= 6
    assert calls == {}
    assert finish == "stop"
    assert (
        fake_llm.requests[0].path == f"/v1/{'chat/completions' if proto is OPENAI else 'messages'}"
    )


@BOTH
async def test_text_without_streaming(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(text="Plain answer.", input_tokens=21, output_tokens=3))
    response = await call(litellm, fake_llm, proto, stream=False)
    assert response.choices[0].message.content == "Plain answer."
    assert response.choices[0].finish_reason == "stop"
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (21, 3)


@BOTH
async def test_streamed_usage_arrives_when_asked_for(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(text="ok", input_tokens=30, output_tokens=2))
    response = await call(
        litellm, fake_llm, proto, stream=True, stream_options={"include_usage": True}
    )
    usages = [chunk.usage async for chunk in response if getattr(chunk, "usage", None)]
    assert (usages[-1].prompt_tokens, usages[-1].completion_tokens) == (30, 2)


@BOTH
async def test_streamed_tool_call_arguments_are_split_and_reassemble(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(
        Turn(
            text="Let me look.",
            tool_calls=[
                ToolCall("fetch_logs", {"log_group": "/aws/lambda/a", "limit": 50}),
                ToolCall("fetch_logs", {"log_group": "/aws/lambda/b"}, id="call_b"),
            ],
            argument_pieces=4,
        )
    )
    texts, calls, finish = await collect(
        await call(litellm, fake_llm, proto, stream=True, tools=TOOLS)
    )
    assert "".join(texts) == "Let me look."
    assert finish == "tool_calls"
    assert [calls[i]["name"] for i in sorted(calls)] == ["fetch_logs", "fetch_logs"]
    assert calls[1]["id"] == "call_b"
    assert all(len(calls[i]["fragments"]) >= 3 for i in calls)
    arguments = [json.loads("".join(calls[i]["fragments"])) for i in sorted(calls)]
    assert arguments == [
        {"log_group": "/aws/lambda/a", "limit": 50},
        {"log_group": "/aws/lambda/b"},
    ]
    assert fake_llm.parsed_requests()[0].tool_names == ["fetch_logs"]


@BOTH
async def test_tool_calls_without_streaming(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "/x"})]))
    response = await call(litellm, fake_llm, proto, stream=False, tools=TOOLS)
    (tool_call,) = response.choices[0].message.tool_calls
    assert tool_call.function.name == "fetch_logs"
    assert json.loads(tool_call.function.arguments) == {"log_group": "/x"}
    assert response.choices[0].finish_reason == "tool_calls"


@BOTH
async def test_raw_string_arguments_stream_verbatim_even_when_malformed(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(tool_calls=[ToolCall("fetch_logs", '{"log_group": "/x", "limit": ')]))
    _, calls, _ = await collect(await call(litellm, fake_llm, proto, stream=True, tools=TOOLS))
    assert "".join(calls[0]["fragments"]) == '{"log_group": "/x", "limit": '


@BOTH
async def test_responder_routes_on_the_tool_result(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    """A callable responder sees tool results in either protocol and can quote them."""

    def responder(request: LLMRequest) -> Turn:
        if request.tool_results:
            return Turn(text=f"The tool said: {request.tool_results[-1].content}")
        return Turn(tool_calls=[ToolCall("fetch_logs", {"log_group": "/x"}, id="call_1")])

    fake_llm.respond_with(responder)
    first = await call(litellm, fake_llm, proto, stream=False, tools=TOOLS)
    assert first.choices[0].message.tool_calls[0].id == "call_1"
    history: list[dict[str, Any]] = [
        {"role": "user", "content": "What broke?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "fetch_logs", "arguments": '{"log_group": "/x"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "3 events: disk full"},
    ]
    texts, _, _ = await collect(
        await call(litellm, fake_llm, proto, stream=True, tools=TOOLS, messages=history)
    )
    assert "".join(texts) == "The tool said: 3 events: disk full"
    second = fake_llm.parsed_requests()[1]
    assert second.protocol == proto.name
    assert second.tool_results[0].tool_call_id == "call_1"
    assert second.last_user_text == "What broke?"


@BOTH
async def test_429_with_retry_after_then_success(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.rate_limit(retry_after=0.1).script("recovered")
    with pytest.raises(litellm.RateLimitError) as caught:
        await call(litellm, fake_llm, proto, stream=True)
    # LiteLLM keeps the response headers here on both paths (``response`` is a stub on one).
    assert caught.value.litellm_response_headers["retry-after"] == "0.1"
    texts, _, _ = await collect(await call(litellm, fake_llm, proto, stream=True))
    assert "".join(texts) == "recovered"
    assert len(fake_llm.requests) == 2


@BOTH
@pytest.mark.parametrize("status", [500, 529])
async def test_server_errors_reach_the_client(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol, status: int
) -> None:
    fake_llm.fail(status)
    with pytest.raises(openai.APIError) as caught:
        await call(litellm, fake_llm, proto, stream=True)
    # LiteLLM reports Anthropic's 529 as a 500 whose body names overloaded_error.
    assert getattr(caught.value, "status_code", None) in {status, 500}
    assert len(fake_llm.requests) == 1


async def test_faults_can_be_scripted_in_sequence_or_returned_by_a_responder(
    litellm: ModuleType, fake_llm: FakeLLMServer
) -> None:
    fake_llm.script("first", Fault("error", status=503), "third")
    assert (await call(litellm, fake_llm, OPENAI, stream=False)).choices[0].message.content
    with pytest.raises(openai.APIError):
        await call(litellm, fake_llm, OPENAI, stream=False)
    third = await call(litellm, fake_llm, OPENAI, stream=False)
    assert third.choices[0].message.content == "third"

    fake_llm.respond_with(lambda request: Fault("error", status=429, retry_after=2))
    with pytest.raises(litellm.RateLimitError):
        await call(litellm, fake_llm, ANTHROPIC, stream=True)
    assert fake_llm.requests[-1].protocol == "anthropic"


@BOTH
async def test_hang_makes_the_client_time_out(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.hang()
    started = time.monotonic()
    with pytest.raises(litellm.Timeout):
        await call(litellm, fake_llm, proto, stream=True, timeout=0.3)
    assert time.monotonic() - started < 3


@BOTH
async def test_delay_slows_the_next_answer(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.delay(0.2).script("late")
    started = time.monotonic()
    response = await call(litellm, fake_llm, proto, stream=False)
    assert response.choices[0].message.content == "late"
    assert time.monotonic() - started >= 0.2


@BOTH
async def test_disconnect_mid_stream_breaks_the_stream(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    fake_llm.script(Turn(text="abcdefghijkl", interrupt_after=2, interrupt="disconnect"))
    texts: list[str] = []
    with pytest.raises(openai.APIError):
        async for chunk in await call(litellm, fake_llm, proto, stream=True):
            texts.extend(c.delta.content for c in chunk.choices if c.delta.content)
    assert "".join(texts) == "abcdefgh"


@BOTH
async def test_api_key_is_enforced_when_configured(litellm: ModuleType, proto: Protocol) -> None:
    with FakeLLMServer(api_key="right-key") as server:
        with pytest.raises(litellm.AuthenticationError):
            await call(litellm, server, proto, stream=True)
        header = "authorization" if proto is OPENAI else "x-api-key"
        assert server.requests[0].headers[header].endswith("test")


@BOTH
async def test_running_out_of_script_is_a_clear_400(
    litellm: ModuleType, fake_llm: FakeLLMServer, proto: Protocol
) -> None:
    with pytest.raises(litellm.BadRequestError, match="no scripted turn left"):
        await call(litellm, fake_llm, proto, stream=False)
    assert "no scripted turn left" in fake_llm.problems[0]


async def test_every_request_is_recorded_and_searchable(
    litellm: ModuleType, fake_llm: FakeLLMServer
) -> None:
    fake_llm.script("one", "two")
    secret = "user-ß-4111 1111 1111 1111"
    await call(
        litellm, fake_llm, OPENAI, stream=False, messages=[{"role": "user", "content": secret}]
    )
    await call(litellm, fake_llm, ANTHROPIC, stream=False)
    first, second = fake_llm.requests
    assert (first.method, first.protocol, second.protocol) == ("POST", "openai", "anthropic")
    assert first.json["messages"][0]["content"] == secret
    assert first.body and first.headers["content-type"] == "application/json"
    # Found even though JSON escaping hides the non-ASCII character in the raw bytes.
    assert fake_llm.requests_containing(secret) == [first]
    assert fake_llm.requests_containing("test", include_headers=True) == [first, second]
    assert fake_llm.pending_turns == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/chat/completions"),
        ("GET", "/"),
        ("POST", "/v1/embeddings"),
        ("PUT", "/v1/messages"),
    ],
)
def test_other_routes_answer_404(fake_llm: FakeLLMServer, method: str, path: str) -> None:
    request = urllib.request.Request(
        fake_llm.base_url + path, method=method, data=b"{}" if method != "GET" else None
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    caught.value.close()
    assert caught.value.code == 404
    assert fake_llm.requests[0].path == path


def test_server_starts_and_stops_quickly() -> None:
    started = time.monotonic()
    with FakeLLMServer() as server:
        assert server.openai_base.endswith("/v1")
        assert server.anthropic_base == server.base_url
    assert time.monotonic() - started < 1


def _request(protocol: str, messages: list[dict[str, Any]]) -> LLMRequest:
    body = {"model": "m", "messages": messages}
    return LLMRequest(protocol, "m", messages, [], False, body)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("protocol", "call", "result"),
    [
        (
            "openai",
            {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "ARGS"}},
            {"role": "tool", "tool_call_id": "c1", "content": "ok"},
        ),
        (
            "anthropic",
            {"type": "tool_use", "id": "c1", "name": "f", "input": "ARGS"},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "c1"}]},
        ),
    ],
)
def test_malformations_spot_what_a_strict_server_would_refuse(
    protocol: str, call: dict[str, Any], result: dict[str, Any]
) -> None:
    def history(arguments: Any, answered: bool = True) -> LLMRequest:
        made = json.loads(json.dumps(call).replace('"ARGS"', json.dumps(arguments)))
        if protocol == "openai":
            assistant = {"role": "assistant", "content": None, "tool_calls": [made]}
        else:
            assistant = {"role": "assistant", "content": [made]}
        return _request(protocol, [assistant, *([result] if answered else [])])

    good = "{}" if protocol == "openai" else {}
    assert history(good).malformations() == []
    assert [c.id for c in history(good).tool_calls] == ["c1"]
    assert history('{"log_group": "/aws/lam').malformations()  # cut mid-string
    assert history(good, answered=False).malformations()
