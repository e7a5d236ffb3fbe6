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

A file that cannot be read is *skipped*, never fatal for the folder or glob it is part of: a
symlink out of the root, a broken symlink, a symlink loop, a file this user may not read, a FIFO,
socket or device (opening a FIFO would wait forever for a writer). Each is reported as a
:class:`Skipped` with its reason, so the caller can say what was left out. Only a group that is
nothing but such files (or one named directly) is an error.
"""

from __future__ import annotations

import difflib
import errno
import itertools
import os
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from logai.sources.base import SourceAccessDenied, SourceNotFound, SourceValidationError
from logai.sources.reach import guarded, may_read

__all__ = [
    "LogFile",
    "Skipped",
    "WalkLimits",
    "describe_skipped",
    "display_name",
    "list_files",
    "once_each",
    "real_names",
    "resolve_group",
]

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


@dataclass(frozen=True)
class Skipped:
    """A file of a folder or glob that is left out, and why (a phrase: "a broken symlink")."""

    name: str
    reason: str


OUT_OF_ROOT = "a symlink out of the files root"
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _inside(real: str, root_real: str) -> bool:
    return os.path.commonpath([root_real, real]) == root_real


def _under_root(real_path: str, root_real: str) -> str | None:
    """``real_path`` named from ``root_real`` (``.`` for the root), or None outside it."""
    if real_path == root_real:
        return "."
    start = root_real if root_real.endswith(os.sep) else root_real + os.sep
    if not real_path.startswith(start):
        return None
    return real_path[len(start) :].replace(os.sep, "/")


def _hidden(name: str, real_path: str, root_real: str) -> bool:
    """Whether the guarded call being made may not see ``name``, really ``real_path``
    (:mod:`logai.sources.reach`): it is then treated as absent, never opened or named."""
    real = _under_root(real_path, root_real)
    return not may_read(name, name if real is None else real)  # outside: skipped as such


def _inspect(path: Path, root: Path, root_real: str, *, via_links: bool = True,
             real: str | None = None) -> LogFile | Skipped | None:  # fmt: skip
    """What ``path`` is for a group: a readable log file, a file skipped with its reason, or
    ``None`` when it vanished (rotated away), is a folder or may not be read by the guarded
    call being made.

    ``via_links=False`` says that no symlink leads to ``path`` itself (a plain entry of a
    folder walk), which spares resolving it for the root check; ``real`` is its real path
    when the caller knows it.
    """
    name = display_name(path, root)
    if guarded() and _hidden(name, real or os.path.realpath(path), root_real):
        return None
    try:
        info = path.stat()
    except FileNotFoundError:
        return Skipped(name, "a broken symlink") if path.is_symlink() else None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Skipped(name, "a symlink loop")
        if isinstance(exc, PermissionError):
            return Skipped(name, "permission denied")
        return Skipped(name, f"unreadable ({exc.strerror or type(exc).__name__})")
    if stat.S_ISDIR(info.st_mode):
        return None
    # The LLM chooses group names, and log content can try to steer it: never let it read
    # files outside the folder the user pointed LogAI at (~/.aws/credentials, say).
    if via_links and not _inside(os.path.realpath(path), root_real):
        return Skipped(name, OUT_OF_ROOT)
    if not stat.S_ISREG(info.st_mode):
        return Skipped(
            name, f"not a regular file ({_KINDS.get(stat.S_IFMT(info.st_mode), 'special')})"
        )
    if not os.access(path, os.R_OK):
        return Skipped(name, "permission denied")
    return LogFile(path, name, info.st_size, info.st_mtime_ns // 1_000_000)


def _printable(name: str) -> str:
    """A file name as it may be shown: control characters escaped, never sent to a terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def describe_skipped(skipped: list[Skipped], shown: int = 5) -> str:
    """One line naming what was skipped and why: ``Skipped 2 files that cannot be read: …``."""
    named = ", ".join(f"{_printable(item.name)} ({item.reason})" for item in skipped[:shown])
    more = f" and {len(skipped) - shown} more" if len(skipped) > shown else ""
    noun = "file" if len(skipped) == 1 else "files"
    return f"Skipped {len(skipped)} {noun} that cannot be read: {named}{more}."


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


def _walk(folder: Path, root: Path, prefix: str, limits: WalkLimits, skipped: list[Skipped]
          ) -> Iterator[LogFile]:  # fmt: skip
    root_real = os.path.realpath(root)
    checked = guarded()
    queue: deque[tuple[Path, int]] = deque([(folder, 0)])
    visited = 0
    while queue:
        current, depth = queue.popleft()
        # Below a linked folder nothing is a link, yet nothing is what its name says.
        current_real = os.path.realpath(current) if checked else ""
        try:
            with os.scandir(current) as scan:
                # Bounded before sorting: a folder of a million files costs the bound, not more.
                window = itertools.islice(scan, limits.max_entries - visited + 1)
                entries = sorted(window, key=lambda entry: entry.name)
        except PermissionError:
            if depth == 0:
                raise
            name = display_name(current, root)
            if not (checked and _hidden(name, current_real, root_real)):
                skipped.append(Skipped(name + "/", "permission denied"))
            continue
        except OSError:
            continue  # a vanished folder hides only itself
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
                    continue
                if not (_looks_like_log(entry.name) and relative.startswith(prefix)):
                    continue
                link = entry.is_symlink()
                if link and entry.is_dir():
                    continue  # a folder reached through a symlink: never entered
            except OSError:
                link = True  # a symlink loop, say: _inspect names it
            real = f"{current_real}{os.sep}{entry.name}" if checked and not link else None
            found = _inspect(path, root, root_real, via_links=link, real=real)
            if isinstance(found, Skipped):
                skipped.append(found)
            elif found is not None:
                yield found


def list_files(
    folder: Path,
    root: Path,
    prefix: str = "",
    limits: WalkLimits | None = None,
    skipped: list[Skipped] | None = None,
) -> list[LogFile]:
    """Readable log files below ``folder`` whose display name starts with ``prefix``, by name.

    Files that cannot be read are appended to ``skipped`` (when given) instead. Raises
    :class:`SourceAccessDenied` when ``folder`` itself cannot be listed.
    """
    left_out = skipped if skipped is not None else []
    try:
        found = list(_walk(folder, root, prefix, limits or WalkLimits(), left_out))
    except PermissionError:
        raise SourceAccessDenied(
            f"Cannot list the folder {folder}: permission denied for this user.", action="read"
        ) from None
    return sorted(found, key=lambda item: item.name)


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


def _glob_files(pattern: Path, root: Path, limits: WalkLimits, skipped: list[Skipped]
                ) -> list[LogFile]:  # fmt: skip
    base, relative = _split_glob(pattern)
    root_real = os.path.realpath(root)
    found: list[LogFile] = []
    for visited, path in enumerate(base.glob(relative)):
        if visited >= limits.max_entries:
            break
        if not _looks_like_log(path.name):
            continue
        item = _inspect(path, root, root_real)
        if isinstance(item, Skipped):
            skipped.append(item)
        elif item is not None:
            found.append(item)
    return found


def _named_file(path: Path, root: Path) -> LogFile:
    """The one file a group names directly: readable, or an error saying why not."""
    item = _inspect(path, root, os.path.realpath(root))
    if isinstance(item, LogFile):
        return item
    if item is None:
        raise SourceNotFound(f"{path} disappeared while it was being opened.", name=str(path))
    if item.reason == OUT_OF_ROOT:
        raise _outside(path, root)
    if item.reason.startswith("not a regular file"):
        raise SourceValidationError(
            f"{path} is {item.reason.removeprefix('not a regular file (').rstrip(')')}, not a "
            "log file: only regular files (plain or gzip) can be read."
        )
    if item.reason == "permission denied":
        raise SourceAccessDenied(
            f"Cannot read {path}: permission denied for this user.", action="read"
        )
    raise SourceNotFound(f"Cannot read {path}: it is {item.reason}.", name=str(path))


def _outside(path: Path, root: Path) -> SourceAccessDenied:
    return SourceAccessDenied(
        f"{path} is outside the files root {root}. Only files under the root can be read; "
        "set LOGAI_FILES_ROOT to a folder that contains it.",
        action="read",
    )


def _group_path(cleaned: str, root: Path) -> Path:
    """The path a (stripped, non-empty) group name stands for: absolute, or under the root."""
    expanded = Path(cleaned).expanduser()
    return expanded if expanded.is_absolute() else root / expanded


def real_names(names: Iterable[str], root: Path) -> dict[str, str]:
    """What each group of ``names`` really reads, named as a group under the root; a name that
    leads out of the root (refused when read) or is empty is left out.

    Every symlink on the way is followed, to the end of a chain (a broken one to where it
    points), and ``.`` and ``..`` steps are resolved against the real folders: a link
    ``public/ok.log`` to ``../secrets/keys.log`` really reads ``secrets/keys.log``, and so do
    ``public/linked-folder/keys.log`` and an absolute path to it. A glob keeps its wildcards
    with the folders before them resolved (``public/linked-folder/*.log`` is
    ``secrets/*.log``). Guardrails judge this name as well as the name asked by.
    """
    root_real = os.path.realpath(root)
    folders: dict[str, str] = {}
    found: dict[str, str] = {}
    for name in names:
        cleaned = name.strip()
        if not cleaned:
            continue
        path = _group_path(cleaned, root)
        parent, base = os.path.split(path)
        if base in ("", ".", "..") or path.is_symlink():
            real_path = os.path.realpath(path)
        else:  # one lookup per folder, however many of its files are asked about
            if parent not in folders:
                folders[parent] = os.path.realpath(parent)
            real_path = f"{folders[parent].rstrip(os.sep)}{os.sep}{base}"
        real = _under_root(real_path, root_real)
        if real is not None:
            found[name] = real
    return found


def resolve_group(
    name: str,
    root: Path,
    limits: WalkLimits | None = None,
    skipped: list[Skipped] | None = None,
) -> list[LogFile]:
    """The readable files of group ``name``, oldest modification first (rotation's order).

    Files of a folder or glob that cannot be read are appended to ``skipped`` (when given) and
    left out. Raises :class:`SourceNotFound` (with close names) when nothing matches,
    :class:`SourceAccessDenied` when the group lies outside the root or none of its files can
    be read, and :class:`SourceValidationError` for a name that is not a log file (a FIFO).
    """
    walk_limits = limits or WalkLimits()
    left_out: list[Skipped] = []
    cleaned = name.strip()
    if not cleaned:
        raise SourceValidationError("A log group name is required (a file, folder or glob).")
    path = _group_path(cleaned, root)
    if _GLOB_CHARS.intersection(cleaned):
        files = _glob_files(path, root, walk_limits, left_out)
        if not files and not left_out:
            raise _not_found(cleaned, root, walk_limits)
    elif path.is_dir():
        if not _inside(os.path.realpath(path), os.path.realpath(root)):
            raise _outside(path, root)
        files = list_files(path, root, "", walk_limits, left_out)
    elif path.exists() or path.is_symlink():
        files = [_named_file(path, root)]
    else:
        raise _not_found(cleaned, root, walk_limits)
    if not files and left_out:
        if all(item.reason == OUT_OF_ROOT for item in left_out):
            raise _outside(path, root)
        raise SourceAccessDenied(
            f"Nothing in '{cleaned}' can be read. {describe_skipped(left_out)}", action="read"
        )
    if skipped is not None:
        skipped.extend(left_out)
    unique = once_each(files, root)
    return sorted(unique, key=lambda item: (item.mtime_ms, item.name))


def once_each(files: Iterable[LogFile], root: Path) -> list[LogFile]:
    """``files`` with each real file once, under its own name where that is one of them.

    A file reached both by its name and through a link is read once; keeping its own name
    keeps it readable when the link's name is one guardrails deny.
    """
    root_real = os.path.realpath(root)
    chosen: dict[str, LogFile] = {}
    for item in files:
        real = os.path.realpath(item.path)
        held = chosen.get(real)
        if held is None or (
            _own_name(item, real, root_real) and not _own_name(held, real, root_real)
        ):
            chosen[real] = item
    return list(chosen.values())


def _own_name(item: LogFile, real: str, root_real: str) -> bool:
    """Whether ``item`` is named by the real path of its file (no link on the way)."""
    return str(Path(root_real) / item.name) == real
