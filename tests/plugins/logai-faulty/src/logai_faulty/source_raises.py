from collections.abc import Callable

from logai import hookimpl
from logai.sources import LogGroup
from logai_faulty import QuietSource


class RaisingSource(QuietSource):
    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        raise ValueError("bad page token 'x1'")


@hookimpl
def register_data_sources(register: Callable[..., None]) -> None:
    register("source-raises", RaisingSource)
