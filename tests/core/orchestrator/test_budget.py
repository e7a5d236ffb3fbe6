"""The orchestrator's budget: fitting notices, a question too big to send, cut replies, usage.

The LLM is the scripted provider (it reports what ``Reply.usage`` says); the conversation,
tools, sanitizer and LiteLLM's local model map are real. The same behaviour over HTTP, for both
wire protocols, is in tests/integration/test_budget_e2e.py.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from logai.config import load_settings
from logai.frontends.plain import PlainChat
from logai.frontends.render import AnswerWriter
from logai.llm.events import Done, Event, Failed, Notice, TextDelta, ToolCallFinished, Usage
from logai.llm.orchestrator import Orchestrator
from logai.llm.usage import UsageMeter, UsageTotals, format_cost, format_tokens
from tests.core.orchestrator.test_orchestrator import GROUP, NOW, _events
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider

FETCH = ("fetch_logs", {"log_group": GROUP, "start_time": "1h ago"})


def _orchestrator(provider: ScriptedProvider, **settings: Any) -> Orchestrator:
    return Orchestrator(
        load_settings(**settings),
        provider=provider,
        source=MemorySource(_events() * 40),
        now=lambda: NOW,
    )


async def _collect(orchestrator: Orchestrator, question: str) -> list[Event]:
    return [event async for event in orchestrator.ask(question)]


async def test_each_call_reports_its_usage_priced_from_litellms_map() -> None:
    from logai.llm.context import call_cost

    provider = ScriptedProvider(
        Reply(calls=[FETCH], usage={"prompt_tokens": 900, "completion_tokens": 20}),
        Reply(text="Timeouts.", usage={"prompt_tokens": 1500, "completion_tokens": 40}),
    )
    provider.model = "openai/gpt-4o-mini"
    events = await _collect(_orchestrator(provider), "what failed?")
    usage = [e for e in events if isinstance(e, Usage)]
    assert [(u.prompt_tokens, u.completion_tokens) for u in usage] == [(900, 20), (1500, 40)]
    assert [u.cost_usd for u in usage] == [
        call_cost("openai/gpt-4o-mini", 900, 20),
        call_cost("openai/gpt-4o-mini", 1500, 40),
    ]
    assert usage[0].cost_usd == pytest.approx(900 * 0.15e-6 + 20 * 0.6e-6)
    # Reported right after its call: before the tool the first call asked for.
    first_tool = next(i for i, e in enumerate(events) if isinstance(e, ToolCallFinished))
    assert events.index(usage[0]) < first_tool


async def test_no_usage_event_when_the_provider_reports_none() -> None:
    events = await _collect(_orchestrator(ScriptedProvider(Reply(text="Quiet."))), "ok?")
    assert not [e for e in events if isinstance(e, Usage)]


async def test_a_small_window_fits_requests_and_tells_the_user_once_a_question() -> None:
    replies = [Reply(calls=[FETCH]), Reply(calls=[FETCH]), Reply(text="Timeouts.")] * 6
    provider = ScriptedProvider(*replies)
    orchestrator = _orchestrator(provider, llm_context_tokens=5000)
    told: list[list[str]] = []
    for number in range(6):
        events = await _collect(orchestrator, f"question {number}?")
        assert isinstance(events[-1], Done) and events[-1].ok
        told.append([e.message for e in events if isinstance(e, Notice)])
    assert any(told) and all(len(notices) <= 3 for notices in told)
    assert "5,000-token context window" in next(n for notices in told for n in notices)
    # One tool result never takes more than half the room: the window's, not the setting's 8000.
    from logai.llm._litellm import load_litellm

    litellm = load_litellm()
    for request in provider.requests:
        for message in request:
            if message["role"] == "tool":
                tokens = litellm.token_counter(model=provider.model, text=message["content"])
                assert tokens < 2000


async def test_a_question_too_big_for_the_window_sends_nothing_and_leaves_no_trace() -> None:
    provider = ScriptedProvider(Reply(text="Fine."))
    orchestrator = _orchestrator(provider, llm_context_tokens=2000)
    events = await _collect(orchestrator, "why? " * 600)
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert failed.kind == "context_overflow"
    assert "Nothing was sent" in failed.message and "LOGAI_LLM_CONTEXT_TOKENS" in failed.message
    assert not provider.requests
    events = await _collect(orchestrator, "why?")
    assert isinstance(events[-1], Done) and events[-1].ok
    assert [m["role"] for m in provider.requests[0]] == ["system", "user"]


async def test_a_reply_cut_at_the_limit_says_so() -> None:
    provider = ScriptedProvider(Reply(text="The errors are", finish_reason="length"))
    events = await _collect(_orchestrator(provider, llm_max_output_tokens=1000), "why?")
    notices = [e.message for e in events if isinstance(e, Notice)]
    assert notices == [
        "The reply reached its limit of 1,000 tokens and was cut "
        "(LOGAI_LLM_MAX_OUTPUT_TOKENS raises it)."
    ]


async def test_a_cap_below_the_first_prompt_sends_nothing() -> None:
    provider = ScriptedProvider(Reply(text="never"))
    provider.model = "openai/gpt-4o-mini"
    events = await _collect(_orchestrator(provider, max_cost_per_question=0.00001), "why?")
    (failed,) = [e for e in events if isinstance(e, Failed)]
    assert failed.kind == "cost_limit" and "$0.0000" not in failed.message
    assert "<$0.0001" in failed.message and not provider.requests


def test_answer_writer_adds_one_usage_line_after_the_answer() -> None:
    out, err = io.StringIO(), io.StringIO()
    writer = AnswerWriter(lambda text: text, out, err)
    writer.text("Timeouts.")
    writer.activity(Usage("openai/gpt-4o-mini", 1200, 30, 0.000198))
    writer.activity(Usage("openai/gpt-4o-mini", 1800, 60, 0.000306))
    writer.activity(Done("Timeouts.", iterations=2))
    assert out.getvalue() == "Timeouts.\n"
    assert err.getvalue() == "usage: 2 LLM calls, 3,000 tokens in, 90 out, $0.0005\n"


async def test_plain_chat_shows_question_and_conversation_totals() -> None:
    usage = {"prompt_tokens": 100, "completion_tokens": 5}
    provider = ScriptedProvider(Reply(text="One.", usage=usage), Reply(text="Two.", usage=usage))
    err = io.StringIO()
    chat = PlainChat(_orchestrator(provider), stdout=io.StringIO(), stderr=err)
    assert await chat.answer("first?")
    assert await chat.answer("second?")
    lines = err.getvalue().splitlines()
    assert lines == [
        "usage: 1 LLM call, 100 tokens in, 5 out, cost unknown",
        "usage: 1 LLM call, 100 tokens in, 5 out, cost unknown "
        "(conversation: 2 LLM calls, 200 tokens in, 10 out, cost unknown)",
    ]
    chat.handle_command("/clear")
    assert chat.usage.conversation.calls == 0


@pytest.mark.parametrize(
    ("usd", "shown"),
    [
        (0.0, "$0"),
        (0.00004, "<$0.0001"),
        (0.01234, "$0.0123"),
        (2.5, "$2.50"),
        (1234.5, "$1,234.50"),
    ],
)
def test_format_cost(usd: float, shown: str) -> None:
    assert format_cost(usd) == shown


@pytest.mark.parametrize(
    ("tokens", "shown"), [(950, "950"), (12_345, "12.3k"), (2_500_000, "2.5M")]
)
def test_format_tokens(tokens: int, shown: str) -> None:
    assert format_tokens(tokens) == shown


def test_totals_never_hide_an_unpriced_call() -> None:
    totals = UsageTotals()
    totals.add(Usage("a", 10, 1, 0.002))
    totals.add(Usage("b", 10, 1, None))
    assert totals.cost_text() == "$0.0020 + 1 unpriced"
    meter = UsageMeter()
    assert meter.status() == "" and meter.line() is None
    meter.add(Usage("a", 12_300, 678, 0.0021))
    assert meter.status() == "question 12.3k/678 tok $0.0021 · chat 12.3k/678 tok $0.0021"


def test_text_deltas_are_not_usage() -> None:
    # The writer's usage path only takes Usage events; text still goes to ``out``.
    out, err = io.StringIO(), io.StringIO()
    writer = AnswerWriter(lambda text: text, out, err)
    writer.text(TextDelta("a").text)
    writer.activity(Done("a", iterations=1))
    assert err.getvalue() == ""


async def test_far_from_the_window_no_tokenizer_runs_and_the_request_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Upper bounds settle "fits as it is"; the exact path sends the very same messages."""
    from logai.llm.context import TokenCounter

    def sent() -> list[list[dict[str, Any]]]:
        return list(provider.requests)

    counted: list[object] = []
    real = TokenCounter._count_message

    def spy(self: TokenCounter, message: dict[str, Any]) -> int:
        counted.append(message)
        return real(self, message)

    monkeypatch.setattr(TokenCounter, "_count_message", spy)
    provider = ScriptedProvider(Reply(calls=[FETCH]), Reply(text="Timeouts."))
    provider.model = "openai/gpt-4o-mini"
    await _collect(_orchestrator(provider), "what failed?")
    quick = sent()
    assert counted == []  # no tokenizer before (or between) the calls

    # With a cost cap the counts must be exact: the same requests, counted.
    provider = ScriptedProvider(Reply(calls=[FETCH]), Reply(text="Timeouts."))
    provider.model = "openai/gpt-4o-mini"
    await _collect(_orchestrator(provider, max_cost_per_question=5.0), "what failed?")
    assert counted and sent() == quick
