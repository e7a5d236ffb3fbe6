"""The CloudWatch plugin's own settings, read like core's: environment first, then ``.env``.

Reading ``os.environ`` directly would miss the ``.env`` file (and ``LOGAI_ENV_FILE``), so a
value written there would be silently ignored while ``logai config show`` did not list it.
"""

from __future__ import annotations

from pydantic import Field

from logai.plugin_settings import PluginSettings

#: The one variable, spelt out (messages and ``.env.example`` name it).
CONCURRENCY_VARIABLE = "LOGAI_CLOUDWATCH_MAX_CONCURRENCY"
DEFAULT_CONCURRENCY = 8


class CloudWatchSettings(PluginSettings):
    """Settings of the ``cloudwatch`` data source (prefix ``LOGAI_CLOUDWATCH_``)."""

    model_config = PluginSettings.config(env_prefix="LOGAI_CLOUDWATCH_")

    max_concurrency: int = Field(default=DEFAULT_CONCURRENCY, ge=1, le=64)
    """How many log groups one search fetches at once (1-64); lower it if you are throttled."""
