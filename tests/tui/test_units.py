"""Small pure parts of the TUI: placeholder restoring, command parsing, formatting."""

from __future__ import annotations

import re

import pytest

from logai_tui import formatting
from logai_tui.commands import is_command
from logai_tui.placeholders import PlaceholderStream

VALUES = {"<EMAIL_1>": "jane@example.com", "<IP_2>": "10.0.0.7"}


def restore(text: str) -> str:
    return re.sub(r"<[A-Z]+_\d+>", lambda m: VALUES.get(m[0], m[0]), text)


@pytest.mark.parametrize(
    "deltas",
    [
        ["mail <EMAIL_1> from <IP_2>."],
        ["mail <EMA", "IL_1> from <", "IP_2>."],
        ["mail <", "E", "MAIL_", "1", "> from <IP_2", ">."],
    ],
)
def test_placeholders_are_restored_even_when_split_across_deltas(deltas: list[str]) -> None:
    stream = PlaceholderStream(restore)
    shown = "".join(stream.feed(d) for d in deltas) + stream.flush()
    assert shown == "mail jane@example.com from 10.0.0.7."


def test_placeholder_stream_does_not_hold_back_ordinary_text() -> None:
    stream = PlaceholderStream(restore)
    assert stream.feed("a < b and <br> tags") == "a < b and <br> tags"
    assert stream.feed("x <UNKNOWN_9> y") == "x <UNKNOWN_9> y"
    assert stream.feed("tail <ERR") == "tail "
    assert stream.flush() == "<ERR"


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/help", True),
        ("  /cache status ", True),
        ("/frobnicate", True),
        ("/aws/lambda/checkout errors in the last hour?", False),
        ("why did /aws/lambda/x fail?", False),
        ("/", False),
        ("plain question", False),
    ],
)
def test_is_command_leaves_log_group_questions_alone(text: str, command: bool) -> None:
    assert is_command(text) is command


def test_formatting() -> None:
    assert formatting.duration(0.42) == "0.4 s"
    assert formatting.duration(75) == "1 m 15 s"
    assert formatting.size(3 * 1024 * 1024) == "3.0 MB"
    assert formatting.percent(None) == "–"
    assert formatting.percent(2 / 3) == "67%"
    assert formatting.count(1, "event") == "1 event"
    assert formatting.count(12408, "event") == "12,408 events"
    assert formatting.count(2, "entry", "entries") == "2 entries"
    long = formatting.arguments_summary({"log_group": "/aws/lambda/" + "x" * 80})
    assert len(long) <= 60 and long.endswith("…")
