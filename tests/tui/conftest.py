"""Fixtures of the TUI tests: settings that pass the configuration check, and app builders."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from logai.config import LogAISettings, load_settings
from logai_tui.app import LogAIApp
from logai_tui.history import InputHistory
from tests.tui.fakes import FakeCache, ScriptedBackend, factory_for

#: Wide enough for a status bar and a tool panel title on one line, short enough to read.
TERMINAL_SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _aws_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """AWS credentials are present (``logai config check`` reports them missing otherwise)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret")


@pytest.fixture
def settings(tmp_path: Path) -> LogAISettings:
    """Complete settings with a fixed model and region (the autouse fixtures isolate the rest)."""
    # The autouse fixture points AWS_CONFIG_FILE here: the profile must exist to be usable.
    (tmp_path / "aws-config").write_text("[profile oncall]\nregion = eu-west-1\n")
    return load_settings(
        llm_provider="anthropic",
        llm_model="anthropic/claude-test",
        anthropic_api_key="sk-test",
        aws_region="eu-west-1",
        aws_profile="oncall",
        history_file=tmp_path / "state" / "history",
    )


@pytest.fixture
def backend() -> ScriptedBackend:
    return ScriptedBackend()


@pytest.fixture
def cache() -> FakeCache:
    return FakeCache()


MakeApp = Callable[..., LogAIApp]


@pytest.fixture
def make_app(settings: LogAISettings, backend: ScriptedBackend, cache: FakeCache) -> MakeApp:
    """Build the app around the fakes; keyword arguments override any collaborator."""

    def make(**overrides: Any) -> LogAIApp:
        use_settings = overrides.pop("settings", settings)
        history = overrides.pop("history", None)
        if history is None:
            history = InputHistory(use_settings.history_file)
            history.load()
        options: dict[str, Any] = {
            "orchestrator_factory": factory_for(overrides.pop("backend", backend)),
            "cache": cache,
            "history": history,
            "frozen": True,
            "settings_loader": None,
        }
        options.update(overrides)
        return LogAIApp(use_settings, **options)

    return make
