"""A third-party frontend at priority 10: never the default while the TUI (100) is installed."""

from __future__ import annotations

from collections.abc import Callable

from logai import hookimpl
from logai.registries import FrontendContext


def launch(context: FrontendContext) -> int:
    print(f"web frontend would serve data source {context.settings.data_source}")
    return 0


@hookimpl
def register_frontends(register: Callable[..., None]) -> None:
    register("web", launch, priority=10)
