"""Scripted stand-ins for the orchestrator and the cache, so the TUI runs without an LLM.

:class:`ScriptedBackend` implements the orchestrator protocol the TUI relies on: ``ask`` is an
async generator that yields a scripted list of events with small sleeps (so streaming is
really incremental), notices when it is closed or cancelled, and ends with ``Done`` when the
script does not say otherwise.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from logai.cache import CacheStats
from logai.config import LogAISettings
from logai.llm.events import Done, Event, TextDelta
from logai.plugins import PluginHost
from logai.sources.base import DataSource

FIXED_MODEL = "anthropic/claude-test"

Script = Sequence[Event | float]
"""Events to yield; a float is a pause of that many seconds."""


def text_deltas(text: str, size: int = 6) -> list[Event]:
    """``text`` cut into deltas of ``size`` characters, the way an LLM streams."""
    return [TextDelta(text[i : i + size]) for i in range(0, len(text), size)]


@dataclass
class ScriptedBackend:
    """The orchestrator protocol, answering from scripts queued with :meth:`script`."""

    delay: float = 0.002
    placeholders: dict[str, str] = field(default_factory=dict)
    model_name: str = FIXED_MODEL
    scripts: list[Script] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    cleared: int = 0
    warmed: bool = False
    closed: list[str] = field(default_factory=list)
    """Questions whose generator was closed before it finished (cancel reached it)."""
    finished: list[str] = field(default_factory=list)
    source: DataSource | None = None
    """What ``data_source()`` returns (``/follow`` reads it); None: no data source."""

    @property
    def model(self) -> str:
        return self.model_name

    def script(self, *events: Event | float) -> ScriptedBackend:
        self.scripts.append(list(events))
        return self

    async def warm_up(self) -> None:
        await asyncio.sleep(0)
        self.warmed = True

    async def data_source(self) -> DataSource:
        if self.source is None:
            raise RuntimeError("no data source in this test")
        return self.source

    def clear(self) -> None:
        self.cleared += 1

    def restore(self, text: str) -> str:
        return re.sub(r"<[A-Z]+_\d+>", lambda m: self.placeholders.get(m[0], m[0]), text)

    async def ask(self, question: str) -> AsyncIterator[Event]:
        self.questions.append(question)
        script = self.scripts.pop(0) if self.scripts else [TextDelta("(no script)")]
        completed = False
        try:
            text = []
            for item in script:
                if isinstance(item, float):
                    await asyncio.sleep(item)
                    continue
                await asyncio.sleep(self.delay)
                if isinstance(item, TextDelta):
                    text.append(item.text)
                yield item
                if isinstance(item, Done):
                    completed = True
                    return
            yield Done("".join(text), iterations=1)
            completed = True
        finally:
            if completed:
                self.finished.append(question)
            else:
                self.closed.append(question)


def factory_for(backend: ScriptedBackend) -> Callable[[LogAISettings, PluginHost | None], object]:
    """An ``orchestrator_factory`` returning ``backend``."""

    def build(settings: LogAISettings, host: PluginHost | None) -> ScriptedBackend:
        return backend

    return build


@dataclass
class FakeCache:
    """Fixed cache figures, and a record of clears."""

    enabled: bool = True
    entries: int = 12
    hits: int = 9
    misses: int = 3
    clears: int = 0

    async def stats(self) -> CacheStats:
        return CacheStats(
            path=Path("/home/oncall/.logai/cache/cache.db"),
            entries=self.entries,
            bytes=3 * 1024 * 1024 + 200 * 1024,
            max_bytes=500 * 1024 * 1024,
            hits=self.hits,
            misses=self.misses,
            oldest=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
            newest=datetime(2026, 11, 25, 17, 5, tzinfo=UTC),
        )

    async def clear(self) -> int:
        removed, self.entries = self.entries, 0
        self.hits = self.misses = 0
        self.clears += 1
        return removed
