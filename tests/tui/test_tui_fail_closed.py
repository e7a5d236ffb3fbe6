"""The TUI with the real orchestrator when the sanitizer cannot be built: nothing is sent.

The fake LLM server (OpenAI protocol, real HTTP) would answer; the point is that it is never
asked, and that the user reads why in the conversation instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from logai.config import load_settings
from logai.testing import isolated_host
from logai_tui.app import LogAIApp
from logai_tui.history import InputHistory
from logai_tui.widgets import ErrorMessage
from tests.fakes.fake_llm import FakeLLMServer
from tests.fakes.fixtures import fake_llm as fake_llm  # the fixture
from tests.tui.conftest import TERMINAL_SIZE
from tests.tui.helpers import ask, ready, wait_until

pytestmark = [
    pytest.mark.network_loopback,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


async def test_tui_shows_why_nothing_was_sent(fake_llm: FakeLLMServer, tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    settings = load_settings(
        llm_provider="openai",
        llm_model="openai/gpt-test",
        openai_api_key="sk-test-key",
        llm_api_base=fake_llm.openai_base,
        data_source="files",
        files_root=tmp_path / "logs",
        sanitizer_disabled_rules=["no_such_rule"],
        cache_dir=tmp_path / "cache",
        history_file=tmp_path / "history",
    )
    fake_llm.script("must never be asked")
    with isolated_host() as host:
        app = LogAIApp(
            settings,
            host=host,
            history=InputHistory(settings.history_file),
            settings_loader=None,
            frozen=True,
        )  # the real orchestrator: no backend injected
        async with app.run_test(size=TERMINAL_SIZE) as pilot:
            await ready(pilot, within=60)
            view = await ask(pilot, "anything about jane.doe@example.com?", wait=False)
            await wait_until(pilot, lambda: view.done, within=60)
            errors = [e.message for e in view.query(ErrorMessage)]
    assert any("Nothing was sent to the LLM" in e and "no_such_rule" in e for e in errors), errors
    assert fake_llm.chat_requests() == []
