from collections.abc import Callable
from typing import Any

from logai import hookimpl


def create(settings: Any) -> Any:
    raise KeyError("FAULTY_URL")


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("factory-raises", create)
