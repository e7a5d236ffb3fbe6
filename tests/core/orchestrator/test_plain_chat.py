"""The plain line-based chat: streamed answers, tool activity lines, slash commands."""

from __future__ import annotations

import io

from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import load_settings
from logai.frontends.plain import PlainChat
from logai.frontends.render import PlaceholderStreamRestorer
from logai.llm.orchestrator import Orchestrator
from logai.plugins import PluginHost
from logai.registries import default_frontend, frontends
from tests.core.orchestrator.test_orchestrator import GROUP, NOW, _events
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider


def _chat(provider: ScriptedProvider, typed: str) -> tuple[int, str, str]:
    orchestrator = Orchestrator(
        load_settings(), provider=provider, source=MemorySource(_events()), now=lambda: NOW
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    status = PlainChat(orchestrator, stdin=io.StringIO(typed), stdout=stdout, stderr=stderr).run()
    return status, stdout.getvalue(), stderr.getvalue()


def test_answers_stream_with_tool_activity_on_stderr() -> None:
    provider = ScriptedProvider(
        Reply(calls=[("fetch_logs", {"log_group": GROUP, "filter_pattern": "ERROR"})]),
        Reply(text="Two errors, see above."),
    )
    status, out, err = _chat(provider, "what failed?\n/quit\n")
    assert status == 0
    assert "LogAI — model scripted/test-model" in out
    assert "Two errors, see above." in out
    assert '→ fetch_logs(log_group="/aws/lambda/checkout", filter_pattern="ERROR")' in err
    assert "✓ fetch_logs: 2 events" in err
    assert "Redacted" in err


def test_slash_commands() -> None:
    provider = ScriptedProvider(Reply(text="first"), Reply(text="second"))
    status, out, _ = _chat(provider, "/help\nq1\n/clear\nq2\n/bogus\n/exit\nnever asked\n")
    assert status == 0
    assert "/clear" in out and "/quit, /exit" in out
    assert "Conversation cleared." in out
    assert "Unknown command /bogus. Type /help for the list." in out
    # After /clear the second question starts a fresh conversation.
    assert [m["content"] for m in provider.requests[1][1:]] == ["q2"]
    assert len(provider.requests) == 2


def test_end_of_input_leaves_cleanly() -> None:
    status, out, _ = _chat(ScriptedProvider(), "")
    assert status == 0 and out.endswith("\n")


def test_errors_show_inline_and_the_session_continues() -> None:
    from logai.llm.provider import LLMUnavailable

    provider = ScriptedProvider(
        Reply(error=LLMUnavailable("The LLM provider is unavailable (HTTP 503).")),
        Reply(text="back again"),
    )
    status, out, err = _chat(provider, "q1\nq2\n")
    assert status == 0
    assert "error: The LLM provider is unavailable (HTTP 503)." in err
    assert "back again" in out


def test_placeholders_split_across_deltas_are_restored() -> None:
    mapping = {"<EMAIL_1>": "a@b.example"}

    def restore(text: str) -> str:
        for key, value in mapping.items():
            text = text.replace(key, value)
        return text

    restorer = PlaceholderStreamRestorer(restore)
    pieces = ["mail to <EM", "AIL_1", "> failed; x < y", " holds"]
    shown = "".join(restorer.feed(piece) for piece in pieces) + restorer.flush()
    assert shown == "mail to a@b.example failed; x < y holds"


def test_plain_chat_is_the_fallback_frontend() -> None:
    host = PluginHost(load_entry_points=False)
    assert set(frontends(host)) == {"plain"}
    chosen = default_frontend(host)
    assert chosen is not None and chosen.name == "plain"
    with_tui = PluginHost()
    top = default_frontend(with_tui)
    assert top is not None and top.name == "tui"


def test_chat_plain_command_reports_missing_configuration() -> None:
    result = CliRunner().invoke(cli, ["chat", "--plain"])
    assert result.exit_code == 2
    assert "LOGAI_ANTHROPIC_API_KEY" in result.stderr
