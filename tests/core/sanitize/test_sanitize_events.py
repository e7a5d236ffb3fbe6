"""Sanitizing fetched events in blocks (``logai logs``): the same result as one call per event.

One engine call per event paid the engine's fixed set-up for every short line; blocks pay it
once per MiB. What must not change is the result: every message and stream redacted exactly as
:meth:`Sanitizer.sanitize_logs` does it, placeholders numbered in the same order, the same
counts, and events without anything to redact returned as they were.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from logai.sanitize import Sanitizer, SanitizeStats, default_rules
from logai.sanitize.stream import sanitize_events, sanitize_texts
from logai.sources import LogEvent

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEA1c7mZ3wZk0Yb2m5yV0bQ2cW8q3v0w9b1aN5q5JdV3JmF0s7h\n"
    "-----END RSA PRIVATE KEY-----"
)
MESSAGES = [
    "login jane@example.com from 10.1.2.3",
    "",
    "nothing to see",
    "Traceback (most recent call last):\n  File \"app.py\", line 3\nKeyError: 'omar@example.org'",
    f"config dump:\n{PEM}\ndone",
    "windows line\r\nwith jane@example.com\r\n",
    "trailing newline\n",
    "\n",
    "unicode\u2028separator li.4f2a@example.net \x0b vertical tab",
    "aws key AKIAIOSFODNN7EXAMPLE and again jane@example.com",
    "card 4111 1111 1111 1111 ok",
]
STREAMS = ["web-1", "stream-10.9.8.7", "", "2026/11/25/[$LATEST]ab", "jane@example.com"]


def _events(count: int) -> list[LogEvent]:
    return [
        LogEvent(
            T0 + timedelta(seconds=index),
            MESSAGES[index % len(MESSAGES)],
            "/aws/lambda/auth",
            STREAMS[index % len(STREAMS)],
            str(index),
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("block_size", [1, 64, 1000, 1 << 20])
def test_blocks_give_what_one_call_per_event_gives(block_size: int) -> None:
    events = _events(3 * len(MESSAGES) * len(STREAMS))
    expected, expected_stats = Sanitizer(default_rules()).sanitize_logs(events)
    sanitizer = Sanitizer(default_rules())
    got, stats = sanitize_events(events, sanitizer, block_size=block_size)
    assert [(e.message, e.stream) for e in got] == [(e.message, e.stream) for e in expected]
    assert got == expected
    assert stats.counts == expected_stats.counts
    assert sanitizer.restore(got[0].message) == events[0].message


def test_unchanged_events_are_the_same_objects() -> None:
    events = _events(len(MESSAGES) * len(STREAMS))
    expected, _ = Sanitizer(default_rules()).sanitize_logs(events)
    got, _ = sanitize_events(events, Sanitizer(default_rules()))
    kept = [after is before for before, after in zip(events, got, strict=True)]
    assert kept == [after is before for before, after in zip(events, expected, strict=True)]
    assert any(kept) and not all(kept)


def test_a_disabled_sanitizer_changes_nothing() -> None:
    events = _events(20)
    got, stats = sanitize_events(events, Sanitizer(default_rules(), enabled=False))
    assert got == events and not stats


class _Counting:
    """The real sanitizer, counting its calls."""

    def __init__(self) -> None:
        self.inner = Sanitizer(default_rules())
        self.calls = 0

    def sanitize_text(self, text: str) -> tuple[str, SanitizeStats]:
        self.calls += 1
        return self.inner.sanitize_text(text)


def test_ten_thousand_events_take_a_handful_of_engine_calls() -> None:
    counting = _Counting()
    events = _events(10_000)
    sanitize_events(events, counting)
    size = sum(len(e.message) + len(e.stream) + 2 for e in events)
    # One call per MiB block, plus one to count each repeated stream name that had a value.
    assert counting.calls <= size // (1 << 20) + 1 + len(STREAMS)


class _LineEating:
    """A sanitizer that (wrongly) joins lines: blocks must not be cut at the wrong places."""

    calls: list[str]

    def __init__(self) -> None:
        self.calls = []

    def sanitize_text(self, text: str) -> tuple[str, SanitizeStats]:
        self.calls.append(text)
        return text.replace("secret\n", "<S> "), SanitizeStats({"S": text.count("secret\n")})


def test_a_block_that_comes_back_with_other_line_breaks_is_redone_text_by_text() -> None:
    texts = ["a secret", "b", "c secret\nd", "e"]
    sanitizer = _LineEating()
    clean, stats = sanitize_texts(texts, sanitizer)
    assert clean == ["a secret", "b", "c <S> d", "e"]
    assert stats.counts == {"S": 1}
    assert sanitizer.calls[1:] == texts  # the block, then each text alone
