"""Background sweeping of expired entries and size-cap eviction, off the question's path.

A sweep is started as a task after a write, at most once per interval (or sooner when a lot
has been written since the last one), and nobody awaits it except :meth:`Janitor.aclose` at
shutdown. The first write of a session sweeps at once, clearing what earlier sessions left.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime

from logai.clock import Clock

__all__ = ["Janitor"]


class Janitor:
    """Schedules ``sweep`` after writes, never more often than ``interval`` seconds."""

    def __init__(
        self,
        sweep: Callable[[], Awaitable[object]],
        *,
        interval: float,
        clock: Clock,
        byte_budget: int,
    ) -> None:
        self._sweep = sweep
        self._interval = interval
        self._clock = clock
        self._byte_budget = byte_budget
        self._last: datetime | None = None
        self._written = 0
        self._task: asyncio.Task[None] | None = None
        self.sweeps = 0

    def note_write(self, size: int) -> None:
        """Record a write of ``size`` bytes and start a sweep if one is due."""
        self._written += size
        now = self._clock()
        due = (
            self._last is None
            or (now - self._last).total_seconds() >= self._interval
            or self._written >= self._byte_budget
        )
        if not due or (self._task is not None and not self._task.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._last, self._written = now, 0
        self._task = loop.create_task(self._run(), name="logai-cache-sweep")

    async def _run(self) -> None:
        self.sweeps += 1
        # The sweep swallows its own cache errors; anything else must still not surface as an
        # "exception was never retrieved" message in the middle of a frontend.
        with contextlib.suppress(Exception):
            await self._sweep()

    async def wait(self) -> None:
        """Wait for a running sweep (tests, and shutdown)."""
        task = self._task
        if task is None or task.done():
            return
        if task.get_loop() is not asyncio.get_running_loop():
            return  # started in an event loop that is gone; nothing to wait for
        await asyncio.shield(task)

    async def aclose(self) -> None:
        """Let a running sweep finish: it is short, and cancelling mid-write gains nothing."""
        await self.wait()
