"""An empty answer over files all written before the range began says how old they are."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.sources.files import FilesSource
from logai.sources.files.paths import LogFile
from logai.sources.files.window import describe_age, stale_files_note
from logai.sources.notes import collect_notes

DAY = 86_400


def _old_file(path: Path, line: str, days: float) -> None:
    """A file last written ``days`` ago; a ``{}`` in ``line`` becomes that moment's timestamp."""
    stamp = time.time() - days * DAY
    written = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(line.format(written))
    os.utime(path, (stamp, stamp))


def _fetch(root: Path, group: str, start: datetime, pattern: str | None = None) -> list[str]:
    async def main() -> object:
        return await FilesSource(root).fetch_logs(group, start, datetime.now(UTC), pattern)

    with collect_notes() as notes:
        asyncio.run(main())
    return notes


def test_the_last_hour_over_old_files_says_how_old_the_newest_is(tmp_path: Path) -> None:
    _old_file(tmp_path / "app.log", "{} ERROR boom\n", days=3)
    notes = _fetch(tmp_path, "app.log", datetime.now(UTC) - timedelta(hours=1))
    assert len(notes) == 1
    assert "the newest event in the file searched is 3 days old" in notes[0]
    assert "earlier start" in notes[0]


def test_several_files_name_the_newest(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    _old_file(tmp_path / "app" / "a.log", "{} x\n", days=10)
    _old_file(tmp_path / "app" / "b.log", "{} y\n", days=2)
    notes = _fetch(tmp_path, "app", datetime.now(UTC) - timedelta(hours=1))
    assert notes and "the newest event in the 2 files searched is 2 days old" in notes[0]


def test_no_note_when_a_file_is_recent_but_nothing_matched(tmp_path: Path) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tmp_path / "app.log").write_text(f"{now} INFO fine\n")
    assert _fetch(tmp_path, "app.log", datetime.now(UTC) - timedelta(hours=1), "ERROR") == []


def test_logs_command_prints_the_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _old_file(tmp_path / "app.log", "2026-01-01T10:00:00Z ERROR boom\n", days=5)
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(tmp_path))
    result = CliRunner().invoke(cli, ["logs", "app.log"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "logai: note: nothing in the time range: the newest event in the file searched is" in (
        result.stderr
    )
    assert "(2026-01-01T10:00:00Z)" in result.stderr  # read from the file, not its mtime


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "less than a minute"), (60, "1 minute"), (7200, "2 hours"), (DAY, "1 day")],
)
def test_ages_read_naturally(seconds: float, text: str) -> None:
    assert describe_age(seconds) == text


def test_the_newest_event_comes_from_the_file_not_its_mtime(tmp_path: Path) -> None:
    log = tmp_path / "fresh-copy.log"
    log.write_text("2023-11-14T22:13:20Z INFO a\n2023-11-14T21:00:00Z INFO out of order\n")
    item = LogFile(log, log.name, log.stat().st_size, mtime_ms=int(time.time() * 1000))
    note = stale_files_note(
        [item], start_ms=1_800_000_000_000, now_ms=1_700_000_000_000 + 3_600_000
    )
    assert note == (
        "nothing in the time range: the newest event in the file searched is 1 hour old "
        "(2023-11-14T22:13:20Z); ask for an earlier start (e.g. --since) to read them."
    )
    assert stale_files_note([item], start_ms=1_600_000_000_000) is None
    assert stale_files_note([], start_ms=0) is None


def test_a_recent_file_without_timestamps_gets_no_note(tmp_path: Path) -> None:
    log = tmp_path / "plain.log"
    log.write_text("no timestamps here\n")
    item = LogFile(log, log.name, log.stat().st_size, mtime_ms=int(time.time() * 1000))
    assert stale_files_note([item], start_ms=int(time.time() * 1000) - 3_600_000) is None
