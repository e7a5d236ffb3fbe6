"""Make log and LLM text safe to print: control and format characters become visible escapes.

Log lines and model answers are untrusted. Printed raw, ``ESC ] 0;title BEL`` retitles the
window, ``ESC [2J`` clears the screen, an OSC 8 sequence plants a hidden link, and a bidi
override (``U+202E``, "Trojan Source") makes text read differently from what it is. Every
place that puts such text on a terminal (or into a pipe that ends at one) goes through
:func:`visible`, or :func:`json_safe` for JSON output.

What is escaped: every C0 control but tab (and newline in ``multiline`` text), DEL, every C1
control (U+0080-U+009F, which some terminals obey like ESC sequences), Unicode format
characters (bidi embeddings, overrides and isolates, zero-width spaces and joiners, the BOM,
soft hyphen, tags, interlinear annotation), line and paragraph separators, and lone
surrogates (undecodable bytes, which would also crash the write). A zero-width joiner between
two emoji is kept, so emoji sequences still render. Each becomes a Python-style escape:
``\\n``, ``\\r``, ``\\x1b``, ``\\u202e``, ``\\U000e0041``. Escaping the introducer of a
sequence (ESC, CSI, OSC...) defuses the whole sequence, so text split across stream chunks
cannot smuggle one through: the check is per character and needs no state. Backslashes are
left alone, so a log that literally contains ``\\x1b`` prints the same as an escaped ESC;
readability of Windows paths and JSON wins over that ambiguity.
"""

from __future__ import annotations

import re

__all__ = ["VisibleStream", "is_terminal_safe", "json_safe", "visible"]

# Categories Cc, Cf, Zl, Zp and Cs as of Unicode 16 (a test checks this against the running
# Python's unicodedata), plus the unassigned U+2065 inside the invisible-operator block.
_C0_BUT_TAB_AND_NEWLINE = "\x00-\x08\x0b-\x1f"
_OTHER_UNSAFE = (
    "\x7f-\x9f\xad"
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_UNSAFE = re.compile(f"[{_C0_BUT_TAB_AND_NEWLINE}\n{_OTHER_UNSAFE}]")
_UNSAFE_KEEP_NEWLINE = re.compile(f"[{_C0_BUT_TAB_AND_NEWLINE}{_OTHER_UNSAFE}]")
_ZWJ = "\u200d"


#: The two line-break characters keep their familiar names (``\\n`` and ``\\r``).
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    if char == _ZWJ:
        text, at = match.string, match.start()
        if 0 < at < len(text) - 1 and _is_emoji(text[at - 1]) and _is_emoji(text[at + 1]):
            return char
    return _escape(char)


def visible(text: str, *, multiline: bool = False) -> str:
    r"""``text`` with every character that could drive a terminal or disguise text escaped.

    ``multiline`` keeps newlines as layout (answers, indented stack traces) and turns
    ``\r\n`` into ``\n``; otherwise a newline prints as ``\n`` so one record stays one line.
    """
    # Fast path: ``isprintable`` (C speed) is False for every category escaped here, so a
    # printable line (most log lines) has nothing to escape and skips the regex.
    if text.isprintable():
        return text
    if multiline:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if text.replace("\n", "").isprintable():
            return text
        return _UNSAFE_KEEP_NEWLINE.sub(_replace, text)
    return _UNSAFE.sub(_replace, text)


def is_terminal_safe(text: str, *, multiline: bool = True) -> bool:
    """True when printing ``text`` cannot emit a control or format character."""
    pattern = _UNSAFE_KEEP_NEWLINE if multiline else _UNSAFE
    return all(_replace(match) == match.group() for match in pattern.finditer(text))


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(serialized: str) -> str:
    """A JSON document with every unsafe character as a ``\\uXXXX`` escape: same data, safe bytes.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but leaves DEL, C1 controls and
    bidi overrides raw; this re-escapes them, so the output still parses to the same values.
    Newlines of indented output are layout between tokens (inside strings JSON has escaped
    them already) and stay.
    """
    if serialized.isprintable():  # the usual case: nothing to escape (see visible)
        return serialized
    return _UNSAFE_KEEP_NEWLINE.sub(_json_escape, serialized)


class VisibleStream:
    r""":func:`visible` (multiline) over streamed text, e.g. an answer arriving in deltas.

    Escaping is per character, so no sequence can be split past it; only a trailing ``\r`` is
    held back until the next chunk says whether it starts a ``\r\n`` line break.
    """

    def __init__(self) -> None:
        self._pending_cr = False

    def feed(self, text: str) -> str:
        if self._pending_cr:
            text = "\r" + text
            self._pending_cr = False
        if text.endswith("\r"):
            text = text[:-1]
            self._pending_cr = True
        return visible(text, multiline=True)

    def flush(self) -> str:
        rest = "\r" if self._pending_cr else ""
        self._pending_cr = False
        return visible(rest, multiline=True)
