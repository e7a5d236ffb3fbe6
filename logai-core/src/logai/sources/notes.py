"""Side notes a data source attaches to one call: "skipped 2 files: …", shown with its result.

A source's methods return events or groups, nothing else; but what it left out on purpose (a
file it may not read) is part of the answer, for the user and for the LLM alike. The caller
opens a :func:`collect_notes` block around the call and the source calls :func:`add_note`
anywhere below it, in worker threads too (``asyncio.to_thread`` carries the context along).
Outside a block a note goes nowhere, so sources need not know whether anyone listens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["add_note", "collect_notes"]

_notes: ContextVar[list[str] | None] = ContextVar("logai_source_notes", default=None)


def add_note(text: str) -> None:
    """Attach ``text`` (one line, fit for people and the LLM) to the call being collected."""
    notes = _notes.get()
    if notes is not None and text not in notes:
        notes.append(text)


@contextmanager
def collect_notes() -> Iterator[list[str]]:
    """Collect the notes of the source calls made inside the block into the yielded list."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)
