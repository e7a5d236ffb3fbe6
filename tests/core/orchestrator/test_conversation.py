"""The conversation type: every way in sanitizes, what leaves is a copy, and no sanitizer, no send.

The sanitizer is the real one with the default rules; the LLM is the scripted provider, so a
test can see exactly what would have been sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from logai.config import load_settings
from logai.llm.conversation import Conversation, SanitizerUnavailable, open_conversation
from logai.llm.events import Done, Failed, ToolCallFinished, ToolCallStarted
from logai.llm.orchestrator import Orchestrator
from logai.llm.provider import ToolCallRequest, ToolSpec
from logai.sanitize import Sanitizer, SanitizeStats, default_rules
from tests.core.orchestrator.test_orchestrator import GROUP, NOW, _events
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider, last_tool_result

EMAIL = "jane.doe@example.com"
URL = "https://svc:Sup3rS3cretPass@db.internal/app"
PASSWORD = "Sup3rS3cretPass"


def _conversation() -> Conversation:
    return Conversation(Sanitizer(default_rules()))


def _with_call(conversation: Conversation, arguments: str = "{}") -> str:
    accepted, _ = conversation.add_assistant("", [ToolCallRequest("c1", "fetch_logs", arguments)])
    return accepted[0].id


def _answer_malformed(conversation: Conversation, raw: str) -> None:
    """What the orchestrator does: the problem (quoting the model's text) is the tool error."""
    (call,), _ = conversation.add_assistant("", [ToolCallRequest("c1", "fetch_logs", raw)])
    assert call.problem is not None
    conversation.add_tool_error(call.id, call.problem)


ADDERS: dict[str, Callable[[Conversation, str], object]] = {
    "system": lambda c, text: c.set_system(text),
    "user": lambda c, text: c.add_user(text),
    "assistant text": lambda c, text: c.add_assistant(text),
    "tool arguments": lambda c, text: c.add_assistant(
        "", [ToolCallRequest("c1", "fetch_logs", json.dumps({"filter_pattern": text}))]
    ),
    "tool result": lambda c, text: c.add_tool_result(_with_call(c), text),
    "tool error": lambda c, text: c.add_tool_error(_with_call(c), text),
    "notice": lambda c, text: c.add_notice(text),
    "malformed arguments": lambda c, text: _answer_malformed(c, '{"filter_pattern": "' + text),
}


@pytest.mark.parametrize("way_in", ADDERS)
def test_every_way_in_sanitizes(way_in: str) -> None:
    conversation = _conversation()
    ADDERS[way_in](conversation, f"contact {EMAIL} via {URL}")
    if way_in == "tool arguments":
        # The call has no result yet; answer it so the conversation can be rendered.
        conversation.add_tool_error("c1", "bad arguments")
    sent = json.dumps(conversation.render())
    assert EMAIL not in sent and PASSWORD not in sent
    assert "<EMAIL_1>" in sent


def test_tool_descriptions_are_sanitized_names_and_schema_kept() -> None:
    conversation = _conversation()
    parameters = {
        "type": "object",
        "properties": {"group": {"type": "string", "description": f"owned by {EMAIL}"}},
    }
    conversation.set_tools([ToolSpec("team_tool", f"ask {EMAIL} first", parameters)])
    (spec,) = conversation.tools()
    assert spec.name == "team_tool" and EMAIL not in spec.description
    assert spec.parameters["properties"]["group"]["type"] == "string"
    assert EMAIL not in json.dumps(spec.parameters)


def test_what_leaves_is_a_copy_and_there_is_no_list_to_append_to() -> None:
    conversation = _conversation()
    conversation.set_system("system")
    conversation.add_user("question")
    rendered = conversation.render()
    rendered.append({"role": "user", "content": EMAIL})
    rendered[1]["content"] = EMAIL
    assert json.dumps(conversation.render()) == json.dumps(
        [{"role": "system", "content": "system"}, {"role": "user", "content": "question"}]
    )
    public = [getattr(conversation, n) for n in dir(conversation) if not n.startswith("_")]
    assert not [value for value in public if isinstance(value, list | dict)]
    with pytest.raises(AttributeError):
        conversation.messages = []  # type: ignore[attr-defined]


def test_results_arriving_out_of_order_are_sent_in_call_order() -> None:
    conversation = _conversation()
    conversation.add_user("q")
    calls = [ToolCallRequest(f"c{i}", "list_log_groups", "{}") for i in (1, 2, 3)]
    conversation.add_assistant("", calls)
    with pytest.raises(RuntimeError):
        conversation.render()
    for call_id in ("c3", "c1", "c2"):
        conversation.add_tool_result(call_id, f"result of {call_id}")
    tools = [m["tool_call_id"] for m in conversation.render() if m["role"] == "tool"]
    assert tools == ["c1", "c2", "c3"]
    with pytest.raises(ValueError, match="no tool call"):
        conversation.add_tool_result("c9", "stray")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ('{"log_group": "/aws/lambda/chec', "not valid JSON"),
        ('["/aws/lambda/checkout"]', "a JSON array, not an object"),
        ('"{\\"log_group\\": 1}"', "not an object"),
        ("null", "a JSON null, not an object"),
        ("42", "a JSON number, not an object"),
        ("", None),
    ],
)
def test_assistant_turn_always_stores_a_json_object(raw: str, problem: str | None) -> None:
    conversation = _conversation()
    (call,), _ = conversation.add_assistant("", [ToolCallRequest("c1", "fetch_logs", raw)])
    assert isinstance(json.loads(call.arguments), dict)
    if problem is None:
        assert call.problem is None
    else:
        assert call.problem is not None and problem in call.problem and call.arguments == "{}"
        assert call.shown_arguments() == {"_raw": raw}


def test_repeated_call_ids_are_made_unique() -> None:
    conversation = _conversation()
    accepted, _ = conversation.add_assistant(
        "", [ToolCallRequest("same", "list_log_groups", "{}") for _ in range(2)]
    )
    assert len({call.id for call in accepted}) == 2


def test_rollback_forgets_half_a_turn_and_clear_keeps_placeholder_numbering() -> None:
    conversation = _conversation()
    conversation.add_user(f"about {EMAIL}")
    mark = conversation.mark()
    conversation.add_user("second")
    _with_call(conversation)
    conversation.rollback(mark)
    assert len(conversation) == 1
    conversation.clear()
    assert len(conversation) == 0
    conversation.add_user("other@example.com")
    assert conversation.render()[0]["content"] == "<EMAIL_2>"
    assert conversation.restore("<EMAIL_1>") == EMAIL


# -- fail closed ----------------------------------------------------------------------------


def _orchestrator(provider: ScriptedProvider, **kwargs: Any) -> Orchestrator:
    kwargs.setdefault("source", MemorySource(_events()))
    return Orchestrator(load_settings(), provider=provider, now=lambda: NOW, **kwargs)


async def test_a_sanitizer_that_cannot_be_built_means_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**_: object) -> Sanitizer:
        raise RuntimeError(
            "rule pack 'logai-rules-acme' failed to register; "
            "set LOGAI_DISABLE_PLUGINS=logai-rules-acme to run without it"
        )

    monkeypatch.setattr(Sanitizer, "from_plugins", broken)
    provider = ScriptedProvider(Reply(text="must never be asked"))
    orchestrator = _orchestrator(provider)
    await orchestrator.warm_up()
    events = [event async for event in orchestrator.ask(f"anything about {EMAIL}?")]
    assert [type(e) for e in events] == [Failed, Done]
    failed = events[0]
    assert isinstance(failed, Failed) and failed.kind == "sanitizer"
    assert failed.message.startswith("Nothing was sent to the LLM")
    assert "LOGAI_DISABLE_PLUGINS=logai-rules-acme" in failed.message
    assert provider.requests == []
    # Restoring for display never needs the sanitizer that could not be built.
    assert orchestrator.restore("<EMAIL_1>") == "<EMAIL_1>"
    with pytest.raises(SanitizerUnavailable):
        open_conversation(load_settings())


async def test_a_sanitizer_failing_on_a_tool_result_stops_the_turn_before_it_is_sent() -> None:
    class FailsOnLogs(Sanitizer):
        __slots__ = ()

        def sanitize_text(self, text: str) -> tuple[str, SanitizeStats]:
            if "payment failed" in text:
                raise TimeoutError("rule 'acme_id' exceeded its time budget")
            return super().sanitize_text(text)

    provider = ScriptedProvider(Reply(calls=[("fetch_logs", {"log_group": GROUP})]))
    orchestrator = _orchestrator(provider, sanitizer=FailsOnLogs(default_rules()))
    events = [event async for event in orchestrator.ask("what failed?")]
    failed = next(e for e in events if isinstance(e, Failed))
    assert failed.kind == "sanitizer" and "acme_id" in failed.message
    assert isinstance(events[-1], Done) and not events[-1].ok
    assert len(provider.requests) == 1  # the question went out; the logs never did
    assert len(orchestrator.conversation) == 0


async def test_malformed_arguments_are_answered_without_running_the_tool() -> None:
    source = MemorySource(_events())

    def check(messages: list[dict[str, Any]]) -> Reply:
        (assistant,) = [m for m in messages if m["role"] == "assistant"]
        assert assistant["tool_calls"][0]["function"]["arguments"] == "{}"
        assert "you sent: {" in last_tool_result(messages)
        return Reply(text="sorry")

    provider = ScriptedProvider(Reply(calls=[("fetch_logs", '{"log_group": "/aws/lam')]), check)
    events = [
        event async for event in _orchestrator(provider, source=source).ask("show me checkout logs")
    ]
    started = next(e for e in events if isinstance(e, ToolCallStarted))
    finished = next(e for e in events if isinstance(e, ToolCallFinished))
    assert started.arguments == {"_raw": '{"log_group": "/aws/lam'}
    assert not finished.ok and "not valid JSON" in finished.summary
    assert source.calls == []
    assert isinstance(events[-1], Done) and events[-1].ok


def test_plain_chat_shows_why_nothing_was_sent_and_carries_on() -> None:
    import io

    from logai.frontends.plain import PlainChat

    provider = ScriptedProvider(Reply(text="must never be asked"))
    orchestrator = Orchestrator(
        load_settings(sanitizer_disabled_rules=["no_such_rule"]),
        provider=provider,
        source=MemorySource(_events()),
        now=lambda: NOW,
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    chat = PlainChat(orchestrator, stdin=io.StringIO("q1\nq2\n"), stdout=stdout, stderr=stderr)
    assert chat.run() == 0
    assert stderr.getvalue().count("error: Nothing was sent to the LLM") == 2
    assert "no_such_rule" in stderr.getvalue()
    assert provider.requests == []
