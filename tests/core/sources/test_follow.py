"""``DataSource.follow``'s generic form: polling ``fetch_logs`` with an overlap and event ids.

Every ``anext`` is one poll (the interval is tiny), so each test reads like a timeline: write,
poll, look. The files source follows real files on disk; the cache never stands in between.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from logai.cache import CachedDataSource, LogCache
from logai.sources.base import DataSource, LogEvent, SourceNotFound
from logai.sources.files import FilesSource
from logai.sources.follow import FollowPolicy, poll_follow
from tests.fakes.memory_source import MemorySource

START = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=30)


def _event(seconds: float, text: str, group: str = "app", event_id: str = "") -> LogEvent:
    return LogEvent(START + timedelta(seconds=seconds), text, group, "s", event_id or text)


def _add(source: MemorySource, *events: LogEvent) -> None:
    source.events = sorted([*source.events, *events], key=lambda event: event.timestamp)
    source.groups = sorted({*source.groups, *(event.group for event in events)})


def _texts(batch: list[LogEvent]) -> list[str]:
    return [event.message for event in batch]


def _follow(source: DataSource, *groups: str, **policy: object) -> AsyncIterator[list[LogEvent]]:
    rules = FollowPolicy(**{"poll_interval": 0.001, **policy})  # type: ignore[arg-type]
    return poll_follow(source, list(groups), policy=rules, start=START)


async def test_each_poll_yields_only_events_not_shown_before() -> None:
    source = MemorySource([_event(-5, "before the start"), _event(1, "a")])
    polls = _follow(source, "app")

    first = await anext(polls)
    _add(source, _event(2, "b"), _event(3, "c"))
    second = await anext(polls)
    third = await anext(polls)  # nothing new: an empty batch
    await polls.aclose()

    assert (_texts(first), _texts(second), third) == (["a"], ["b", "c"], [])


async def test_a_late_event_inside_the_overlap_is_still_shown_once() -> None:
    source = MemorySource([_event(10, "newest")])
    polls = _follow(source, "app", overlap=60)

    first = await anext(polls)
    _add(source, _event(4, "arrived late, stamped earlier"))
    second = await anext(polls)
    third = await anext(polls)
    await polls.aclose()

    assert _texts(first) == ["newest"]
    assert _texts(second) == ["arrived late, stamped earlier"]
    assert third == []


async def test_a_full_page_is_read_on_at_once() -> None:
    source = MemorySource([_event(i / 10, f"e{i}") for i in range(7)])
    polls = _follow(source, "app", page=2)

    first = await anext(polls)
    await polls.aclose()

    assert _texts(first) == [f"e{i}" for i in range(7)]


async def test_several_groups_merge_in_time_order_and_filter_applies() -> None:
    source = MemorySource([_event(2, "x ERROR", "b"), _event(1, "y ERROR", "a"), _event(3, "ok")])
    polls = poll_follow(
        source, ["a", "b", "app"], "ERROR", policy=FollowPolicy(poll_interval=0.001), start=START
    )

    first = await anext(polls)
    await polls.aclose()

    assert [(event.group, event.message) for event in first] == [("a", "y ERROR"), ("b", "x ERROR")]


async def test_an_unknown_group_fails_the_first_poll() -> None:
    polls = _follow(MemorySource([_event(1, "a")]), "app", "apq")

    with pytest.raises(SourceNotFound, match="apq"):
        await anext(polls)


async def test_the_default_follow_of_any_source_polls() -> None:
    source = MemorySource([_event(1, "a")])
    polls = source.follow(["app"], poll_interval=0.001, start=START)

    first = await anext(polls)
    _add(source, _event(2, "b"))
    second = await anext(polls)
    await polls.aclose()  # type: ignore[attr-defined]

    assert (_texts(first), _texts(second)) == (["a"], ["b"])


async def test_the_files_source_follows_lines_appended_to_a_file(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    old = START - timedelta(minutes=5)
    log.write_text(f"{old.isoformat(timespec='milliseconds')} written before the start\n")
    source = FilesSource(tmp_path)
    polls = source.follow(["app.log"], poll_interval=0.001, start=START)

    def append(seconds: int, text: str) -> None:
        with log.open("a") as file:
            stamp = (START + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
            file.write(f"{stamp} {text}\n")
        now = datetime.now(UTC).timestamp()
        os.utime(log, (now, now))

    first = await anext(polls)
    append(1, "first new line")
    append(2, "second new line")
    second = await anext(polls)
    append(3, "third new line")
    third = await anext(polls)
    fourth = await anext(polls)
    await polls.aclose()  # type: ignore[attr-defined]

    assert first == []
    assert [text.split(" ", 1)[1] for text in _texts(second)] == [
        "first new line",
        "second new line",
    ]
    assert [text.split(" ", 1)[1] for text in _texts(third)] == ["third new line"]
    assert fourth == []


async def test_following_through_the_cache_is_following_the_source(tmp_path: Path) -> None:
    """Cache on equals cache off: a live entry cached a moment ago hides nothing new."""
    bare, wrapped = MemorySource([_event(1, "a")]), MemorySource([_event(1, "a")])
    cached = CachedDataSource(wrapped, LogCache(tmp_path / "cache.db"), namespace="test")
    # A fetch of the live range through the cache stores an entry a follow must not serve.
    await cached.fetch_logs("app", START, datetime.now(UTC) + timedelta(minutes=1))
    seen: dict[str, list[list[str]]] = {}
    for name, source in (("off", bare), ("on", cached)):
        polls = source.follow(["app"], poll_interval=0.001, start=START)
        batches = [_texts(await anext(polls))]
        _add(bare if source is bare else wrapped, _event(2, "b"))
        batches.append(_texts(await anext(polls)))
        await polls.aclose()  # type: ignore[attr-defined]
        seen[name] = batches
    await cached.aclose()

    assert seen["on"] == seen["off"] == [["a"], ["b"]]
