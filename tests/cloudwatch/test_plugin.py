"""The plugin: registered through the data-source hook, cheap to import, configurable."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import load_settings
from logai.registries import create_data_source, data_sources
from logai.sources.base import DataSource, SourceValidationError
from logai.testing.hosts import isolated_host
from logai_cloudwatch import plugin
from logai_cloudwatch.settings import CONCURRENCY_VARIABLE
from logai_cloudwatch.source import CloudWatchSource

ROOT = Path(__file__).resolve().parents[2]


def test_plugin_registers_the_cloudwatch_source() -> None:
    with isolated_host(("cloudwatch", plugin), builtins=False):
        registered = data_sources()
        source = create_data_source(load_settings())

    inner = getattr(source, "inner", source)  # core may wrap it in its cache
    assert registered["cloudwatch"].plugin == "cloudwatch"
    assert isinstance(inner, CloudWatchSource)
    assert isinstance(source, DataSource)
    assert source.name == "cloudwatch" and source.supports_query


def test_entry_point_names_the_plugin_module() -> None:
    project = tomllib.loads((ROOT / "logai-cloudwatch" / "pyproject.toml").read_text("utf-8"))

    assert project["project"]["entry-points"]["logai"]["cloudwatch"] == plugin.__name__


def test_importing_the_plugin_and_creating_the_source_does_not_import_boto3() -> None:
    code = (
        "import sys, json\n"
        "from logai.config import load_settings\n"
        "import logai_cloudwatch.plugin as p\n"
        "seen = []\n"
        "p.register_data_sources(lambda name, factory: seen.append(factory))\n"
        "source = seen[0](load_settings())\n"
        "source.describe()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('boto3', 'botocore', 'tenacity'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert json.loads(out.stdout) == []


def test_source_declares_its_capabilities() -> None:
    assert CloudWatchSource.name == "cloudwatch"
    assert CloudWatchSource.supports_query is True
    assert "Logs Insights" in CloudWatchSource.query_language
    assert 60 <= CloudWatchSource.ingestion_delay_seconds <= 900


def test_concurrency_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONCURRENCY_VARIABLE, "3")
    source = CloudWatchSource.from_settings(load_settings())

    assert source._max_concurrency == 3


def test_concurrency_comes_from_the_env_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plugin reads ``.env`` like core does: a value written there is not ignored."""
    env_file = tmp_path / "settings.env"
    env_file.write_text(f"{CONCURRENCY_VARIABLE}=5\n", encoding="utf-8")
    monkeypatch.delenv(CONCURRENCY_VARIABLE, raising=False)
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))

    assert CloudWatchSource.from_settings(load_settings())._max_concurrency == 5
    shown = CliRunner().invoke(cli, ["config", "show"]).stdout
    (row,) = [line for line in shown.splitlines() if line.startswith(CONCURRENCY_VARIABLE)]
    assert " 5 " in row and "settings.env" in row


@pytest.mark.parametrize("value", ["0", "lots", "1000"])
def test_bad_concurrency_is_a_clear_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONCURRENCY_VARIABLE, value)
    with pytest.raises(SourceValidationError, match=CONCURRENCY_VARIABLE):
        CloudWatchSource.from_settings(load_settings())
