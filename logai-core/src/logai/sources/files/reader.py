"""Open log files (plain or gzip) and read them as bounded lines, never whole.

A log file can be gigabytes and a single "line" can be a megabyte of minified JSON or a binary
blob without newlines, so every read is capped: a line longer than ``max_line_bytes`` keeps its
first ``max_line_bytes`` and the rest is skipped. Lines are yielded with the byte offset where
they start (in the uncompressed stream), which gives every event a stable id.

Plain files can also be *positioned by time* (:func:`seek_to_time`): a binary search over byte
offsets finds where a time range starts, so "the last hour" of a 1 GB file reads only the last
hour. Gzip streams cannot seek cheaply and are always read from the start; rotated ``.gz`` files
are usually skipped whole by their modification time instead.
"""

from __future__ import annotations

import gzip
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["GZIP_MAGIC", "LogHandle", "is_gzip", "iter_lines", "open_log", "seek_to_time"]

#: A plain file or a decompressing gzip reader: both offer ``readline(limit)`` and ``seek``.
LogHandle = BinaryIO | gzip.GzipFile

GZIP_MAGIC = b"\x1f\x8b"
_BUFFER = 1 << 16
_CHUNK = 1 << 20
#: Probes read little: they need one timestamped line, not a megabyte.
_PROBE_CHUNK = 1 << 14
#: Below this size a binary search is not worth its seeks.
_SEEK_MIN_BYTES = 1 << 20
#: The search stops once the window is this small; the scan reads the rest.
_SEEK_GRANULE = 1 << 16
#: How many lines after a probe point may pass before one with a timestamp is found.
_PROBE_LINES = 256


def is_gzip(path: Path) -> bool:
    """Whether ``path`` is gzip-compressed, by its magic bytes (not every rotated file is .gz)."""
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_log(path: Path) -> LogHandle:
    """Open a log file for binary reading, decompressing gzip transparently.

    Only a regular file is opened: a FIFO put in a log's place would block the open until some
    process wrote to it. Raises :class:`PermissionError` for anything else.
    """
    if not stat.S_ISREG(path.stat().st_mode):
        raise PermissionError(f"{path} is not a regular file")
    if is_gzip(path):
        return gzip.GzipFile(path, "rb")
    return path.open("rb", buffering=_BUFFER)


def iter_lines(
    handle: LogHandle,
    max_line_bytes: int,
    offset: int = 0,
    chunk_size: int = _CHUNK,
    stop: Callable[[], bool] | None = None,
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset, line)`` with the newline (and a CR before it) removed.

    Reads fixed-size chunks and splits them, which is several times faster than ``readline``
    per line. A line longer than ``max_line_bytes`` is cut there and the rest of it is skipped,
    so memory never depends on the file's content. ``stop`` is polled once per chunk; when it
    returns true the iteration ends early (a cancelled scan).
    """
    # A gzip stream cut short (still being written, damaged) raises EOFError from read() and
    # loses everything that call decompressed; read1() returns it first.
    read = handle.read1 if isinstance(handle, gzip.GzipFile) else handle.read
    start = offset  # where the pending (not yet ended) line starts in the file
    pending = b""  # its first bytes, at most max_line_bytes of them
    pending_len = 0  # its true length so far
    while chunk := read(chunk_size):
        if stop is not None and stop():
            return
        pieces = chunk.split(b"\n")
        tail = pieces.pop()
        if pieces:
            crlf = b"\r" in chunk
            first = pieces[0]
            position = start + pending_len + len(first) + 1
            line = (pending + first)[:max_line_bytes] if pending_len else first[:max_line_bytes]
            yield start, line[:-1] if line[-1:] == b"\r" else line
            for piece in pieces[1:]:
                length = len(piece)
                if length > max_line_bytes:
                    piece = piece[:max_line_bytes]
                if crlf and piece[-1:] == b"\r":
                    piece = piece[:-1]
                yield position, piece
                position += length + 1
            start, pending, pending_len = position, b"", 0
        if tail:
            if len(pending) < max_line_bytes:
                pending += tail[: max_line_bytes - len(pending)]
            pending_len += len(tail)
    if pending_len:
        yield start, pending[:-1] if pending[-1:] == b"\r" else pending


def _probe(handle: LogHandle, offset: int, parse: Callable[[bytes], int | None],
           max_line_bytes: int) -> int | None:  # fmt: skip
    """The first timestamp on a line starting after ``offset`` (a partial line is skipped)."""
    handle.seek(offset)
    lines = iter_lines(handle, max_line_bytes, offset, _PROBE_CHUNK)
    if offset:
        next(lines, None)  # the line we landed in the middle of
    for count, (_, line) in enumerate(lines):
        if count >= _PROBE_LINES:
            break
        stamp = parse(line)
        if stamp is not None:
            return stamp
    return None


def seek_to_time(
    handle: LogHandle,
    size: int,
    target_ms: int,
    parse: Callable[[bytes], int | None],
    max_line_bytes: int,
) -> int:
    """A byte offset from which reading misses no event at or after ``target_ms``.

    Binary search over a plain file whose lines are (roughly) in time order: the offset returned
    is one where the first timestamped line after it is still before ``target_ms``, or 0. The
    caller reads from there, skipping the partial line it lands in. A probe that finds no
    timestamp (a long stack trace, an untimed stretch) moves the search earlier, never later, so
    the worst case is reading more, not missing events. Callers pass a ``target_ms`` that already
    allows for slightly out-of-order lines.
    """
    if size < _SEEK_MIN_BYTES:
        return 0
    low, high = 0, size
    while high - low > _SEEK_GRANULE:
        middle = (low + high) // 2
        stamp = _probe(handle, middle, parse, max_line_bytes)
        if stamp is not None and stamp < target_ms:
            low = middle
        else:
            high = middle
    return low
