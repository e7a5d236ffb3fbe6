"""The history store on real SQLite files: several processes, schema upgrades, damage, purging."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from logai.history import HistoryStore
from logai.history.store import NewToolCall, NewUsage, TurnOutcome
from logai.sanitize import PlaceholderEntry

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _outcome(answer: str = "fine", **changes: object) -> TurnOutcome:
    values: dict[str, object] = {
        "status": "ok",
        "answer": answer,
        "error": None,
        "system": "You answer questions about logs.",
        "messages": [
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": answer},
        ],
        "redactions": {},
        "iterations": 1,
        "tool_calls": [
            NewToolCall("c1", "fetch_logs", {"log_group": "/app"}, True, "3 events", 0.2, 3, "hit")
        ],
        "usage": [NewUsage("m", 10, 2, None, T0)],
        "placeholders": [PlaceholderEntry("EMAIL", 1, "a@x.org", "A@x.org")],
    }
    values.update(changes)
    return TurnOutcome(**values)  # type: ignore[arg-type]


async def _conversation(store: HistoryStore, title: str, answer: str = "fine") -> int:
    conversation_id = await store.start_conversation(title=title, frontend="test")
    assert conversation_id is not None
    turn = await store.start_turn(conversation_id, question=title, model="m", source="s", target="")
    assert turn is not None
    assert await store.finish_turn(conversation_id, turn, _outcome(answer))
    return conversation_id


async def test_round_trip_of_a_turn(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h" / "history.sqlite3")
    conversation_id = await _conversation(store, "why <EMAIL_1>?")
    saved = await store.load(conversation_id)
    await store.aclose()
    assert saved is not None
    (turn,) = saved.turns
    assert turn.tool_calls[0].cache == "hit" and turn.tool_calls[0].events == 3
    assert turn.usage[0].cost_usd is None and turn.usage[0].prompt_tokens == 10
    assert saved.restore(saved.title) == "why A@x.org?"
    assert "A@x.org" not in repr(saved)


async def test_ids_are_never_reused(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    first = await _conversation(store, "one")
    second = await _conversation(store, "two")
    assert await store.delete(second)
    third = await _conversation(store, "three")
    await store.aclose()
    assert third > second > first


async def test_purge_older_than_uses_the_last_activity(tmp_path: Path) -> None:
    clock = Clock()
    store = HistoryStore(tmp_path / "history.sqlite3", now=clock)
    old = await _conversation(store, "old")
    clock.now = T0 + timedelta(days=40)
    recent = await _conversation(store, "recent")
    removed = await store.purge(clock.now - timedelta(days=30))
    remaining = [summary.id for summary in await store.list()]
    assert (removed, remaining) == (1, [recent])
    assert await store.load(old) is None
    assert await store.purge() == 1 and await store.list() == []
    await store.aclose()


async def test_a_damaged_file_is_moved_aside_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database at all, just some bytes" * 100)
    warnings: list[str] = []
    store = HistoryStore(path, warn=warnings.append)
    conversation_id = await _conversation(store, "after the damage")
    await store.aclose()
    assert conversation_id == 1 and store.available
    assert len(warnings) == 1 and "moved it to history.sqlite3.corrupt-" in warnings[0]
    assert await asyncio.to_thread(lambda: list(tmp_path.glob("history.sqlite3.corrupt-*")))


async def test_an_unusable_directory_turns_history_off_not_the_question(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the directory should be")
    warnings: list[str] = []
    store = HistoryStore(blocker / "history.sqlite3", warn=warnings.append)
    assert await store.start_conversation(title="x", frontend="test") is None
    assert await store.list() == []
    await store.aclose()
    assert not store.available and len(warnings) == 1
    assert "answers still work" in warnings[0]


async def test_schema_is_migrated_forward_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import Column, Connection, Integer, MetaData, Table, select

    from logai.history import _schema

    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    await _conversation(store, "written by version 1")
    await store.aclose()

    steps: list[int] = []
    extra = Table("extra", MetaData(), Column("n", Integer))

    def create_v2(connection: Connection) -> None:
        steps.append(2)
        extra.create(connection)

    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(_schema._MIGRATIONS, 2, create_v2)
    for _ in range(2):
        upgraded = HistoryStore(path)
        assert [s.title for s in await upgraded.list()] == ["written by version 1"]

        async def version(connection: object) -> int:
            return int(await connection.scalar(select(_schema.schema_version.c.version)))  # type: ignore[attr-defined]

        assert await upgraded._run(version, 0) == 2
        await upgraded.aclose()
    assert steps == [2]


async def test_a_file_from_a_newer_logai_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logai.history import _schema

    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    await _conversation(store, "from the future")
    await store.aclose()
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 0)
    older = HistoryStore(path)
    assert await older.list() == []
    await older.aclose()
    assert older.problem and "newer LogAI" in older.problem
    assert path.exists()


_WRITER = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from logai.history import HistoryStore
    from tests.core.history.test_store import _conversation

    async def main(path, name, count):
        store = HistoryStore(Path(path))
        flags = Path(sys.argv[4])
        (flags / (name + ".ready")).touch()
        while not (flags / "go").exists():  # both start writing together
            time.sleep(0.01)
        for n in range(count):
            await _conversation(store, f"{name}-{n}", answer=f"answer {name}-{n}")
        await store.aclose()
        assert store.available, store.problem

    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    """
)


@pytest.mark.slow
def test_two_processes_write_history_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "history.sqlite3"
    count = 25
    root = Path(__file__).resolve().parents[3]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name, str(count), str(tmp_path)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("left", "right")
    ]
    ready = [tmp_path / f"{name}.ready" for name in ("left", "right")]
    while not all(flag.exists() for flag in ready):
        assert all(writer.poll() is None for writer in writers), writers[0].communicate()
        time.sleep(0.02)
    (tmp_path / "go").touch()
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert "warning" not in err, err
    asyncio.run(_check_both_wrote(path, count))


async def _check_both_wrote(path: Path, count: int) -> None:
    store = HistoryStore(path)
    summaries = await store.list()
    titles = sorted(summary.title for summary in summaries)
    assert titles == sorted(f"{name}-{n}" for name in ("left", "right") for n in range(count))
    for summary in summaries:
        saved = await store.load(summary.id)
        assert saved is not None and saved.turns[0].answer == f"answer {summary.title}"
        assert saved.turns[0].status == "ok" and summary.questions == 1
    await store.aclose()
