"""Entry point of the ``logai-cloudwatch`` plugin: registers the ``cloudwatch`` data source.

This module is imported on every ``logai`` start, so its top level imports nothing but
:mod:`logai`; boto3 and the source are imported by the factory, only when CloudWatch is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai import hookimpl

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.hookspecs import RegisterDataSource, RegisterSettings
    from logai.sources.base import DataSource


def _create(settings: LogAISettings) -> DataSource:
    """Build the source lazily: this is where boto3 gets imported, not at startup.

    With ``LOGAI_AWS_TARGETS`` it is one source per target, answering as a target set.
    """
    from logai_cloudwatch.targets import build_source

    return build_source(settings)


@hookimpl
def register_data_sources(register: RegisterDataSource) -> None:
    """Offer CloudWatch Logs as the data source ``cloudwatch``."""
    register("cloudwatch", _create)


@hookimpl
def register_settings(register: RegisterSettings) -> None:
    """``LOGAI_CLOUDWATCH_*``: read from the environment and ``.env``, listed by ``config show``."""
    from logai_cloudwatch.settings import CloudWatchSettings

    register(CloudWatchSettings)
