"""Closing the cache before its event loop ends, whatever interrupted the work.

aiosqlite connections belong to the loop that opened them. Work cancelled half-way through a
transaction, or a loop closed while a sweep still ran, made SQLAlchemy's pool reset a connection
whose driver call had been cancelled, and print the traceback of that on stderr.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from logai.cache import LogCache, store
from tests.core.cache.conftest import MakeCache


async def test_a_cancelled_caller_does_not_cut_the_transaction_short(
    make_cache: MakeCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache = make_cache()
    caplog.set_level(logging.WARNING)
    await cache.set("warm", b"v", source="s", kind="k", ttl=60)
    # Cancel writers at every point of their transaction, a fraction of a millisecond apart.
    for step in range(80):
        write = asyncio.create_task(cache.set(f"k{step}", b"v", source="s", kind="k", ttl=60))
        await asyncio.sleep(step * 0.0002)
        write.cancel()
        await asyncio.gather(write, return_exceptions=True)
    await cache.aclose()
    assert [record.getMessage() for record in caplog.records] == []
    assert cache.available and await cache.get("warm") == b"v"
    await cache.aclose()


def test_close_open_caches_closes_what_this_loop_opened(make_cache: MakeCache) -> None:
    caches = [make_cache(), make_cache()]

    async def use_and_forget() -> None:
        for cache in caches:
            await cache.set("k", b"v", source="s", kind="k", ttl=60)  # starts a sweep too
        assert {id(cache) for cache in store._OPEN} >= {id(cache) for cache in caches}
        await store.close_open_caches()

    asyncio.run(use_and_forget())
    assert not [cache for cache in store._OPEN if cache in caches]
    assert all(cache._engine is None and not cache._running for cache in caches)


def test_aclose_finishes_even_when_its_caller_is_cancelled(make_cache: MakeCache) -> None:
    cache: LogCache = make_cache()

    async def main() -> None:
        await cache.set("k", b"v", source="s", kind="k", ttl=60)
        closing = asyncio.create_task(cache.aclose())
        await asyncio.sleep(0)
        closing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await closing
        assert cache._engine is None

    asyncio.run(main())
