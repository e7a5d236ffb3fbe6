from collections.abc import Callable

from logai import hookimpl


@hookimpl
def register_data_sources(reg: Callable[..., None]) -> None:
    reg("never", object)
