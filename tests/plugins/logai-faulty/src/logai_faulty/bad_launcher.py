from collections.abc import Callable
from typing import Any

from logai import hookimpl


def launch(settings: Any, host: Any) -> int:
    return 0


@hookimpl
def register_frontends(register: Callable[..., None]) -> None:
    register("bad-launcher", launch, priority=1000)
