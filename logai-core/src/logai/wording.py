"""Counts in messages: "1 event", "2 events", never "1 events"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun``, the noun plural unless the number is one."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
