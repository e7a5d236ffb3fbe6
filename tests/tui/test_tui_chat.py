"""Pilot tests of the chat: streaming, tool panels, errors, cancelling, input and history."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownFence

from logai.config import LogAISettings
from logai.llm.events import (
    Done,
    Failed,
    Notice,
    Redacted,
    TextDelta,
    ToolCallFinished,
    ToolCallStarted,
)
from logai_tui.history import InputHistory
from logai_tui.widgets import ErrorMessage, NoticeMessage, UserMessage
from logai_tui.widgets.tool_panel import ToolCallPanel
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.fakes import ScriptedBackend, text_deltas
from tests.tui.helpers import answers, ask, ready, wait_until

ARGS = {"log_group": "/aws/lambda/checkout", "start_time": "1h ago"}


def fetch_started(call_id: str = "c1") -> ToolCallStarted:
    return ToolCallStarted(call_id, "fetch_logs", ARGS)


def fetch_finished(call_id: str = "c1") -> ToolCallFinished:
    return ToolCallFinished(
        call_id, "fetch_logs", ARGS, duration_s=1.23, ok=True, summary="120 events",
        events=120, cache="hit", redactions="Redacted 3 emails, 2 IPs",
    )  # fmt: skip


async def test_submit_streams_the_answer_incrementally(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    first, rest = "Checkout failed **3 times** ", "in the last hour, all with `TimeoutError`."
    backend.script(*text_deltas(first, size=4), 1.0, *text_deltas(rest, size=4))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        view = await ask(pilot, "why did checkout fail?", wait=False)
        # The first half is on screen while the second is still on its way.
        await wait_until(pilot, lambda: view.text == first)
        assert screen.busy
        assert screen.status.activity == "answering"
        assert view.query_one(Markdown).source == first
        await wait_until(pilot, lambda: not screen.busy)
        assert view.text == first + rest
        assert view.query_one(Markdown).source == first + rest
        assert [m.text for m in screen.query(UserMessage)] == ["why did checkout fail?"]
        assert screen.prompt.text == ""
        assert screen.status.activity == ""
        assert backend.questions == ["why did checkout fail?"]


async def test_answer_shows_original_values_for_placeholders(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.placeholders = {"<EMAIL_1>": "jane@example.com", "<IP_1>": "10.1.2.3"}
    backend.script(TextDelta("Requests from <EMA"), TextDelta("IL_1> came via <IP"),
                   TextDelta("_1>."))  # fmt: skip
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        view = await ask(pilot, "who?")
        assert view.text == "Requests from jane@example.com came via 10.1.2.3."


async def test_code_blocks_render_as_highlighted_fences(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(*text_deltas("The handler raises:\n\n```python\nraise TimeoutError()\n```\n"))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        view = await ask(pilot, "show me the code")
        fence = view.query_one(MarkdownFence)
        assert fence.lexer == "python" and "TimeoutError" in fence.code


async def test_tool_call_panel_shows_what_ran_and_how(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(
        *text_deltas("Looking at the logs.\n"),
        fetch_started(),
        0.2,
        fetch_finished(),
        *text_deltas("There were 3 timeouts."),
        Redacted("Redacted 3 emails, 2 IPs", {"email": 3, "ip": 2}),
    )
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        view = await ask(pilot, "errors?", wait=False)
        await wait_until(pilot, lambda: bool(view.panels))
        panel = view.panels[0]
        assert panel.has_class("-running") and "running" in panel.title
        assert screen.status.activity == "fetch_logs"
        await wait_until(pilot, lambda: not screen.busy)

        assert not panel.has_class("-running") and panel.collapsed
        for fact in ("fetch_logs", "/aws/lambda/checkout", "1.2 s", "120 events", "cache hit",
                     "Redacted 3 emails, 2 IPs"):  # fmt: skip
            assert fact in panel.title
        body = " ".join(str(panel._body.visual).split())
        for fact in ("start_time 1h ago", "result 120 events", "redacted Redacted 3 emails"):
            assert fact in body
        # Text before the call, the panel, text after it: in arrival order.
        order = [type(child).__name__ for child in view.children]
        assert order == ["Markdown", "ToolCallPanel", "Markdown", "Static"]
        assert view.text == "Looking at the logs.\nThere were 3 timeouts."

        # Expand it from the keyboard: Tab to its title, Enter.
        panel._title.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not panel.collapsed)
        assert screen.prompt.text == ""  # Enter toggled the panel, it did not submit


async def test_llm_error_is_shown_inline_and_the_session_continues(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(
        Failed("The LLM provider rejected the API key (401). Check LOGAI_ANTHROPIC_API_KEY.",
               kind="llm_auth"),
        Done("", iterations=0, ok=False),
    )  # fmt: skip
    backend.script(*text_deltas("Second answer."))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        first = await ask(pilot, "first")
        error = first.query_one(ErrorMessage)
        assert "rejected the API key (401)" in error.message
        assert first.failed
        second = await ask(pilot, "second")
        assert second.text == "Second answer."
        assert not second.query(ErrorMessage)


async def test_unknown_log_group_shows_a_failed_panel_and_the_llm_carries_on(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    bad = {"log_group": "/aws/lambda/chekout"}
    backend.script(
        ToolCallStarted("c1", "fetch_logs", bad),
        ToolCallFinished("c1", "fetch_logs", bad, 0.05, ok=False,
                         summary="No log group named '/aws/lambda/chekout'. "
                                 "Did you mean /aws/lambda/checkout?"),
        Notice("1 tool call failed; the model was told why."),
        *text_deltas("That log group does not exist; did you mean /aws/lambda/checkout?"),
    )  # fmt: skip
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        view = await ask(pilot, "errors in chekout?")
        panel = view.query_one(ToolCallPanel)
        assert panel.has_class("-failed")
        assert "failed: No log group named '/aws/lambda/chekout'" in panel.title
        assert "status failed" in " ".join(str(panel._body.visual).split())
        assert "model was told why" in view.query_one(NoticeMessage).message
        assert view.text.startswith("That log group does not exist")


async def test_escape_cancels_the_running_answer(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("Fetching a lot of logs"), fetch_started(), 30.0, fetch_finished())
    backend.script(*text_deltas("Fresh answer."))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        view = await ask(pilot, "slow one", wait=False)
        await wait_until(pilot, lambda: bool(view.panels))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.busy)
        # The orchestrator's generator was closed: its stream and fetch stop with it.
        await wait_until(pilot, lambda: backend.closed == ["slow one"])
        assert "Cancelled" in view.query_one(NoticeMessage).message
        assert view.panels[0].has_class("-stopped")
        assert screen.status.activity == ""
        again = await ask(pilot, "next")
        assert again.text == "Fresh answer."


async def test_escape_when_idle_does_nothing(make_app: MakeApp) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape")
        assert pilot.app.is_running and screen.prompt.has_focus


async def test_a_question_while_answering_is_kept_in_the_prompt(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("slow"), 30.0)
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "first", wait=False)
        screen.prompt.insert("second")
        await pilot.press("enter")
        assert screen.prompt.text == "second"
        assert backend.questions == ["first"]
        await pilot.press("escape")


async def test_shift_enter_inserts_a_newline_and_enter_sends_it_all(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press(*"line one", "shift+enter", *"line two", "ctrl+j", *"three")
        assert screen.prompt.text == "line one\nline two\nthree"
        assert backend.questions == []
        await pilot.press("enter")
        await wait_until(pilot, lambda: backend.questions == ["line one\nline two\nthree"])
        assert screen.prompt.text == ""


async def test_enter_on_a_blank_prompt_sends_nothing(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert backend.questions == [] and not answers(pilot)


async def test_up_and_down_walk_the_history(make_app: MakeApp, backend: ScriptedBackend) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        prompt = screen.prompt
        await ask(pilot, "first question")
        await ask(pilot, "second question")
        await pilot.press(*"draft")
        await pilot.press("up")
        assert prompt.text == "second question"
        await pilot.press("up")
        assert prompt.text == "first question"
        await pilot.press("up")  # oldest: stays
        assert prompt.text == "first question"
        await pilot.press("down", "down")
        assert prompt.text == "draft"


async def test_up_and_down_move_inside_a_multiline_question(make_app: MakeApp) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        prompt = screen.prompt
        await ask(pilot, "older")
        await pilot.press(*"one", "shift+enter", *"two")
        await pilot.press("up")  # from line 2 to line 1: an ordinary cursor move
        assert prompt.text == "one\ntwo" and prompt.cursor_location[0] == 0
        await pilot.press("down")  # back to line 2
        assert prompt.text == "one\ntwo" and prompt.cursor_location[0] == 1
        await pilot.press("up", "up")  # line 1, then past the top: history
        assert prompt.text == "older"
        await pilot.press("down")
        assert prompt.text == "one\ntwo"


async def test_history_persists_between_runs(make_app: MakeApp) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await ask(pilot, "what broke yesterday?")
        await ask(pilot, "multi\nline")
    history_file = chat_settings_history(make_app)
    assert stat.S_IMODE(history_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(history_file.parent.stat().st_mode) == 0o700

    # A new app (a new run) reads the same file.
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("up")
        assert screen.prompt.text == "multi\nline"
        await pilot.press("up")
        assert screen.prompt.text == "what broke yesterday?"


def chat_settings_history(make_app: MakeApp) -> Path:
    app = make_app()
    history = app._history
    assert isinstance(history, InputHistory) and history.path is not None
    return history.path


async def test_a_call_that_never_reports_back_is_marked_stopped(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(
        fetch_started(),
        Failed("Internal error while answering: RuntimeError: boom", kind="internal"),
        Done("", iterations=0, ok=False),
    )
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        view = await ask(pilot, "anything")
        panel = view.panels[0]
        assert panel.has_class("-stopped") and not panel.has_class("-running")
        assert panel.title.endswith("· stopped")
        assert "RuntimeError: boom" in view.query_one(ErrorMessage).message


async def test_status_bar_shows_the_account_once_the_source_has_learnt_it(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    class LearntAccount:
        account: str | None = None

    source = LearntAccount()

    async def data_source() -> LearntAccount:
        return source

    backend.data_source = data_source  # type: ignore[attr-defined]
    backend.script(*text_deltas("first")).script(*text_deltas("second"))
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await ask(pilot, "one?")
        await pilot.pause()
        assert screen.status.aws_account == ""  # not learnt: nothing shown, nothing asked
        source.account = "123456789012"
        await ask(pilot, "two?")
        await wait_until(pilot, lambda: screen.status.aws_account == "123456789012")
        assert "aws oncall · 123456789012 · eu-west-1" in str(screen.status.render())


async def test_ctrl_c_cancels_the_answer_and_keeps_the_chat_open(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("Fetching a lot of logs"), fetch_started(), 30.0, fetch_finished())
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        view = await ask(pilot, "slow one", wait=False)
        await wait_until(pilot, lambda: bool(view.panels))
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: not screen.busy)
        assert (
            backend.closed == ["slow one"] or "Cancelled" in view.query_one(NoticeMessage).message
        )
        assert pilot.app.is_running


async def test_a_second_ctrl_c_when_idle_quits(make_app: MakeApp) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+c")
        assert pilot.app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not pilot.app.is_running


async def test_ctrl_d_quits_only_on_an_empty_prompt(make_app: MakeApp) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        screen.prompt.insert("draft")
        await pilot.press("ctrl+d")
        assert pilot.app.is_running
        screen.prompt.clear()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert not pilot.app.is_running


async def test_status_bar_shows_the_aws_targets(
    make_app: MakeApp, settings: LogAISettings, tmp_path: Path
) -> None:
    (tmp_path / "aws-config").write_text("[profile prod]\nregion = eu-west-1\n")
    targets = settings.model_copy(
        update={"aws_targets": "prod-eu=prod@eu-west-1,prod-us=prod@us-east-1"}
    )
    async with make_app(settings=targets).run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        assert "aws prod-eu · prod-us │" in str(screen.status.render())
        assert "oncall" not in str(screen.status.render())


async def test_the_first_tab_lands_somewhere_visible(make_app: MakeApp) -> None:
    """Tab from the prompt focuses the conversation, which then looks focused."""
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        conversation = screen.query_one("#conversation")
        before = conversation.styles.background
        await pilot.press("tab")
        await pilot.pause()

        assert pilot.app.focused is conversation
        assert conversation.styles.background != before
        await pilot.press("tab")
        await pilot.pause()
        assert pilot.app.focused is screen.prompt
        assert conversation.styles.background == before
