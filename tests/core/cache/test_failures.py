"""A broken cache never breaks a question: damaged files are rebuilt, anything else degrades."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from logai.cache import CachedDataSource, LogCache, cache_outcome, set_warning_handler
from logai.sqlite_store import engine as engine_module
from logai.sqlite_store.errors import describe_failure, is_corruption

from .conftest import T0, CountingSource, MakeCache, ManualClock

SETTLED = (T0.replace(hour=9), T0.replace(hour=10))


async def _fill(cache: LogCache, count: int = 40) -> None:
    for index in range(count):
        await cache.set(f"k{index}", os.urandom(3000), source="s", kind="k", ttl=600)
    await cache.aclose()


def _write_garbage(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database at all\n" * 100)


def _wreck_pages(path: Path) -> None:
    """Keep the header page, overwrite the b-tree pages: "database disk image is malformed"."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xa5" * (size - 4096 - 8192))


def _set_modes(path: Path, *, file_mode: int, dir_mode: int) -> None:
    path.chmod(file_mode)
    path.parent.chmod(dir_mode)


def _aside_files(cache_path: Path) -> list[Path]:
    return sorted(cache_path.parent.glob("cache.sqlite3.corrupt-*"))


async def test_file_that_is_not_a_database_is_moved_aside_and_rebuilt(
    cache_path: Path, make_cache: MakeCache, warnings_seen: list[str]
) -> None:
    _write_garbage(cache_path)
    cache = make_cache()
    assert await cache.set("k", b"v", source="s", kind="k", ttl=60)
    assert await cache.get("k") == b"v"
    assert cache.available
    aside = _aside_files(cache_path)
    assert [p.name for p in aside] == ["cache.sqlite3.corrupt-20260302T120000Z"]
    assert aside[0].read_bytes().startswith(b"this is not a database")
    assert len(warnings_seen) == 1 and "moved it to cache.sqlite3.corrupt-" in warnings_seen[0]


async def test_malformed_database_is_moved_aside_and_rebuilt(
    cache_path: Path, make_cache: MakeCache, warnings_seen: list[str]
) -> None:
    await _fill(make_cache())
    _wreck_pages(cache_path)
    cache = make_cache()
    assert await cache.get("k3") is None
    assert await cache.set("fresh", b"v", source="s", kind="k", ttl=60)
    assert await cache.get("fresh") == b"v"
    assert cache.available
    assert len(_aside_files(cache_path)) == 1
    assert len(warnings_seen) == 1 and "malformed" in warnings_seen[0]


async def test_locked_database_degrades_with_one_warning(
    cache_path: Path, make_cache: MakeCache, warnings_seen: list[str]
) -> None:
    cache = make_cache(busy_timeout=0.2)
    assert await cache.set("k", b"v", source="s", kind="k", ttl=60)
    blocker = sqlite3.connect(cache_path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        assert await cache.set("k2", b"v", source="s", kind="k", ttl=60) is False
        assert await cache.get("k") is None
        assert await cache.set("k3", b"v", source="s", kind="k", ttl=60) is False
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not cache.available
    assert cache.problem == "database is locked"
    assert len(warnings_seen) == 1
    assert "turned off for this session (database is locked)" in warnings_seen[0]
    assert (await cache.stats()).problem == "database is locked"


def _with_pragma(monkeypatch: pytest.MonkeyPatch, pragma: str) -> None:
    """Run ``pragma`` on every new cache connection (simulates conditions root cannot create)."""
    original = engine_module.create_cache_engine

    def patched(path: Path, *, busy_timeout: float) -> Any:
        from sqlalchemy import event

        engine = original(path, busy_timeout=busy_timeout)

        @event.listens_for(engine.sync_engine, "connect")
        def _apply(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        return engine

    monkeypatch.setattr(engine_module, "create_cache_engine", patched)


@pytest.mark.parametrize(
    ("pragma", "symptom"),
    [
        ("query_only = 1", "readonly"),  # a read-only file or mount
        ("max_page_count = 1", "full"),  # a full disk: the file may not grow
    ],
)
async def test_unwritable_database_still_answers_from_the_source(
    monkeypatch: pytest.MonkeyPatch,
    make_cache: MakeCache,
    clock: ManualClock,
    warnings_seen: list[str],
    pragma: str,
    symptom: str,
) -> None:
    _with_pragma(monkeypatch, pragma)
    source = CountingSource()
    cached = CachedDataSource(source, make_cache(), now=clock)
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "error"
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "bypass"
    assert len(source.calls) == 2
    assert len(warnings_seen) == 1 and symptom in warnings_seen[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
async def test_read_only_file_degrades(
    cache_path: Path, make_cache: MakeCache, warnings_seen: list[str]
) -> None:
    await _fill(make_cache(), count=1)
    _set_modes(cache_path, file_mode=0o400, dir_mode=0o500)
    try:
        cache = make_cache()
        assert await cache.set("k", b"v", source="s", kind="k", ttl=60) is False
        assert not cache.available
        assert len(warnings_seen) == 1
    finally:
        _set_modes(cache_path, file_mode=0o600, dir_mode=0o700)


async def test_unusable_cache_directory_degrades(
    tmp_path: Path, make_cache: MakeCache, clock: ManualClock, warnings_seen: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    source = CountingSource()
    cached = CachedDataSource(source, make_cache(path=blocker / "cache.sqlite3"), now=clock)
    await cached.list_log_groups()
    assert cache_outcome.get() == "error"
    assert len(source.calls) == 1
    assert len(warnings_seen) == 1


async def test_schema_from_a_newer_logai_is_left_alone(
    cache_path: Path, make_cache: MakeCache, warnings_seen: list[str]
) -> None:
    await _fill(make_cache(), count=1)
    with sqlite3.connect(cache_path) as raw:
        raw.execute("UPDATE schema_version SET version = 99")
    cache = make_cache()
    assert await cache.get("k0") is None
    assert not cache.available
    assert "newer LogAI" in warnings_seen[0]
    with sqlite3.connect(cache_path) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (99,)


@pytest.fixture
def routed_warnings() -> Iterator[list[str]]:
    seen: list[str] = []
    set_warning_handler(seen.append)
    yield seen
    set_warning_handler(None)


async def test_warnings_follow_the_process_wide_handler(
    tmp_path: Path, routed_warnings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cache = LogCache(blocker / "cache.sqlite3")
    await cache.get("k")
    await cache.get("k")
    assert len(routed_warnings) == 1
    assert capsys.readouterr().err == ""


async def test_default_warning_is_one_stderr_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cache = LogCache(blocker / "cache.sqlite3")
    await cache.get("k")
    await cache.set("k", b"v", source="s", kind="k", ttl=1)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("logai: warning: log cache turned off")


@pytest.mark.parametrize(
    ("error", "corrupt"),
    [
        (sqlite3.DatabaseError("file is not a database"), True),
        (sqlite3.DatabaseError("database disk image is malformed"), True),
        (sqlite3.OperationalError("database is locked"), False),
        (sqlite3.OperationalError("database or disk is full"), False),
        (sqlite3.OperationalError("attempt to write a readonly database"), False),
        (PermissionError(13, "Permission denied"), False),
    ],
)
def test_failures_are_classified(error: Exception, corrupt: bool) -> None:
    wrapped = RuntimeError("wrapper")
    wrapped.__cause__ = error
    assert is_corruption(wrapped) is corrupt
    assert describe_failure(wrapped)


def test_a_file_being_written_by_another_process_is_not_taken_for_damage(tmp_path: Path) -> None:
    """A header read mid-write (short or still zeros) must not make us move the file aside."""
    from logai.sqlite_store.files import has_foreign_header

    partial = tmp_path / "partial.db"
    partial.write_bytes(b"SQLite fo")
    zeros = tmp_path / "zeros.db"
    zeros.write_bytes(b"\0" * 4096)
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"this is not a database at all\n")
    assert not has_foreign_header(partial)
    assert not has_foreign_header(zeros)
    assert has_foreign_header(foreign)
