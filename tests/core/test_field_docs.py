"""Settings help comes from field docstrings, read when shown, the same text pydantic would read."""

from __future__ import annotations

from logai.config import LogAISettings, describe_settings, load_settings
from logai.field_docs import attribute_docstrings
from logai.plugin_settings import PluginSettings


class DemoSettings(PluginSettings):
    model_config = PluginSettings.config(env_prefix="LOGAI_DEMO_")

    endpoint: str = "http://localhost:9200"
    """Where the demo backend listens.

    Several lines are kept, dedented."""

    timeout: float = 5.0
    undocumented: int = 1


class StricterDemo(DemoSettings):
    endpoint: str = "https://localhost:9200"
    """The TLS endpoint."""


def test_every_core_setting_has_its_help() -> None:
    docs = attribute_docstrings(LogAISettings)
    assert set(docs) == set(LogAISettings.model_fields)
    assert docs["llm_provider"].startswith("LLM provider:")


def test_plugin_fields_subclasses_and_undocumented_fields() -> None:
    docs = attribute_docstrings(DemoSettings)
    assert docs == {
        "endpoint": "Where the demo backend listens.\n\nSeveral lines are kept, dedented."
    }
    assert attribute_docstrings(StricterDemo)["endpoint"] == "The TLS endpoint."


def test_config_show_rows_carry_the_help() -> None:
    rows = {row.variable: row for row in describe_settings(load_settings())}
    assert rows["LOGAI_LLM_PROVIDER"].help.startswith("LLM provider:")
