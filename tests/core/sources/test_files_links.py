"""Files the ``files`` source cannot read are skipped and named, never fatal for their folder.

Real files, symlinks and FIFOs in tmp_path: a link out of the root, a broken link, a link loop,
a folder linked into itself and out of the root, a FIFO (opening it would block), and a file
this user may not read (not testable as root, who reads everything).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner

from logai.config import load_settings
from logai.sources import SourceAccessDenied, SourceNotFound, SourceValidationError
from logai.sources.files import FilesSource
from logai.sources.notes import collect_notes
from logai.tools.base import ToolContext
from logai.tools.log_tools import FetchLogsArgs, ListLogGroupsArgs, SearchLogsArgs
from logai.tools.log_tools import fetch_logs as fetch_tool
from logai.tools.log_tools import list_log_groups as list_tool
from logai.tools.log_tools import search_logs as search_tool

T = TypeVar("T")
START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
AS_ROOT = os.geteuid() == 0
LINE = "2026-11-25T10:00:00Z {}\n"


def run(call: Awaitable[T]) -> tuple[T, list[str]]:
    """Run one source call; return its result and the notes it attached."""

    async def main() -> T:
        return await call

    with collect_notes() as notes:
        result = asyncio.run(main())
    return result, notes


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """``logs/app`` holds one good log and every kind of file that cannot be read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "credentials.log").write_text(LINE.format("aws_secret_access_key=abc"))
    root = tmp_path / "logs"
    app = root / "app"
    app.mkdir(parents=True)
    (app / "good.log").write_text(LINE.format("good line"))
    (app / "sneaky.log").symlink_to(outside / "credentials.log")
    (app / "broken.log").symlink_to(app / "gone.log")
    (app / "loop-a.log").symlink_to(app / "loop-b.log")
    (app / "loop-b.log").symlink_to(app / "loop-a.log")
    (app / "self").symlink_to(app, target_is_directory=True)
    (app / "elsewhere").symlink_to(outside, target_is_directory=True)
    os.mkfifo(app / "pipe.log")
    (app / "inside-link.log").symlink_to(app / "good.log")  # fine: inside, and read once
    return root


SKIPPED = {
    "app/sneaky.log (a symlink out of the files root)",
    "app/broken.log (a broken symlink)",
    "app/loop-a.log (a symlink loop)",
    "app/loop-b.log (a symlink loop)",
    "app/pipe.log (not a regular file (a FIFO))",
}


def _named(notes: list[str]) -> set[str]:
    assert len(notes) == 1, notes
    note = notes[0]
    assert note.startswith("Skipped 5 files that cannot be read: ")
    return set(note.removeprefix("Skipped 5 files that cannot be read: ").rstrip(".").split(", "))


@pytest.mark.parametrize("group", ["app", "app/", "app/*.log", "**/*.log", "app/*"])
def test_a_folder_or_glob_reads_what_it_can_and_names_the_rest(root: Path, group: str) -> None:
    events, notes = run(FilesSource(root).fetch_logs(group, START, END))
    assert [event.message for event in events] == ["2026-11-25T10:00:00Z good line"]
    assert _named(notes) == SKIPPED


def test_listing_shows_only_readable_files_and_names_the_rest(root: Path) -> None:
    groups, notes = run(FilesSource(root).list_log_groups())
    assert [group.name for group in groups] == ["app/good.log", "app/inside-link.log"]
    assert _named(notes) == SKIPPED


def test_search_by_prefix_skips_the_same_files(root: Path) -> None:
    events, notes = run(FilesSource(root).search_logs([], "line", START, END, prefixes=["app/"]))
    assert [event.message for event in events] == ["2026-11-25T10:00:00Z good line"]
    assert _named(notes) == SKIPPED


@pytest.mark.parametrize(
    ("group", "error", "message"),
    [
        ("app/sneaky.log", SourceAccessDenied, "outside the files root"),
        ("app/elsewhere", SourceAccessDenied, "outside the files root"),
        ("app/elsewhere/credentials.log", SourceAccessDenied, "outside the files root"),
        ("app/elsewhere/*.log", SourceAccessDenied, "outside the files root"),
        ("app/broken.log", SourceNotFound, "broken symlink"),
        ("app/loop-a.log", SourceNotFound, "symlink loop"),
        ("app/pipe.log", SourceValidationError, "a FIFO, not a log file"),
    ],
)
def test_naming_an_unreadable_file_says_why(
    root: Path, group: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        asyncio.run(FilesSource(root).fetch_logs(group, START, END))


def test_a_folder_of_nothing_readable_is_an_error_naming_the_reasons(root: Path) -> None:
    only_bad = root / "bad"
    only_bad.mkdir()
    (only_bad / "a.log").symlink_to(root / "missing.log")
    os.mkfifo(only_bad / "b.log")
    with pytest.raises(SourceAccessDenied, match="Nothing in 'bad' can be read") as caught:
        asyncio.run(FilesSource(root).fetch_logs("bad", START, END))
    assert "bad/a.log (a broken symlink)" in str(caught.value)
    assert "bad/b.log (not a regular file (a FIFO))" in str(caught.value)


def test_names_in_notes_cannot_carry_terminal_control_sequences(root: Path) -> None:
    (root / "app" / "evil\x1b[2J.log").symlink_to(root / "nowhere")
    _, notes = run(FilesSource(root).fetch_logs("app", START, END))
    assert "\x1b" not in notes[0] and "evil\\x1b[2J.log (a broken symlink)" in notes[0]


@pytest.mark.skipif(AS_ROOT, reason="root reads every file whatever its permissions")
def test_a_file_this_user_may_not_read_is_skipped(root: Path) -> None:
    secret = root / "app" / "private.log"
    secret.write_text(LINE.format("private"))
    secret.chmod(0)
    folder = root / "app" / "locked"
    folder.mkdir()
    (folder / "x.log").write_text(LINE.format("locked"))
    folder.chmod(0)
    try:
        events, notes = run(FilesSource(root).fetch_logs("app", START, END))
        assert [event.message for event in events] == ["2026-11-25T10:00:00Z good line"]
        assert "app/private.log (permission denied)" in notes[0]
        assert "app/locked/ (permission denied)" in notes[0]
        groups, _ = run(FilesSource(root).list_log_groups())
        assert "app/private.log" not in [group.name for group in groups]
        with pytest.raises(SourceAccessDenied, match="permission denied"):
            asyncio.run(FilesSource(root).fetch_logs("app/private.log", START, END))
    finally:
        folder.chmod(0o755)


def test_the_tools_tell_the_llm_what_was_skipped(root: Path) -> None:
    context = ToolContext(load_settings(), source=FilesSource(root))

    async def main() -> list[str]:
        fetched = await fetch_tool.run(
            FetchLogsArgs(log_group="app", start_time="2026-01-01T00:00:00Z"), context
        )
        listed = await list_tool.run(ListLogGroupsArgs(), context)
        found = await search_tool.run(
            SearchLogsArgs(pattern="line", log_group_prefixes=["app"],
                           start_time="2026-01-01T00:00:00Z"), context
        )  # fmt: skip
        return [fetched.header, listed.text, found.header]

    for text in asyncio.run(main()):
        assert "Note: Skipped 5 files that cannot be read: " in text, text
        assert "app/sneaky.log (a symlink out of the files root)" in text


def test_logai_groups_lists_readable_files_and_notes_the_rest_on_stderr(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logai.cli.app import cli

    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    result = CliRunner().invoke(cli, ["groups", "--source", "files"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["app/good.log", "app/inside-link.log"]
    assert result.stderr.startswith("logai: note: Skipped 5 files that cannot be read: ")
    assert "app/broken.log (a broken symlink)" in result.stderr


def test_logai_logs_over_a_folder_with_a_link_out_of_the_root_works(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from logai.cli.app import cli

    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    args = ["logs", "app", "--source", "files", "--since", "2026-01-01T00:00:00Z"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["2026-11-25T10:00:00.000Z 2026-11-25T10:00:00Z good line"]
    assert "app/sneaky.log (a symlink out of the files root)" in result.stderr


def test_a_file_denied_by_the_access_check_is_skipped_even_as_root(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as above for a root user, whom the OS never denies: deny one file."""
    from logai.sources.files import paths

    private = root / "app" / "private.log"
    private.write_text(LINE.format("private"))
    real_access = os.access
    monkeypatch.setattr(
        paths.os, "access", lambda path, mode: Path(path) != private and real_access(path, mode)
    )
    events, notes = run(FilesSource(root).fetch_logs("app", START, END))
    assert [event.message for event in events] == ["2026-11-25T10:00:00Z good line"]
    assert "app/private.log (permission denied)" in notes[0]
    with pytest.raises(SourceAccessDenied, match="permission denied"):
        asyncio.run(FilesSource(root).fetch_logs("app/private.log", START, END))
