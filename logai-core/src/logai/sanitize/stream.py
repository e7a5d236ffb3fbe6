"""Sanitize a byte stream line for line: what ``logai sanitize`` runs.

Throughput comes from working in large blocks: read up to a MiB, cut after the last newline,
decode once, sanitize the whole block in one call (the engine's prefilter scans it in C), encode
once and write once. Guarantees, whatever the input:

* one output line per input line, in order: only ``\\n`` ends a line (``\\r``, ``\\x0b``,
  ``\\x0c``, ``\\u2028``... are ordinary characters here, unlike for ``str.splitlines``), and a
  redacted value that spans lines keeps its line breaks after the placeholder;
* invalid UTF-8 becomes U+FFFD, never dropped; a final line without ``\\n`` stays without;
* a PEM private key block is never split between two blocks (it would escape redaction).
"""

from __future__ import annotations

from typing import BinaryIO, Protocol

from logai.sanitize.stats import SanitizeStats

__all__ = ["BLOCK_SIZE", "sanitize_stream"]

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
