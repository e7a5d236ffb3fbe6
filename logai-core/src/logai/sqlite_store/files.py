"""A store's files on disk: a private directory, a private database, and moving a bad one aside.

The databases hold raw log events and conversations, so nobody but the user may read them: the
directory is created 0700 and the file 0600. The file is created *before* SQLite opens it because
SQLite gives its ``-wal`` and ``-shm`` companions the database file's mode; letting SQLite create it
would apply the umask (often 0644) to all three.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

__all__ = [
    "SQLITE_HEADER",
    "companions",
    "ensure_private_dir",
    "ensure_private_file",
    "has_foreign_header",
    "move_aside",
]

SQLITE_HEADER = b"SQLite format 3\x00"
_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def companions(path: Path) -> Iterator[Path]:
    """The database file and the journal files SQLite keeps next to it."""
    yield path
    for suffix in _COMPANION_SUFFIXES:
        yield path.with_name(path.name + suffix)


def ensure_private_dir(directory: Path) -> None:
    """Create ``directory`` (and missing parents) readable by the owner only.

    An existing directory keeps its mode: the user may have pointed a store at a shared
    folder, and the 0600 file is what protects the data.
    """
    missing: list[Path] = []
    candidate = directory
    while not candidate.exists():
        missing.append(candidate)
        if candidate.parent == candidate:
            break
        candidate = candidate.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # another LogAI process created it a moment ago
        folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory} is not a directory")


def ensure_private_file(path: Path) -> None:
    """Create the database file 0600 if missing, and tighten it and its companions if loose."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(descriptor)
    for member in companions(path):
        try:
            info = member.stat()
        except FileNotFoundError:
            continue
        if stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.getuid():
            member.chmod(0o600)


def has_foreign_header(path: Path) -> bool:
    """True when the file has content that is not an SQLite database (cheap corruption check)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    if len(head) < len(SQLITE_HEADER) or not head.strip(b"\0"):
        # Empty, short or zero-filled: another LogAI process may be writing the first page
        # right now. Moving it aside would pull the file from under that process; a file that
        # really is damaged is caught by SQLite itself and recovered on first use.
        return False
    return head != SQLITE_HEADER


def move_aside(path: Path, when: datetime) -> Path:
    """Rename a damaged database (and its journals) to ``<name>.corrupt-<UTC timestamp>``.

    Kept rather than deleted so a curious user can look at it; ``logai cache clear`` removes
    the cache's.
    """
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    serial = 1
    while any(member.exists() for member in companions(target)):
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{serial}")
        serial += 1
    for member, destination in zip(companions(path), companions(target), strict=True):
        if member.exists():
            member.replace(destination)
    return target
