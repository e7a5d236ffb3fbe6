from collections.abc import Callable
from typing import Any

from logai import hookimpl
from logai.sources import LogGroup
from logai_faulty import QuietSource


class SyncSource(QuietSource):
    def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> Any:  # type: ignore[override]
        return [LogGroup("/sync")]


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("sync-source", SyncSource)
