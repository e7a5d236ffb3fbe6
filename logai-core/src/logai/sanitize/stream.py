"""Sanitize a byte stream line for line (what ``logai sanitize`` runs), or many texts at once.

Throughput comes from working in large blocks: read up to a MiB, cut after the last newline,
decode once, sanitize the whole block in one call (the engine's prefilter scans it in C), encode
once and write once. Guarantees, whatever the input:

* one output line per input line, in order: only ``\\n`` ends a line (``\\r``, ``\\x0b``,
  ``\\x0c``, ``\\u2028``... are ordinary characters here, unlike for ``str.splitlines``), and a
  redacted value that spans lines keeps its line breaks after the placeholder;
* invalid UTF-8 becomes U+FFFD, never dropped; a final line without ``\\n`` stays without;
* a PEM private key block is never split between two blocks (it would escape redaction).

:func:`sanitize_events` brings the same block economy to fetched events (``logai logs``): one
engine call per text costs its fixed set-up (the prefilter's tables, one scan per hint, the rule
loop) for every short line, which made sanitizing 100k events some 17x dearer than the same
lines through ``logai sanitize``.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING, BinaryIO, Protocol

from logai.sanitize.stats import SanitizeStats

if TYPE_CHECKING:
    from logai.sources.base import LogEvent

__all__ = ["BLOCK_SIZE", "sanitize_events", "sanitize_stream", "sanitize_texts"]

#: Bytes read at a time. Large enough that per-call costs vanish, small enough to stream.
BLOCK_SIZE = 1 << 20

#: How far a block may grow to keep an open PEM block whole before it is cut anyway.
_MAX_CARRY = 4 << 20
#: The longest PEM private key block worth keeping whole (an 8192-bit RSA key is ~6.5 KB).
_MAX_PEM = 64 << 10

_PEM_BEGIN = b"-----BEGIN"
_PEM_END = b"-----END"


class _TextSanitizer(Protocol):
    def sanitize_text(self, text: str) -> tuple[str, SanitizeStats]: ...


def _read(source: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, returning early with what a pipe has (``tail -f | logai ...``)."""
    read1 = getattr(source, "read1", None)
    return bytes(read1(size) if read1 is not None else source.read(size))


def _safe_cut(data: bytes, cut: int) -> int:
    """``cut``, or earlier so that an unterminated ``-----BEGIN ... KEY`` line is not split off."""
    begin = data.rfind(_PEM_BEGIN, max(0, cut - _MAX_PEM), cut)
    if begin < 0 or data.find(_PEM_END, begin, cut) >= 0:
        return cut
    line_end = data.find(b"\n", begin, cut)
    if b"PRIVATE KEY" not in data[begin : line_end if line_end >= 0 else cut]:
        return cut
    return data.rfind(b"\n", 0, begin) + 1


def sanitize_stream(
    source: BinaryIO,
    sink: BinaryIO,
    sanitizer: _TextSanitizer,
    *,
    block_size: int = BLOCK_SIZE,
) -> SanitizeStats:
    """Copy ``source`` to ``sink`` with every line sanitized; return what was redacted."""
    stats = SanitizeStats()
    pending = b""
    while True:
        block = _read(source, block_size)
        data = pending + block if pending else block
        if not block:  # end of input: whatever is left, even without a final newline
            if data:
                _emit(data, sink, sanitizer, stats)
            return stats
        cut = data.rfind(b"\n") + 1
        if cut:
            safe = _safe_cut(data, cut)
            if safe or len(data) >= _MAX_CARRY:
                cut = safe or cut
                _emit(data[:cut], sink, sanitizer, stats)
                data = data[cut:]
        pending = data


def _emit(data: bytes, sink: BinaryIO, sanitizer: _TextSanitizer, stats: SanitizeStats) -> None:
    text, found = sanitizer.sanitize_text(data.decode("utf-8", "replace"))
    stats.merge(found)
    sink.write(text.encode("utf-8"))
    sink.flush()


def _batches(texts: Sequence[str], block_size: int) -> Iterator[tuple[int, int]]:
    """``(first, stop)`` index ranges of ``texts`` holding about ``block_size`` characters."""
    ends = list(accumulate(len(text) + 1 for text in texts))  # where each text ends, joined
    first = 0
    while first < len(texts):
        stop = bisect_left(ends, (ends[first - 1] if first else 0) + block_size, first) + 1
        stop = min(stop, len(texts))
        yield first, stop
        first = stop


def sanitize_texts(
    texts: Sequence[str], sanitizer: _TextSanitizer, *, block_size: int = BLOCK_SIZE
) -> tuple[list[str], SanitizeStats]:
    """Every text sanitized, in order, with about one engine call per ``block_size`` characters.

    Texts are joined with ``\n`` into blocks and each result is cut back at the same line
    breaks: the engine keeps a text's line count (a redacted value spanning lines is followed
    by its line breaks). A value that a rule finds across the boundary of two texts is
    redacted as a whole, so a block never hides more than one-by-one calls would; it is the
    view the LLM gets too, since tool results are sanitized as one text. Should a block ever
    come back with another line count, its texts are redone one by one.
    """
    stats = SanitizeStats()
    result: list[str] = []
    for first, stop in _batches(texts, block_size):
        chunk = texts[first:stop]
        joined = "\n".join(chunk)
        clean, found = sanitizer.sanitize_text(joined)
        lines = clean.split("\n")
        if len(lines) == len(chunk) and joined.count("\n") == len(chunk) - 1:
            result.extend(lines)  # no text had a line break of its own: one line each
            stats.merge(found)
            continue
        counts = [text.count("\n") + 1 for text in chunk]
        if len(lines) != sum(counts):
            for text in chunk:
                one, found_in_one = sanitizer.sanitize_text(text)
                result.append(one)
                stats.merge(found_in_one)
            continue
        stats.merge(found)
        at = 0
        for count in counts:
            result.append(lines[at] if count == 1 else "\n".join(lines[at : at + count]))
            at += count
    return result, stats


def sanitize_events(
    events: Sequence[LogEvent], sanitizer: _TextSanitizer, *, block_size: int = BLOCK_SIZE
) -> tuple[list[LogEvent], SanitizeStats]:
    """Events with ``message`` and ``stream`` sanitized in blocks; unchanged ones returned as is.

    Same result as :meth:`logai.sanitize.Sanitizer.sanitize_logs` (group names and ids are
    kept; placeholders are numbered in event order, message before stream; every occurrence
    is counted), at about the cost of :func:`sanitize_stream` over the messages. A stream name
    repeats over thousands of events, so only its first occurrence goes through the engine.
    """
    texts: list[str] = []
    repeats: dict[str, int] = {}
    for event in events:
        texts.append(event.message)
        if event.stream in repeats:
            repeats[event.stream] += 1
        else:
            repeats[event.stream] = 0
            texts.append(event.stream)
    clean, stats = sanitize_texts(texts, sanitizer, block_size=block_size)
    streams: dict[str, str] = {}
    messages: list[str] = []
    cleaned = iter(clean)
    for event in events:
        messages.append(next(cleaned))
        if event.stream not in streams:
            streams[event.stream] = next(cleaned)
    for stream, count in repeats.items():
        if count and streams[stream] != stream:
            # Its values already have placeholders: this numbers nothing new, it only counts.
            counts = sanitizer.sanitize_text(stream)[1].counts
            stats.merge({kind: number * count for kind, number in counts.items()})
    replace = dataclasses.replace
    result = [
        event
        if message == event.message and streams[event.stream] == event.stream
        else replace(event, message=message, stream=streams[event.stream])
        for event, message in zip(events, messages, strict=True)
    ]
    return result, stats
