"""Fitting a conversation into a token limit: what gives way first, what is always kept.

The conversation and its sanitizer are real; tokens are counted by a simple deterministic
counter (characters / 4), so each test can reason about sizes. The fake LLM server tests in
tests/integration/test_budget_e2e.py do the same over HTTP with LiteLLM's tokenizer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from logai.llm.conversation import Conversation
from logai.llm.provider import ToolCallRequest
from logai.sanitize import Sanitizer, default_rules

EMAIL = "jane.doe@example.com"
SYSTEM = "You answer questions about logs."


def count(message: dict[str, Any]) -> int:
    return len(json.dumps(message)) // 4 + 4


def _conversation() -> Conversation:
    conversation = Conversation(Sanitizer(default_rules()))
    conversation.set_system(SYSTEM)
    return conversation


def _exchange(conversation: Conversation, call_id: str, lines: int, summary: str = "") -> None:
    """One tool round: a fetch_logs call and a result of ``lines`` log lines."""
    conversation.add_assistant(
        "", [ToolCallRequest(call_id, "fetch_logs", json.dumps({"log_group": "/app"}))]
    )
    header = f"/app, last hour: {lines} events"
    body = "\n".join(f"2026-11-25T12:00:{i % 60:02d}Z ERROR timeout #{i}" for i in range(lines))
    conversation.add_tool_result(call_id, f"{header}\n{body}", summary or f"{lines} events")


def _question(conversation: Conversation, number: int, rounds: int = 1, lines: int = 40) -> None:
    conversation.add_user(f"Question {number}: what failed?")
    for round_ in range(rounds):
        _exchange(conversation, f"q{number}_r{round_}", lines)
    conversation.add_assistant(f"Answer {number}: timeouts.")


def _well_formed(messages: list[dict[str, Any]]) -> None:
    """Each call is answered right after it, and no result lacks its call."""
    assert messages[0]["role"] == "system"
    assert messages[1]["role"] == "user"
    open_calls: list[str] = []
    for message in messages[1:]:
        if message["role"] == "tool":
            assert open_calls and message["tool_call_id"] == open_calls.pop(0)
            continue
        assert not open_calls, f"calls {open_calls} have no result"
        open_calls = [call["id"] for call in message.get("tool_calls", [])]
    assert not open_calls


def test_a_conversation_that_fits_is_sent_as_stored() -> None:
    conversation = _conversation()
    _question(conversation, 1)
    fitted = conversation.render_fitted(100_000, count)
    assert fitted.fits and not fitted.changed
    assert fitted.messages == conversation.render()
    assert fitted.tokens == sum(count(m) for m in fitted.messages)


def test_older_tool_results_are_condensed_first_keeping_header_and_summary() -> None:
    conversation = _conversation()
    for number in range(1, 4):
        _question(conversation, number)
    full = sum(count(m) for m in conversation.render())
    fitted = conversation.render_fitted(full - 50, count)
    assert fitted.fits and fitted.condensed_results == 1 and not fitted.dropped_questions
    results = [m["content"] for m in fitted.messages if m["role"] == "tool"]
    assert results[0].startswith("[Condensed by LogAI")
    assert "/app, last hour: 40 events" in results[0] and "Summary: 40 events." in results[0]
    assert not results[1].startswith("[Condensed")  # only as much as needed, oldest first
    assert sum(1 for m in fitted.messages if m["role"] == "user") == 3
    _well_formed(fitted.messages)


def test_earlier_questions_go_whole_and_are_named_in_the_system_prompt() -> None:
    conversation = _conversation()
    for number in range(1, 11):
        _question(conversation, number, rounds=2)
    fitted = conversation.render_fitted(1500, count)
    assert fitted.fits and fitted.dropped_questions > 0
    _well_formed(fitted.messages)
    system = fitted.messages[0]["content"]
    assert system.startswith(SYSTEM)
    assert "Question 1: what failed?" in system
    assert "fetch_logs" in system and "40 events" in system
    kept = [m["content"] for m in fitted.messages if m["role"] == "user"]
    assert kept[-1] == "Question 10: what failed?"
    # A turn goes whole: every kept question keeps its answer.
    for question in kept:
        number = question.split()[1].rstrip(":")
        assert any(m.get("content") == f"Answer {number}: timeouts." for m in fitted.messages)


def test_the_current_questions_rounds_give_way_last_and_in_order() -> None:
    conversation = _conversation()
    _question(conversation, 1)
    conversation.add_user("Question 2: and now?")
    for round_ in range(8):
        _exchange(conversation, f"r{round_}", 60)
    fitted = conversation.render_fitted(900, count)
    assert fitted.fits
    assert fitted.dropped_questions == 1 and fitted.dropped_exchanges > 0
    _well_formed(fitted.messages)
    ids = [m["tool_call_id"] for m in fitted.messages if m["role"] == "tool"]
    assert ids[-1] == "r7"  # the latest round is always there, condensed if need be
    assert ids == sorted(ids)
    assert fitted.messages[1]["content"] == "Question 2: and now?"


@pytest.mark.parametrize("limit", [600, 800, 1200, 2000, 4000, 8000, 30_000])
def test_any_limit_gives_a_well_formed_request_within_it(limit: int) -> None:
    conversation = _conversation()
    for number in range(1, 16):
        _question(conversation, number, rounds=number % 3, lines=10 * number)
    fitted = conversation.render_fitted(limit, count, fixed_tokens=200)
    assert fitted.fits
    assert sum(count(m) for m in fitted.messages) + 200 == fitted.tokens <= limit
    _well_formed(fitted.messages)
    assert fitted.messages[-1]["content"] == "Answer 15: timeouts."
    assert any(m.get("content") == "Question 15: what failed?" for m in fitted.messages)


def test_fitting_leaves_the_stored_conversation_whole() -> None:
    conversation = _conversation()
    for number in range(1, 6):
        _question(conversation, number)
    before = conversation.render()
    assert conversation.render_fitted(700, count).changed
    assert conversation.render() == before
    assert conversation.render_fitted(100_000, count).messages == before


def test_too_small_for_the_question_itself_does_not_fit() -> None:
    conversation = _conversation()
    conversation.add_user("why? " * 400)
    fitted = conversation.render_fitted(200, count)
    assert not fitted.fits and fitted.tokens > 200


def test_condensed_results_and_the_digest_carry_only_sanitized_text() -> None:
    conversation = _conversation()
    conversation.add_user(f"Why did {EMAIL} fail?")
    _exchange(conversation, "c1", 80, summary=f"80 events for {EMAIL}")
    conversation.add_assistant("Timeouts.")
    conversation.add_user("And now?")
    _exchange(conversation, "c2", 80)
    fitted = conversation.render_fitted(700, count)
    assert fitted.dropped_questions == 1
    sent = json.dumps(fitted.messages)
    assert EMAIL not in sent
    assert "<EMAIL_1>" in fitted.messages[0]["content"]  # the earlier question, as stored
