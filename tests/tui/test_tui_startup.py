"""Start-up: the incomplete-configuration screen, background warm-up, import hygiene."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from logai.config import ConfigError, LogAISettings, load_settings
from logai.registries import FrontendContext
from logai.sqlite_store.warn import emit_warning
from logai.testing import isolated_host
from logai_tui import app as app_module
from logai_tui.app import LogAIApp
from logai_tui.screens import ChatScreen, ConfigProblemsScreen
from logai_tui.widgets import ErrorMessage, NoticeMessage
from logai_tui.widgets.answer import AnswerView
from tests.tui.conftest import TERMINAL_SIZE, MakeApp
from tests.tui.fakes import ScriptedBackend
from tests.tui.helpers import ask, chat, ready, wait_until


@pytest.fixture
def incomplete(monkeypatch: pytest.MonkeyPatch) -> LogAISettings:
    """No API key and no AWS region: two errors."""
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    return load_settings(llm_provider="anthropic")


def note(app: LogAIApp) -> str:
    return str(app.screen.query_one("#problems-note", Static).visual)


def problem_texts(screen: ConfigProblemsScreen) -> list[str]:
    return [str(row.visual) for row in screen.query(".problem").results(Static)]


async def test_incomplete_config_opens_a_screen_that_says_what_to_set(
    make_app: MakeApp, incomplete: LogAISettings, backend: ScriptedBackend
) -> None:
    app = make_app(settings=incomplete, problems=None)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConfigProblemsScreen)
        texts = problem_texts(screen)
        assert len(texts) == 2
        assert texts[0].startswith("✖ LOGAI_ANTHROPIC_API_KEY\nnot set")
        assert texts[1].startswith("✖ AWS_REGION\nno AWS region")
        help_text = str(screen.query_one("#problems-help", Static).visual)
        assert "export LOGAI_ANTHROPIC_API_KEY=…" in help_text
        assert str(Path("no-such.env")) in help_text  # the .env file the user should edit
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
    assert backend.questions == [] and not backend.warmed  # never started the orchestrator


async def test_config_screen_rechecks_and_opens_the_chat_once_complete(
    make_app: MakeApp, incomplete: LogAISettings, settings: LogAISettings
) -> None:
    loads: list[LogAISettings | Exception] = [
        ConfigError("Invalid configuration:\n  - LOGAI_CACHE_MAX_MB: not a number"),
        incomplete,
        settings,
    ]

    def loader() -> LogAISettings:
        result = loads.pop(0)
        if isinstance(result, Exception):
            raise result
        return result

    app = make_app(settings=incomplete, problems=None, settings_loader=loader)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        assert "LOGAI_CACHE_MAX_MB: not a number" in note(app)
        await pilot.press("r")
        assert "still incomplete" in note(app)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ChatScreen))
        assert app.settings is settings
        await ready(pilot)


async def test_unknown_data_source_is_a_config_problem(
    make_app: MakeApp, settings: LogAISettings
) -> None:
    with isolated_host() as host:  # core only: no cloudwatch plugin registered
        app = make_app(problems=None, host=host)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfigProblemsScreen)
        assert "LOGAI_DATA_SOURCE" in problem_texts(app.screen)[0]


async def test_config_warnings_open_the_chat_with_a_notice(make_app: MakeApp) -> None:
    risky = load_settings(
        anthropic_api_key="sk-test", aws_region="eu-west-1", pii_sanitization_enabled=False
    )
    async with make_app(settings=risky, problems=None).run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        notice = screen.query_one(NoticeMessage)
        assert notice.message.startswith("LOGAI_PII_SANITIZATION_ENABLED: false")
        welcome = str(screen.query_one("#welcome", Static).visual)
        assert "Sanitization is off" in welcome and "scrubbed" not in welcome


async def test_backend_warms_up_after_the_first_paint(
    make_app: MakeApp, backend: ScriptedBackend
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        assert backend.warmed and backend.questions == []
        assert screen.status.model == "anthropic/claude-test"


async def test_a_question_waits_for_the_warm_up(make_app: MakeApp) -> None:
    class SlowBackend(ScriptedBackend):
        async def warm_up(self) -> None:
            import asyncio

            await asyncio.sleep(0.3)
            self.warmed = True

    slow = SlowBackend().script()
    async with make_app(backend=slow).run_test(size=TERMINAL_SIZE) as pilot:
        screen = chat(pilot)
        view = await ask(pilot, "early question", wait=False)
        await wait_until(pilot, lambda: screen.status.activity == "starting")
        await wait_until(pilot, lambda: not screen.busy)
        assert slow.warmed and slow.questions == ["early question"]
        assert view.done


async def test_a_backend_that_cannot_start_is_reported_and_the_app_stays_up(
    make_app: MakeApp,
) -> None:
    def broken(settings: LogAISettings, host: object) -> ScriptedBackend:
        raise RuntimeError("no LLM provider named 'litellm'")

    app = make_app(orchestrator_factory=broken)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        await wait_until(pilot, lambda: bool(screen.query(ErrorMessage)))
        view = await ask(pilot, "anything")
        assert isinstance(view, AnswerView)
        assert (
            "could not start its orchestrator: no LLM provider"
            in view.query_one(ErrorMessage).message
        )
        assert app.is_running


async def test_cache_warnings_appear_in_the_chat_not_on_stderr(
    make_app: MakeApp, capsys: pytest.CaptureFixture[str]
) -> None:
    async with make_app().run_test(size=TERMINAL_SIZE) as pilot:
        screen = await ready(pilot)
        emit_warning("log cache turned off for this session (disk I/O error)")
        await wait_until(pilot, lambda: bool(screen.query(NoticeMessage)))
        assert "disk I/O error" in screen.query_one(NoticeMessage).message
    emit_warning("after the app")  # the stderr handler is back once the app is gone
    assert capsys.readouterr().err == "logai: warning: after the app\n"


def test_run_launches_the_app_with_the_frontend_context(
    monkeypatch: pytest.MonkeyPatch, settings: LogAISettings
) -> None:
    seen: list[LogAIApp] = []

    def fake_run(self: LogAIApp) -> int | None:
        seen.append(self)
        return None

    monkeypatch.setattr(LogAIApp, "run", fake_run)
    with isolated_host() as host:
        context = FrontendContext(settings=settings.model_copy(update={"data_source": "x"}),
                                  host=host)  # fmt: skip
        assert app_module.run(context) == app_module.EXIT_CONFIG_INCOMPLETE
        seen[0].host is host  # noqa: B015
        ok = FrontendContext(settings=settings, host=host)
        monkeypatch.setattr(app_module, "configuration_problems", lambda s, h: [])
        assert app_module.run(ok) == 0


def test_importing_the_app_loads_nothing_heavy() -> None:
    """The first paint must not wait for litellm, boto3, SQLAlchemy or even the markdown parser."""
    heavy = ["litellm", "boto3", "botocore", "sqlalchemy", "aiosqlite", "logai.llm.orchestrator",
             "logai.cache", "logai_cloudwatch", "markdown_it"]  # fmt: skip
    code = f"import sys, logai_tui.app\nprint(','.join(m for m in {heavy!r} if m in sys.modules))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == ""


def test_logai_without_a_terminal_explains_itself_instead_of_hanging(tmp_path: Path) -> None:
    """`logai </dev/null` (a script, a pipe, cron) must not draw a TUI and wait forever."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(HOME=str(tmp_path), LITELLM_LOCAL_MODEL_COST_MAP="True")
    done = subprocess.run(
        [sys.executable, "-m", "logai"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "needs a terminal" in done.stderr
    assert "logai ask" in done.stderr
    assert "\x1b" not in done.stderr
