"""Small asyncio helpers shared by the core, the sources and the frontends."""

from __future__ import annotations

__all__ = ["aclose"]


async def aclose(iterator: object) -> None:
    """Close an async iterator now if it can be closed (an async generator can; any object
    with an ``aclose`` coroutine method can).

    Leaving a generator to the garbage collector leaves what it holds open until then: a Live
    Tail session, an LLM stream, the tasks of a fetch. Callers do this in ``finally`` when they
    stop reading early; iterators without ``aclose`` have nothing to close.
    """
    close = getattr(iterator, "aclose", None)
    if close is not None:
        await close()
