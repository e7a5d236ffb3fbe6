"""A plugin's own settings: read from the environment and .env, shown and checked by config."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from logai import hookimpl
from logai.cli.app import cli
from logai.config import ConfigError
from logai.plugin_settings import PluginSettings
from logai.plugins import PluginHost
from logai.registries import plugin_settings
from tests.conftest import InstallPlugins


@pytest.fixture
def demo(
    install_test_plugins: InstallPlugins, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    install_test_plugins("logai-settings-demo")
    env_file = tmp_path / "demo.env"
    env_file.write_text(
        "LOGAI_DEMO_URL=https://demo.internal:8443\nLOGAI_DEMO_TOKEN=s3cr3t\nLOGAI_DEMO_PAGE_SIZE=\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    return env_file


def test_the_plugin_reads_its_settings_from_dotenv_and_the_environment(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_DEMO_PAGE_SIZE", "7")
    result = CliRunner().invoke(cli, ["groups", "--source", "settings-demo"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "https://demo.internal:8443 page=7"


def test_config_show_lists_plugin_settings_with_their_source_and_secrets_masked(
    demo: Path,
) -> None:
    result = CliRunner().invoke(cli, ["config", "show", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["LOGAI_DEMO_URL"] == {"value": "https://demo.internal:8443", "source": str(demo)}
    assert shown["LOGAI_DEMO_TOKEN"] == {"value": "********", "source": str(demo)}
    # A blank value in .env means "not set", as for core's settings.
    assert shown["LOGAI_DEMO_PAGE_SIZE"] == {"value": "100", "source": str(demo)}
    assert "s3cr3t" not in result.output
    table = CliRunner().invoke(cli, ["config", "show"]).stdout
    assert any(line.split()[:2] == ["LOGAI_DEMO_TOKEN", "********"] for line in table.splitlines())


def test_config_check_reports_plugin_settings_problems(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "ollama")
    monkeypatch.setenv("LOGAI_DEMO_PAGE_SIZE", "lots")
    unparsable = CliRunner().invoke(cli, ["config", "check"])
    assert unparsable.exit_code == 1
    assert unparsable.stderr.splitlines()[0] == (
        "error: LOGAI_DEMO_PAGE_SIZE: Input should be a valid integer, unable to parse string "
        "as an integer"
    )
    monkeypatch.setenv("LOGAI_DEMO_PAGE_SIZE", "5")
    monkeypatch.setenv("LOGAI_DEMO_URL", "demo.internal")
    semantic = CliRunner().invoke(cli, ["config", "check"])
    assert semantic.exit_code == 1
    assert "error: LOGAI_DEMO_URL: must be an http:// or https:// URL." in semantic.stderr
    monkeypatch.setenv("LOGAI_DEMO_URL", "http://demo.internal")
    assert CliRunner().invoke(cli, ["config", "check"]).exit_code == 0


class AcmeSettings(PluginSettings):
    model_config = PluginSettings.config(env_prefix="LOGAI_ACME_")

    token: SecretStr | None = None
    """Token."""


class Greedy(PluginSettings):
    model_config = PluginSettings.config(env_prefix="LOGAI_")

    data_source: str = "mine"
    """Would read core's LOGAI_DATA_SOURCE."""


def test_load_names_the_bad_variable_never_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    class Numbers(PluginSettings):
        model_config = PluginSettings.config(env_prefix="LOGAI_NUM_")
        count: int = 1

    monkeypatch.setenv("LOGAI_NUM_COUNT", "secret-ish")
    with pytest.raises(ConfigError) as caught:
        Numbers.load()
    assert "LOGAI_NUM_COUNT: Input should be a valid integer" in str(caught.value)
    assert "secret-ish" not in str(caught.value)
    with pytest.raises(ValueError, match="must be non-empty and end with '_'"):
        PluginSettings.config(env_prefix="LOGAI_X")


def test_bad_registrations_are_refused_with_a_warning() -> None:
    class Plugin:
        def __init__(self, *models: object) -> None:
            self.models = models

        @hookimpl
        def register_settings(self, register: Callable[..., None]) -> None:
            for model in self.models:
                register(model)

    warnings: list[str] = []
    host = PluginHost(load_entry_points=False, environ={}, warn=warnings.append)
    host.register_plugin("acme", Plugin(AcmeSettings, Greedy, dict))
    host.register_plugin("rival", Plugin(AcmeSettings))
    found = plugin_settings(host)
    assert [(reg.name, reg.plugin) for reg in found] == [("LOGAI_ACME_", "acme")]
    assert warnings == [
        "plugin 'acme' (inline) register_settings: settings Greedy read core's "
        "LOGAI_DATA_SOURCE; ignored",
        "plugin 'acme' (inline) register_settings: called register(settings) with dict, not a "
        "logai.plugin_settings.PluginSettings subclass; ignored",
        "plugin 'rival' (inline) registered settings prefix 'LOGAI_ACME_', already registered "
        "by plugin 'acme' (inline); refused (built-ins load first, then by entry-point name)",
    ]
