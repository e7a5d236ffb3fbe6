"""The input history: walking like a shell, persisting as private JSON lines."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from logai_tui.history import InputHistory


def test_history_walks_back_and_returns_the_draft(tmp_path: Path) -> None:
    history = InputHistory(tmp_path / "history")
    for entry in ("first", "second", "third"):
        history.add(entry)

    assert history.previous("half-typed") == "third"
    assert history.previous("third") == "second"
    assert history.previous("second") == "first"
    assert history.previous("first") is None  # stops at the oldest, no wrap-around
    assert history.next() == "second"
    assert history.next() == "third"
    assert history.next() == "half-typed"  # past the newest: the draft comes back
    assert history.next() is None  # not walking any more
    assert not history.walking


def test_history_ignores_blank_and_repeated_entries(tmp_path: Path) -> None:
    history = InputHistory(tmp_path / "history")
    for entry in ("a", "a", "  ", "b", "a"):
        history.add(entry)
    assert history.entries == ["a", "b", "a"]


def test_history_persists_multiline_entries_privately(tmp_path: Path) -> None:
    path = tmp_path / "new-dir" / "history"
    history = InputHistory(path)
    history.add("line one\nline two")
    history.add("plain")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    reloaded = InputHistory(path)
    reloaded.load()
    assert reloaded.entries == ["line one\nline two", "plain"]


def test_history_tightens_loose_permissions_of_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "history"
    path.write_text(json.dumps("old") + "\n")
    path.chmod(0o644)
    history = InputHistory(path)
    history.load()
    history.add("new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_history_skips_corrupt_lines(tmp_path: Path) -> None:
    path = tmp_path / "history"
    path.write_bytes(b'"good"\nnot json\n42\n"also good"\n\xff\xfe\n')
    history = InputHistory(path)
    history.load()
    assert history.entries == []  # undecodable file: empty history, no crash
    path.write_text('"good"\nnot json\n42\n"also good"\n')
    history.load()
    assert history.entries == ["good", "also good"]


def test_history_keeps_only_the_newest_entries(tmp_path: Path) -> None:
    path = tmp_path / "history"
    path.write_text("".join(json.dumps(f"q{i}") + "\n" for i in range(10)))
    history = InputHistory(path, max_entries=3)
    history.load()
    assert history.entries == ["q7", "q8", "q9"]
    assert len(path.read_text().splitlines()) == 3


@pytest.mark.parametrize("path", [None, Path("/proc/definitely/not/writable/history")])
def test_history_without_a_usable_file_still_works_in_memory(path: Path | None) -> None:
    history = InputHistory(path)
    history.load()
    history.add("question")
    assert history.previous("") == "question"
