from collections.abc import Callable

from logai import hookimpl


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("not-a-source", lambda settings: {"groups": []})
