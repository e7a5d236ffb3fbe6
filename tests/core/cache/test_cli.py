"""``logai cache status|clear``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cache import LogCache
from logai.cli.cache_cmd import cache as cache_command


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    """The file the autouse config fixture points LOGAI_CACHE_DIR at."""
    return tmp_path / "cache" / "cache.sqlite3"


def _seed(path: Path) -> None:
    async def seed() -> None:
        cache = LogCache(path)
        try:
            for index in range(3):
                await cache.set(f"k{index}", b"event line\n" * 500, source="s", kind="k", ttl=600)
            await cache.get("k0")
            await cache.get("k0")
            await cache.get("k1")
            await cache.get("missing")
        finally:
            await cache.aclose()

    asyncio.run(seed())


def test_status_reports_entries_size_hit_rate_and_ages(cache_file: Path) -> None:
    _seed(cache_file)
    result = CliRunner().invoke(cache_command, ["status"])
    assert result.exit_code == 0, result.output
    assert str(cache_file) in result.output
    assert "Entries     3" in result.output
    assert "Hit rate    75.0% (3 hits, 1 misses)" in result.output
    assert "of 500.0 MB" in result.output
    assert "Oldest" in result.output and "UTC" in result.output


def test_status_json(cache_file: Path) -> None:
    _seed(cache_file)
    result = CliRunner().invoke(cache_command, ["status", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["entries"] == 3
    assert report["hit_rate"] == 0.75
    assert report["enabled"] is True
    assert report["oldest"] and report["newest"]
    assert report["problem"] is None


def test_status_without_a_cache_file_creates_nothing(cache_file: Path) -> None:
    result = CliRunner().invoke(cache_command, ["status", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["entries"] == 0
    assert not cache_file.parent.exists()


def test_status_shows_a_disabled_cache(cache_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_CACHE_ENABLED", "false")
    result = CliRunner().invoke(cache_command, ["status"])
    assert result.exit_code == 0
    assert "disabled (LOGAI_CACHE_ENABLED=false)" in result.output


def test_clear_empties_the_cache(cache_file: Path) -> None:
    _seed(cache_file)
    result = CliRunner().invoke(cache_command, ["clear"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Removed 3 entries")
    status = json.loads(CliRunner().invoke(cache_command, ["status", "--json"]).output)
    assert (status["entries"], status["hits"], status["misses"]) == (0, 0, 0)


def test_clear_removes_damaged_files_moved_aside(cache_file: Path) -> None:
    _seed(cache_file)
    aside = cache_file.with_name("cache.sqlite3.corrupt-20260101T000000Z")
    aside.write_bytes(b"old damaged copy")
    assert CliRunner().invoke(cache_command, ["clear"]).exit_code == 0
    assert not aside.exists()


def test_clear_without_a_cache_file(cache_file: Path) -> None:
    result = CliRunner().invoke(cache_command, ["clear"])
    assert result.exit_code == 0
    assert "already empty" in result.output


def test_status_of_an_unusable_cache_exits_1(cache_file: Path) -> None:
    _seed(cache_file)
    import sqlite3

    with sqlite3.connect(cache_file) as raw:
        raw.execute("UPDATE schema_version SET version = 99")
    result = CliRunner().invoke(cache_command, ["status"])
    assert result.exit_code == 1
    assert "unusable" in result.output
