"""A data source whose settings live under ``LOGAI_DEMO_`` (environment or ``.env``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import Field, SecretStr

from logai import hookimpl
from logai.config import Problem
from logai.plugin_settings import PluginSettings
from logai.sources import DataSource, LogEvent, LogGroup


class DemoSettings(PluginSettings):
    model_config = PluginSettings.config(env_prefix="LOGAI_DEMO_")

    url: str = "http://localhost:3100"
    """Base URL of the demo backend."""

    token: SecretStr | None = None
    """API token of the demo backend."""

    page_size: int = Field(default=100, ge=1)
    """Events per request."""

    def problems(self) -> list[Problem]:
        if not self.url.startswith(("http://", "https://")):
            return [Problem("error", "LOGAI_DEMO_URL", "must be an http:// or https:// URL.")]
        return []


class DemoSource(DataSource):
    name = "settings-demo"
    cacheable = False

    def __init__(self, settings: Any) -> None:
        self.own = DemoSettings.load()

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return [LogGroup(f"{self.own.url} page={self.own.page_size}")]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        return []

    async def search_logs(
        self,
        groups: Sequence[str],
        pattern: str,
        start: datetime,
        end: datetime,
        limit: int = 1000,
        *,
        prefixes: Sequence[str] = (),
    ) -> list[LogEvent]:
        return []


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("settings-demo", DemoSource)


@hookimpl
def register_settings(register: Callable[..., None]) -> None:
    register(DemoSettings)
