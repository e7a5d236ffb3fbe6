"""Sorting store failures into "the file is damaged" and "the store is unusable right now".

A damaged file is moved aside and rebuilt; anything else (locked past the busy timeout, disk
full, read-only, unreadable directory) switches the store off for the session. SQLAlchemy wraps
the driver's exception, so the chain is walked to find SQLite's own error code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

__all__ = ["describe_failure", "is_corruption"]

_CORRUPT_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
_CORRUPT_PHRASES = ("file is not a database", "database disk image is malformed")


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        original = getattr(current, "orig", None)
        pending.extend(
            [current.__cause__, current.__context__]
            + ([original] if isinstance(original, BaseException) else [])
        )
    return seen


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    import sqlite3  # here, not at the top: importing a store package stays free of it

    for item in _chain(exc):
        if isinstance(item, sqlite3.Error):
            return item
    return None


def is_corruption(exc: BaseException) -> bool:
    """True when SQLite says the file is not a database or is malformed."""
    for item in _chain(exc):
        name = getattr(item, "sqlite_errorname", "")
        if isinstance(name, str) and _base_code(name) in _CORRUPT_CODES:
            return True
        if any(phrase in str(item).lower() for phrase in _CORRUPT_PHRASES):
            return True
    return False


def is_transient_lock(exc: BaseException) -> bool:
    """True for "database is locked/busy" returned at once, without the busy handler waiting.

    SQLite skips the busy handler in a few places (switching a brand-new file to WAL while
    another process does the same, recovering the WAL index, a read lock that would have to
    be upgraded): such a refusal lasts milliseconds, so it is retried rather than taken as a
    reason to switch the store off.
    """
    for item in _chain(exc):
        name = getattr(item, "sqlite_errorname", "")
        if isinstance(name, str) and _base_code(name) in {"SQLITE_BUSY", "SQLITE_LOCKED"}:
            return True
        if "database is locked" in str(item).lower():
            return True
    return False


def _base_code(name: str) -> str:
    """``SQLITE_CORRUPT_VTAB`` → ``SQLITE_CORRUPT``: extended codes refine a primary one."""
    parts = name.split("_")
    return "_".join(parts[:2])


def describe_failure(exc: BaseException) -> str:
    """One short human line: SQLite's own message when there is one, without SQL or URLs."""
    original = _sqlite_error(exc)
    if original is not None:
        return str(original) or type(original).__name__
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__
