"""Snapshot tests of the main states, at a fixed terminal size.

Deterministic by construction: the spinner and cursor blink are frozen (``frozen=True``),
durations and cache figures are scripted, the model name is fixed and nothing shows a clock.
Update with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from logai.config import load_settings
from logai.llm.events import Done, Failed, Redacted, TextDelta, ToolCallFinished, ToolCallStarted
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.fakes import ScriptedBackend, text_deltas
from tests.tui.helpers import answers, ask, ready, wait_until

SnapCompare = Callable[..., bool]
ARGS = {"log_group": "/aws/lambda/checkout", "start_time": "1h ago", "filter_pattern": "ERROR"}

ANSWER = """\
**3 timeouts** in `/aws/lambda/checkout` during the last hour, all for <EMAIL_1>:

| time (UTC) | error |
|---|---|
| 09:12 | `TimeoutError` calling payments |
| 09:40 | `TimeoutError` calling payments |

The handler gives up after 3 s:

```python
response = payments.charge(order, timeout=3)
```
"""


def script_tool_answer(backend: ScriptedBackend) -> None:
    backend.placeholders = {"<EMAIL_1>": "jane@example.com"}
    backend.script(
        *text_deltas("Let me fetch the checkout errors.\n"),
        ToolCallStarted("c1", "fetch_logs", ARGS),
        ToolCallFinished("c1", "fetch_logs", ARGS, duration_s=1.23, ok=True,
                         summary="120 events", events=120, cache="hit",
                         redactions="Redacted 3 emails, 2 IPs"),
        *text_deltas(ANSWER, size=12),
        Redacted("Redacted 3 emails, 2 IPs", {"email": 3, "ip": 2}),
    )  # fmt: skip


def before(*steps: Callable[[Pilot[int]], Awaitable[object]]) -> Callable[[Pilot[int]], object]:
    async def run_before(pilot: Pilot[int]) -> None:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.status.cache != "cache …")
        for step in steps:
            await step(pilot)
        await pilot.pause()

    return run_before


def asking(question: str, *, wait: bool = True) -> Callable[[Pilot[int]], Awaitable[object]]:
    return lambda pilot: ask(pilot, question, wait=wait)


def test_snapshot_chat_on_start(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(), terminal_size=TERMINAL_SIZE, run_before=before())


def test_snapshot_answer_with_tool_panel(
    snap_compare: SnapCompare, make_app: MakeApp, backend: ScriptedBackend
) -> None:
    script_tool_answer(backend)
    app = make_app()
    assert snap_compare(
        app, terminal_size=(100, 40), run_before=before(asking("why did checkout fail?"))
    )


def test_snapshot_tool_panel_expanded(
    snap_compare: SnapCompare, make_app: MakeApp, backend: ScriptedBackend
) -> None:
    script_tool_answer(backend)

    async def expand(pilot: Pilot[int]) -> None:
        panel = answers(pilot)[-1].panels[0]
        panel.collapsed = False
        await pilot.pause()
        panel.scroll_visible(animate=False)

    assert snap_compare(
        make_app(),
        terminal_size=(100, 40),
        run_before=before(asking("why did checkout fail?"), expand),
    )


def test_snapshot_running_tool_call(
    snap_compare: SnapCompare, make_app: MakeApp, backend: ScriptedBackend
) -> None:
    backend.script(TextDelta("Fetching the last hour of checkout logs.\n"),
                   ToolCallStarted("c1", "fetch_logs", ARGS), 30.0)  # fmt: skip

    async def until_running(pilot: Pilot[int]) -> None:
        await wait_until(pilot, lambda: bool(answers(pilot)[-1].panels))

    assert snap_compare(
        make_app(),
        terminal_size=TERMINAL_SIZE,
        run_before=before(asking("checkout errors?", wait=False), until_running),
    )


def test_snapshot_errors_inline(
    snap_compare: SnapCompare, make_app: MakeApp, backend: ScriptedBackend
) -> None:
    bad = {"log_group": "/aws/lambda/chekout"}
    backend.script(
        ToolCallStarted("c1", "fetch_logs", bad),
        ToolCallFinished("c1", "fetch_logs", bad, 0.05, ok=False,
                         summary="No log group named '/aws/lambda/chekout'. "
                                 "Did you mean /aws/lambda/checkout?"),
        *text_deltas("There is no `/aws/lambda/chekout`; did you mean `/aws/lambda/checkout`?"),
    )  # fmt: skip
    backend.script(
        Failed("The LLM provider is rate limiting LogAI (429) and retries ran out. "
               "Wait a minute and ask again.", kind="llm_rate_limited"),
        Done("", iterations=0, ok=False),
    )  # fmt: skip
    assert snap_compare(
        make_app(),
        terminal_size=TERMINAL_SIZE,
        run_before=before(asking("errors in chekout?"), asking("and in checkout?")),
    )


def test_snapshot_help(snap_compare: SnapCompare, make_app: MakeApp) -> None:
    async def help_command(pilot: Pilot[int]) -> None:
        await pilot.press(*"/help", "enter")

    assert snap_compare(make_app(), terminal_size=(100, 40), run_before=before(help_command))


def test_snapshot_incomplete_config(
    snap_compare: SnapCompare, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("LOGAI_ENV_FILE", "/home/oncall/project/.env")
    incomplete = load_settings(llm_provider="anthropic", env_file="/nonexistent/.env")
    assert snap_compare(make_app(settings=incomplete, problems=None), terminal_size=TERMINAL_SIZE)
