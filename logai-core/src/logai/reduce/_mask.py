"""Mask the variable parts of a message so that lines of one event compare equal.

Compiled regular expressions do the work in C (a Python callback per token would cost more than
the rest of the pipeline). The common rules run in one pass; rarer ones (paths, host names, names
of days and months) run only when a cheap test says they can match. Masked:

- runs of identifier characters holding a *number*: a digit group that starts a run or a piece
  of it (``node-246``, ``blk_-38865``, ``0x1f``, ``10.0.0.1``) or ends one with two or more
  digits (``dn228``, ``t761``). Digits inside a name stay: ``IO80211AWDL``, ``Brcm43xx``,
  ``eth1``, ``IPV6`` are names, not values;
- quantities with their unit (``18.4 KB``, ``<1 sec``, ``2010 ms``), hex ids (``de9231d``);
- paths and URLs, host names (``csnsu.nsuok.edu``), day and month names inside a timestamp;
- an empty ``()`` slot, and a ``(<*>)`` that is only a value.

Adjacent masks collapse into one, and so do repeats of a masked item, so a list of any length
(``1 2 3``, ``blk_1 blk_2``) reads the same. Words
without digits are left alone here: whether ``root`` or ``webmaster`` is a variable is decided
later by looking at many lines at once (:mod:`logai.reduce._cluster`).
"""

from __future__ import annotations

import re

WILDCARD = "<*>"

_NAMES = "Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_UNITS = "[KMGT]i?B|bytes?|B|ms|us|µs|ns|s|secs?|seconds?|mins?|minutes?|hours?|h|%"
_TLDS = (
    "com|net|org|edu|gov|mil|int|io|co|uk|de|cn|jp|fr|ru|br|in|it|nl|pl|au|ca|hk|tw|kr|info"
    "|biz|local|lan|internal|localdomain"
)
# Characters of one identifier-ish run; ``:`` separates runs (``host:port``, ``key:value``).
_RUN = r"[\w\-+@#%~$/\\.]"
# ``blk_-38865``, ``core.46425``, ``appattempt_1445_0020``: a name, then only a number. The
# number is masked and the name kept (``blk_<*>``), so ``..._write_block_invoke.434`` and
# ``..._read_error_block_invoke.201`` stay different.
_NAME_NUMBER = r"[A-Za-z_]*[A-Za-z]{3}[._\-]-?\d+(?:[._\-]\d+)*+(?![\w\-+@#%~$/\\.])"
# A digit group that starts a piece or ends one with two or more digits; or a generated
# suffix piece (``web-7d9f8b6c5d-x7k2p``, ``kube-api-access-bc8f2``): lower-case letters and
# digits, five or more, after a dash.
_LOOSE_DIGITS = (
    r"(?:(?<![A-Za-z\d])\d+|\d{2,}(?![A-Za-z\d])"
    r"|(?<=-)(?=[a-z\d]{5,}(?![A-Za-z\d]))[a-z]*\d[a-z\d]*)"
)

# Every alternative needs a digit (messages without one skip the pass); the possessive
# look-ahead rejects digit-free words in one scan, which halves the cost of the pass.
_MAIN_RE = re.compile(
    rf"""
    (?<!{_RUN})(?=[<>~]?[A-Za-z_\-+@#%~$/\\.]*+\d)(?:
        [<>~]?\d[\d.,:]*\s?(?:{_UNITS})\b                  # a quantity with its unit
      | (?=[a-fA-F]*\d)[0-9a-fA-F]{{6,}}(?!{_RUN})         # hex ids: de9231d
      | (?!{_NAME_NUMBER}){_RUN}*?{_LOOSE_DIGITS}{_RUN}*+  # a run holding a number
    )
  | (?<=[A-Za-z]{{3}}[._\-])-?\d+(?:[._\-]\d+)*+(?!{_RUN})   # the number of name_123
    """,
    re.VERBOSE,
)
_ANY_DIGIT_RE = re.compile(r"\d")
# Cache keys for "the same line but for its digits and ids" (see grouping and structured
# messages): every digit turned into 0, then hex ids folded. Starts with a character class so
# the engine can skip ahead; the look-behind checks the boundary.
DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
HEX_ID_RE = re.compile(rb"[0-9a-f](?<![\w][0-9a-f])[0-9a-f]{7,}(?:-[0-9a-f]{4,})*(?![\w])")
_PATH_RE = re.compile(r"(?<![\w/.])(?:[a-z][a-z+]*://|~?/)[\w.\-~%@+=?&#/:]*[\w\-~%@+=?&#/]")
_ROOT_RE = re.compile(r"\b(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) /(?=[\s\"]|$)")
_HOST_HINT_RE = re.compile(rf"\.(?:{_TLDS})(?![\w\-.])")
_HOST_RE = re.compile(rf"(?<!{_RUN})(?:[A-Za-z0-9\-]+\.)+(?:{_TLDS})(?![\w\-.])")
_NAME_RE = re.compile(rf"\b(?:{_NAMES})(?=\s+(?:\d|(?:{_NAMES})\b))")
# Cheap superset of _NAME_RE: a leading capital lets the regex engine skip most of the line.
_NAME_HINT_RE = re.compile(rf"[FJMASONDTW][a-z][a-z](?=\s+(?:\d|(?:{_NAMES})\b))")
_LITERAL_RE = re.compile(r"(?<=: )(?:true|false|True|False|None|null|nil)(?=\s|$)")
_DOTS_RE = re.compile(r"\.{2,}")
_LONE_RE = re.compile(r"(?<=\s)\(<\*>\)")
_ADJACENT_RE = re.compile(r"<\*>(?:[\s,:]*<\*>)+")
# A list of masked items (``blk_<*> blk_<*> blk_<*>``, ``node-<*> <ok> node-<*> <ok>``) is one.
_REPEAT_RE = re.compile(r"(?<!\S)([^\s<]*<\*>\S*(?:\s+\S+)??)(?:\s+\1)+(?!\S)")


def mask(message: str) -> str:
    """The message with variable parts replaced by ``<*>`` and whitespace normalised."""
    if ".." in message:  # "depth..........0": padding dots end a run
        message = _DOTS_RE.sub(r"\g<0> ", message)
    if "/" in message:
        message = _PATH_RE.sub(WILDCARD, message)
        if " /" in message:  # the root path after a method: ``GET / took 12 ms``
            message = _ROOT_RE.sub(r"\1 " + WILDCARD, message)
    if "." in message and _HOST_HINT_RE.search(message):
        message = _HOST_RE.sub(WILDCARD, message)
    if _NAME_HINT_RE.search(message):
        message = _NAME_RE.sub(WILDCARD, message)
    if " ()" in message:  # an empty slot: "connection from 1.2.3.4 () at ..."
        message = message.replace(" ()", " (<*>)")
    if ": " in message:  # ``succeeded in 0.1s: None``: a returned literal is a value
        message = _LITERAL_RE.sub(WILDCARD, message)
    masked = _MAIN_RE.sub(WILDCARD, message) if _ANY_DIGIT_RE.search(message) else message
    if "(<*>)" in masked:
        masked = _LONE_RE.sub(WILDCARD, masked)
    if masked.count(WILDCARD) > 1:
        masked = _REPEAT_RE.sub(r"\1", _ADJACENT_RE.sub(WILDCARD, masked))
    return " ".join(masked.split())
