"""The cache holds raw log lines: its directory is 0700 and its files 0600, whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import MakeCache


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _make_world_readable_database(path: Path) -> None:
    path.parent.mkdir(parents=True)
    sqlite3.connect(path).close()
    path.chmod(0o644)


def _shared_folder(parent: Path) -> Path:
    shared = parent / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    return shared


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("permissive_umask")
async def test_new_directory_is_0700_and_files_are_0600(
    tmp_path: Path, make_cache: MakeCache
) -> None:
    path = tmp_path / "home" / ".logai" / "cache" / "cache.sqlite3"
    cache = make_cache(path=path)
    assert await cache.set("k", b"v" * 10_000, source="s", kind="k", ttl=60)
    # The pool keeps a connection open, so the write-ahead log and shared memory exist now.
    for folder in (path.parent, path.parent.parent):
        assert _mode(folder) == 0o700
    for name in ("cache.sqlite3", "cache.sqlite3-wal", "cache.sqlite3-shm"):
        assert (path.parent / name).exists(), name
        assert _mode(path.parent / name) == 0o600, name


async def test_existing_loose_files_are_tightened(cache_path: Path, make_cache: MakeCache) -> None:
    _make_world_readable_database(cache_path)
    cache = make_cache()
    assert await cache.set("k", b"v", source="s", kind="k", ttl=60)
    assert _mode(cache_path) == 0o600


async def test_existing_directory_keeps_its_mode(tmp_path: Path, make_cache: MakeCache) -> None:
    shared = _shared_folder(tmp_path)
    cache = make_cache(path=shared / "cache.sqlite3")
    assert await cache.set("k", b"v", source="s", kind="k", ttl=60)
    assert _mode(shared) == 0o755
    assert _mode(shared / "cache.sqlite3") == 0o600
