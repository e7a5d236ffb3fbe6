from collections.abc import Callable
from typing import Any

from logai import hookimpl


class HalfProvider:
    name = "not-a-provider"

    def complete(self, prompt: str) -> str:
        return ""


def create(settings: Any) -> Any:
    return HalfProvider()


@hookimpl
def register_llm_providers(register: Callable[..., None]) -> None:
    register("not-a-provider", create)
