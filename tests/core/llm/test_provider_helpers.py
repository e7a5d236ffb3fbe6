"""The pure parts of the LiteLLM provider: backoff, Retry-After, tool-call assembly, messages."""

from __future__ import annotations

import random
from email.utils import formatdate
from typing import Any

import pytest

from logai.llm._assembly import ToolCallAssembler
from logai.llm._errors import ErrorContext, Failure, provider_detail, scrub, to_llm_error
from logai.llm._retry import backoff_delay, parse_retry_after
from logai.llm.provider import ToolSpec

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (None, None),
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after": "-4"}, 0.0),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after": formatdate(NOW + 20, usegmt=True)}, 20.0),
        ({"retry-after": formatdate(NOW - 20, usegmt=True)}, 0.0),
        ({"retry-after": "soon"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str] | None, expected: float | None) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def test_backoff_honours_retry_after_up_to_the_cap() -> None:
    rng = random.Random(7)
    assert 2.0 <= backoff_delay(1, base=0.5, cap=60, retry_after=2.0, rng=rng) <= 2.05
    assert 60.0 <= backoff_delay(1, base=0.5, cap=60, retry_after=3600, rng=rng) <= 60.05


@pytest.mark.parametrize(
    ("attempt", "low", "high"), [(1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (9, 4.0, 8.0)]
)
def test_backoff_is_exponential_with_equal_jitter(attempt: int, low: float, high: float) -> None:
    rng = random.Random(attempt)
    delays = [backoff_delay(attempt, base=0.5, cap=8, retry_after=None, rng=rng) for _ in range(50)]
    assert all(low <= d <= high for d in delays)
    assert len(set(delays)) > 1


def delta(
    index: Any = None, id: str | None = None, name: str | None = None, args: str | None = None
) -> dict[str, Any]:
    return {"index": index, "id": id, "function": {"name": name, "arguments": args}}


@pytest.mark.parametrize(
    ("deltas", "expected"),
    [
        pytest.param(
            [delta(0, "a", "f", ""), delta(0, args='{"x"'), delta(0, args=": 1}"),
             delta(1, "b", "g"), delta(1, args="{}")],
            [("a", "f", '{"x": 1}'), ("b", "g", "{}")],
            id="openai-style",
        ),
        pytest.param(
            [delta(None, "a", "f", '{"x":'), delta(None, args=" 1}"), delta(None, "b", "g", "{}")],
            [("a", "f", '{"x": 1}'), ("b", "g", "{}")],
            id="no-index",
        ),
        pytest.param(
            [delta(0, "a", "f", "{}"), delta(0, "b", "g", '{"y": 2}')],
            [("a", "f", "{}"), ("b", "g", '{"y": 2}')],
            id="every-call-index-0",
        ),
        pytest.param([delta(0, "a", "f", None)], [("a", "f", "{}")], id="no-arguments"),
    ],
)  # fmt: skip
def test_tool_call_assembly(
    deltas: list[dict[str, Any]], expected: list[tuple[str, str, str]]
) -> None:
    assembler = ToolCallAssembler()
    for item in deltas:
        assembler.add(item)
    assert [(c.id, c.name, c.arguments) for c in assembler.calls()] == expected


def test_tool_call_without_id_gets_one() -> None:
    assembler = ToolCallAssembler()
    assembler.add(delta(0, None, "f", "{}"))
    assert assembler.calls()[0].id.startswith("call_0_")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            'litellm.RateLimitError: AnthropicException - b\'{"type": "error", "error": '
            '{"type": "rate_limit_error", "message": "Slow down"}}\'',
            "Slow down",
        ),
        (
            "litellm.InternalServerError: InternalServerError: OpenAIException - Connection error.",
            "Connection error",
        ),
        (
            "litellm.InternalServerError: AnthropicException - boom. "
            "Handle with `litellm.InternalServerError`.",
            "boom",
        ),
        ("x" * 500, "x" * 299 + "…"),
        (
            "litellm.BadRequestError: AnthropicException - messages: text content blocks must "
            "be non-empty\nReceived Messages=[{'role': 'user', 'content': 'why did it fail'}]",
            "messages: text content blocks must be non-empty",
        ),
    ],
)
def test_provider_detail_strips_litellm_wrapping(message: str, expected: str) -> None:
    assert provider_detail(Exception(message)) == expected


def test_scrub_replaces_every_secret() -> None:
    assert scrub("key sk-1234 and sk-1234 again", ("sk-1234", "")) == "key *** and *** again"


def test_error_for_unmanaged_provider_points_at_its_own_credentials() -> None:
    ctx = ErrorContext("bedrock/claude", "bedrock", None, None, timeout=30, max_retries=2)
    error = to_llm_error(Failure("auth", 403, "denied"), ctx, attempts=1)
    assert "The LLM provider (bedrock) rejected the credentials (403 Forbidden)" in str(error)
    assert "credentials LiteLLM uses for 'bedrock'" in str(error)


def test_tool_spec_to_openai() -> None:
    spec = ToolSpec("f", "does f", {"type": "object", "properties": {}})
    assert spec.to_openai() == {
        "type": "function",
        "function": {"name": "f", "description": "does f", "parameters": spec.parameters},
    }
