"""Which files a group name means, and which files count as logs under the root folder.

A group is one of:

* a file: ``app.log``, ``nginx/access.log.2.gz`` (relative names resolve against the root),
  or an absolute path;
* a folder: every log file below it (recursively, bounded);
* a glob: ``app/*.log``, ``/var/log/app/*.log*``, ``**/*.gz`` (``**`` crosses folders).

Listing walks the root breadth-first in name order, skipping hidden files and folders (``.git``,
editor swap files), folders reached through symlinks (a loop would never end), and files that are
plainly not logs (archives other than gzip, images, databases, bytecode). The walk is bounded in
depth and in entries visited, so pointing ``LOGAI_FILES_ROOT`` at ``/`` is slow to answer, not
fatal.
"""

from __future__ import annotations

import difflib
import itertools
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from logai.sources.base import SourceAccessDenied, SourceNotFound, SourceValidationError

__all__ = ["LogFile", "WalkLimits", "display_name", "list_files", "resolve_group"]

_GLOB_CHARS = frozenset("*?[")
#: Suffixes that are never log text (compressed logs other than gzip are not supported either).
_NOT_LOGS = frozenset(
    {
        ".zip", ".tar", ".tgz", ".bz2", ".xz", ".zst", ".lz4", ".7z", ".rar", ".png", ".jpg",
        ".jpeg", ".gif", ".webp", ".ico", ".pdf", ".pyc", ".pyo", ".so", ".dylib", ".dll", ".exe",
        ".o", ".a", ".class", ".jar", ".whl", ".db", ".sqlite", ".sqlite3", ".parquet", ".swp",
    }
)  # fmt: skip


@dataclass(frozen=True)
class WalkLimits:
    """Bounds of a folder walk."""

    max_depth: int = 8
    """Folders deeper than this below the starting folder are not entered."""

    max_entries: int = 20_000
    """Directory entries looked at before the walk stops."""


@dataclass(frozen=True)
class LogFile:
    """One file of a group, with what the scan needs to order and skip it."""

    path: Path
    name: str
    size: int
    mtime_ms: int


def display_name(path: Path, root: Path) -> str:
    """Name of a file as groups and streams show it: relative to the root, else absolute."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _log_file(path: Path, root: Path) -> LogFile | None:
    try:
        stat = path.stat()
    except OSError:
        return None  # vanished (rotation) or unreadable metadata: not listable
    return LogFile(path, display_name(path, root), stat.st_size, stat.st_mtime_ns // 1_000_000)


def _looks_like_log(name: str) -> bool:
    if name.startswith("."):
        return False
    lowered = name.lower()
    suffix = lowered[lowered.rfind(".") :] if "." in lowered else ""
    return suffix not in _NOT_LOGS


def _could_contain(relative_dir: str, prefix: str) -> bool:
    """Whether files below ``relative_dir`` may have names starting with ``prefix``."""
    folder = f"{relative_dir}/" if relative_dir else ""
    return folder.startswith(prefix) or prefix.startswith(folder)


def _walk(folder: Path, root: Path, prefix: str, limits: WalkLimits) -> Iterator[Path]:
    queue: deque[tuple[Path, int]] = deque([(folder, 0)])
    visited = 0
    while queue:
        current, depth = queue.popleft()
        try:
            with os.scandir(current) as scan:
                # Bounded before sorting: a folder of a million files costs the bound, not more.
                window = itertools.islice(scan, limits.max_entries - visited + 1)
                entries = sorted(window, key=lambda entry: entry.name)
        except OSError:
            continue  # an unreadable or vanished folder hides only itself
        for entry in entries:
            visited += 1
            if visited > limits.max_entries:
                return
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            relative = display_name(path, root)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < limits.max_depth and _could_contain(relative, prefix):
                        queue.append((path, depth + 1))
                elif (
                    entry.is_file() and _looks_like_log(entry.name) and relative.startswith(prefix)
                ):
                    yield path
            except OSError:
                continue


def list_files(folder: Path, root: Path, prefix: str = "", limits: WalkLimits | None = None
               ) -> list[LogFile]:  # fmt: skip
    """Log files below ``folder`` whose display name starts with ``prefix``, sorted by name."""
    found = (_log_file(path, root) for path in _walk(folder, root, prefix, limits or WalkLimits()))
    return sorted((item for item in found if item is not None), key=lambda item: item.name)


def _suggestions(name: str, root: Path, limits: WalkLimits) -> list[str]:
    """Close names under the root; a file with the same base name elsewhere comes first."""
    known = [item.name for item in list_files(root, root, "", limits)] if root.is_dir() else []
    base = Path(name).name
    same_base = [candidate for candidate in known if Path(candidate).name == base]
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    return list(dict.fromkeys([*same_base, *close]))[:3]


def _not_found(name: str, root: Path, limits: WalkLimits) -> SourceNotFound:
    suggestions = _suggestions(name, root, limits)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    return SourceNotFound(
        f"No log file, folder or glob match named '{name}' (relative names are looked up in "
        f"{root}, set by LOGAI_FILES_ROOT).{hint} Listing the log groups shows the files there.",
        name=name,
        suggestions=suggestions,
    )


def _split_glob(pattern: Path) -> tuple[Path, str]:
    """``/var/log/app/*.log`` → (``/var/log/app``, ``*.log``): pathlib globs relative patterns."""
    parts = pattern.parts
    first = next(i for i, part in enumerate(parts) if _GLOB_CHARS.intersection(part))
    return Path(*parts[:first]), "/".join(parts[first:])


def _glob_files(pattern: Path, root: Path, limits: WalkLimits) -> list[LogFile]:
    base, relative = _split_glob(pattern)
    found: list[LogFile] = []
    for visited, path in enumerate(base.glob(relative)):
        if visited >= limits.max_entries:
            break
        if path.is_file():
            item = _log_file(path, root)
            if item is not None:
                found.append(item)
    return found


def resolve_group(name: str, root: Path, limits: WalkLimits | None = None) -> list[LogFile]:
    """The files of group ``name``, oldest modification first (the order rotation leaves them).

    Raises :class:`SourceNotFound` (with close names) when nothing matches, and
    :class:`SourceAccessDenied` when the file exists but cannot be read.
    """
    walk_limits = limits or WalkLimits()
    cleaned = name.strip()
    if not cleaned:
        raise SourceValidationError("A log group name is required (a file, folder or glob).")
    expanded = Path(cleaned).expanduser()
    path = expanded if expanded.is_absolute() else root / expanded
    if _GLOB_CHARS.intersection(cleaned):
        files = _glob_files(path, root, walk_limits)
        if not files:
            raise _not_found(cleaned, root, walk_limits)
    elif path.is_file():
        item = _log_file(path, root)
        files = [item] if item is not None else []
    elif path.is_dir():
        files = list_files(path, root, "", walk_limits)
    else:
        raise _not_found(cleaned, root, walk_limits)
    root_real = os.path.realpath(root)
    for item in files:
        real = os.path.realpath(item.path)
        # The LLM chooses group names, and log content can try to steer it: never let it read
        # files outside the folder the user pointed LogAI at (~/.aws/credentials, say).
        if os.path.commonpath([root_real, real]) != root_real:
            raise SourceAccessDenied(
                f"{item.path} is outside the files root {root}. Only files under the root can "
                "be read; set LOGAI_FILES_ROOT to a folder that contains it.",
                action="read",
            )
        if not os.access(item.path, os.R_OK):
            raise SourceAccessDenied(
                f"Cannot read {item.path}: permission denied for this user.", action="read"
            )
    unique = {os.path.realpath(item.path): item for item in files}
    return sorted(unique.values(), key=lambda item: (item.mtime_ms, item.name))
