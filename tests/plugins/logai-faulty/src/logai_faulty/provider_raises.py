from collections.abc import Callable
from typing import Any

from logai import hookimpl


def create(settings: Any) -> Any:
    raise RuntimeError("no model server configured")


@hookimpl
def register_llm_providers(register: Callable[..., None]) -> None:
    register("provider-raises", create)
