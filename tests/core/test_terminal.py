"""``logai.terminal``: log and LLM text never reaches a terminal as control sequences."""

from __future__ import annotations

import itertools
import json
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logai.terminal import VisibleStream, is_terminal_safe, json_safe, visible

#: Sequences an attacker would put in a log line, and how each must print.
HOSTILE = [
    ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # OSC: window title
    ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # CSI: clear screen, cursor home
    ("\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", "\\x1b]8;;http://evil/\\x1b\\click"),
    ("\x1bP+q544e\x1b\\", "\\x1bP+q544e\\x1b\\"),  # DCS: terminfo query
    ("\x9b2J", "\\x9b2J"),  # C1 CSI, obeyed by some terminals
    ("\x9d0;t\x9c", "\\x9d0;t\\x9c"),  # C1 OSC ... ST
    ("a\x08\x08b", "a\\x08\\x08b"),  # backspace overwrites
    ("abc\rxyz", "abc\\rxyz"),  # carriage return overwrites
    ("\x7f", "\\x7f"),
    ("access\u202e\u2066 // admin\u2069\u2066", "access\\u202e\\u2066 // admin\\u2069\\u2066"),
    ("user\u200bname\ufeff", "user\\u200bname\\ufeff"),  # zero-width space, BOM
    ("line\u2028two", "line\\u2028two"),
    ("tag\U000e0041\U000e007f", "tag\\U000e0041\\U000e007f"),
    ("bad \udc80 byte", "bad \\udc80 byte"),  # a lone surrogate would crash the write
]


@pytest.mark.parametrize(("text", "shown"), HOSTILE)
def test_visible_escapes_sequences_an_attacker_would_use(text: str, shown: str) -> None:
    assert visible(text).startswith(shown)
    assert is_terminal_safe(visible(text))
    assert is_terminal_safe(visible(text, multiline=True))


def test_visible_keeps_ordinary_text_including_tabs_emoji_and_scripts() -> None:
    text = "GET /ä?q=1\t200 — 日本語 שלום مرحبا 👩\u200d💻 C:\\temp\\x1b"
    assert visible(text) == text


def test_newlines_are_layout_only_in_multiline_text() -> None:
    assert visible("one\ntwo\r\nthree") == "one\\ntwo\\r\\nthree"
    assert visible("one\ntwo\r\nthree\rfour", multiline=True) == "one\ntwo\nthree\\rfour"


def test_a_zero_width_joiner_outside_an_emoji_sequence_is_shown() -> None:
    assert visible("adm\u200din") == "adm\\u200din"
    assert visible("\u200d👩") == "\\u200d👩"
    assert not is_terminal_safe("adm\u200din")
    assert is_terminal_safe("👩\u200d💻")


def test_the_escaped_set_covers_every_control_and_format_character_of_this_python() -> None:
    """The ranges are written out for speed; this holds them to the running Unicode database."""
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cc", "Cf", "Zl", "Zp", "Cs"}
        and chr(code) not in "\t\n"
        and visible(chr(code), multiline=True) == chr(code)
        and code != 0x200D  # kept only between emoji, tested above
    ]
    assert missed == []


def test_json_safe_keeps_the_data_and_the_validity() -> None:
    value = {"message": "\x1b]0;t\x07 \x9b2J \u202eevil \U000e0041 \udc80", "n": 1}
    serialized = json_safe(json.dumps(value, ensure_ascii=False))
    assert json.loads(serialized) == value
    assert is_terminal_safe(serialized, multiline=False)
    assert "\\u202e" in serialized and "\\udb40\\udc41" in serialized


@given(st.text(), st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_a_stream_split_anywhere_prints_what_the_whole_text_prints(
    text: str, cuts: list[int]
) -> None:
    """No sequence slips through by being cut across deltas, and nothing is lost or doubled."""
    bounds = sorted({min(cut, len(text)) for cut in cuts} | {0, len(text)})
    stream = VisibleStream()
    out = "".join(stream.feed(text[a:b]) for a, b in itertools.pairwise(bounds))
    out += stream.flush()
    assert out == visible(text, multiline=True)
    assert is_terminal_safe(out)


@given(st.text())
def test_visible_output_is_always_safe_and_escaping_is_idempotent(text: str) -> None:
    once = visible(text)
    assert is_terminal_safe(once, multiline=False)
    assert "\n" not in once
    assert visible(once) == once
