"""The CloudWatch plugin's own settings, read like core's: environment first, then ``.env``.

Reading ``os.environ`` directly would miss the ``.env`` file (and ``LOGAI_ENV_FILE``), so a
value written there would be silently ignored while ``logai config show`` did not list it.
"""

from __future__ import annotations

from pydantic import Field

from logai.plugin_settings import PluginSettings

#: The variable, spelt out (messages and ``.env.example`` name it).
CONCURRENCY_VARIABLE = "LOGAI_CLOUDWATCH_MAX_CONCURRENCY"
DEFAULT_CONCURRENCY = 8
#: AWS's default quota of concurrent Logs Insights queries per account and region (the
#: StartQuery reference: "up to 30 concurrent CloudWatch Logs Insights queries, including
#: queries that have been added to dashboards"); a higher quota can be granted on request.
DEFAULT_QUERY_CONCURRENCY = 30
MAX_QUERY_CONCURRENCY = 100


class CloudWatchSettings(PluginSettings):
    """Settings of the ``cloudwatch`` data source (prefix ``LOGAI_CLOUDWATCH_``)."""

    model_config = PluginSettings.config(env_prefix="LOGAI_CLOUDWATCH_")

    max_concurrency: int = Field(default=DEFAULT_CONCURRENCY, ge=1, le=64)
    """How many log groups one search fetches at once (1-64); lower it if you are throttled."""

    insights_concurrency: int = Field(
        default=DEFAULT_QUERY_CONCURRENCY, ge=1, le=MAX_QUERY_CONCURRENCY
    )
    """Logs Insights queries kept running at once per account and region (1-100): the account's
    concurrent-query quota; lower it when dashboards or colleagues share the quota."""


def load_cloudwatch_settings() -> CloudWatchSettings:
    """The plugin's settings, or a :class:`SourceValidationError` naming the bad variable."""
    from logai.config import ConfigError
    from logai.sources.base import SourceValidationError

    try:
        return CloudWatchSettings.load()
    except ConfigError as exc:
        detail = " ".join(line.strip().removeprefix("- ") for line in str(exc).splitlines()[1:])
        raise SourceValidationError(detail or str(exc)) from None
