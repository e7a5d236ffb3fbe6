"""A model's window, reply room and price: LiteLLM's local map or the settings, never a guess."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logai.config import load_settings
from logai.llm.context import (
    DEFAULT_CONTEXT_TOKENS,
    TOKENIZER_MARGIN,
    TokenCounter,
    call_cost,
    model_facts,
)


@pytest.mark.parametrize(
    ("model", "settings", "window", "source", "reply"),
    [
        # LiteLLM's map: gpt-4o-mini reads 128,000 and writes up to 16,384.
        ("openai/gpt-4o-mini", {}, 128_000, "litellm", 16_384),
        # The model's own output limit when it is below the default.
        ("ollama/llama3", {}, 8192, "litellm", 2048),
        # Not in the map: the default window, a quarter of it for the reply.
        ("openai/fake-model", {}, DEFAULT_CONTEXT_TOKENS, "default", DEFAULT_CONTEXT_TOKENS // 4),
        # The setting wins over the map, and the reply room follows the smaller window.
        ("openai/gpt-4o-mini", {"llm_context_tokens": 6000}, 6000, "setting", 1500),
        # An explicit reply size is honoured up to half the window.
        ("openai/gpt-4o-mini", {"llm_max_output_tokens": 4000}, 128_000, "litellm", 4000),
        ("openai/fake-model", {"llm_context_tokens": 4000, "llm_max_output_tokens": 3000},
         4000, "setting", 2000),
    ],
)  # fmt: skip
def test_model_facts(
    litellm: ModuleType,
    model: str,
    settings: dict[str, Any],
    window: int,
    source: str,
    reply: int,
) -> None:
    facts = model_facts(model, load_settings(**settings))
    assert (facts.context_tokens, facts.window_source, facts.reply_tokens) == (
        window,
        source,
        reply,
    )
    assert facts.input_limit == int((window - reply) * (1 - TOKENIZER_MARGIN))


def test_prices_come_from_litellms_map_and_unknown_models_have_none(litellm: ModuleType) -> None:
    known = model_facts("openai/gpt-4o-mini", load_settings())
    info = litellm.get_model_info("openai/gpt-4o-mini")
    assert known.priced and known.input_cost_per_token == info["input_cost_per_token"]
    assert known.prompt_cost(1000) == pytest.approx(1000 * info["input_cost_per_token"])
    unknown = model_facts("anthropic/fake-model", load_settings())
    assert not unknown.priced and unknown.prompt_cost(1000) is None
    assert call_cost("anthropic/fake-model", 1000, 10) is None
    prompt, completion = litellm.cost_per_token(
        model="anthropic/claude-sonnet-4-5", prompt_tokens=1000, completion_tokens=10
    )
    assert call_cost("anthropic/claude-sonnet-4-5", 1000, 10) == prompt + completion
    # A model the map lists as free is priced at zero, not unknown.
    assert call_cost("ollama/llama3", 1000, 10) == 0.0


def test_token_counter_matches_litellm_and_remembers(litellm: ModuleType) -> None:
    counter = TokenCounter("openai/gpt-4o-mini")
    message = {"role": "tool", "tool_call_id": "c1", "content": "ERROR timeout " * 200}
    expected = litellm.token_counter(model="openai/gpt-4o-mini", messages=[message])
    assert counter.message(message) == expected
    assert counter.message(dict(message)) == expected  # an equal message: one count
    assert counter.messages([message, message]) == 2 * expected


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=400)


@settings(max_examples=60, deadline=None)
@given(
    role=st.sampled_from(["system", "user", "assistant", "tool"]),
    content=_TEXT,
    model=st.sampled_from(["openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5", "ollama/llama3"]),
)
def test_the_tokenizer_free_bound_is_never_below_the_count(
    litellm: ModuleType, role: str, content: str, model: str
) -> None:
    message: dict[str, Any] = {"role": role, "content": content}
    if role == "tool":
        message["tool_call_id"] = "call_1"
    assert TokenCounter.bound(message) >= TokenCounter(model).message(message)


def test_the_bound_covers_tool_calls(litellm: ModuleType) -> None:
    message: dict[str, Any] = {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "type": "function", "function": {
            "name": "fetch_logs", "arguments": '{"log_group": "/aws/lambda/checkout"}'}}],
    }  # fmt: skip
    assert TokenCounter.bound(message) >= TokenCounter("openai/gpt-4o-mini").message(message)
