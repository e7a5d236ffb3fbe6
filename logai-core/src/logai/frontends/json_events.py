"""``logai ask --json``: the orchestrator's events as JSON lines, for scripts and agents.

Every line is one event's :meth:`~logai.llm.events._Event.to_dict`, unchanged, except the last:
the ``done`` line also says where the question was saved (``conversation_id``, for a follow-up
with ``--session``) and what the whole question consumed (``usage``, the per-call ``usage``
events added up by the same :class:`~logai.llm.usage.UsageTotals` as the human ``usage:``
line). The fields are added rather than put in a new event after ``done``: a reader that stops
at ``done``, as the stream's contract invites, still gets them.

An answer interrupted by Ctrl+C still ends with ``error`` (kind ``interrupted``) and ``done``,
so even then the stream ends the same way and says what was spent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

from logai.llm.events import Done, Event, Failed, TextDelta, Usage
from logai.llm.usage import UsageTotals
from logai.terminal import json_safe

__all__ = ["JsonEventWriter"]


class JsonEventWriter:
    """One JSON line per event on ``out``; ``conversation_id`` is asked for when ``done`` comes.

    It is a callable because the history saves the conversation while the answer streams: the
    id is known only by the end (and stays None when history is off or could not be written).
    """

    def __init__(self, out: TextIO, conversation_id: Callable[[], int | None]) -> None:
        self._out = out
        self._conversation_id = conversation_id
        self._usage = UsageTotals()
        self._text: list[str] = []
        self.ok = False
        self.ended = False
        """Whether the ``done`` line was written."""

    def event(self, event: Event) -> None:
        data = event.to_dict()
        if isinstance(event, TextDelta):
            self._text.append(event.text)
        elif isinstance(event, Usage):
            self._usage.add(event)
        elif isinstance(event, Done):
            data.update(self._final_fields())
            self.ok = event.ok
            self.ended = True
        self._write(data)

    def interrupted(self) -> None:
        """End a stream cut short by Ctrl+C the way every stream ends: ``error``, then ``done``."""
        if self.ended:
            return
        self._write(Failed("interrupted.", kind="interrupted").to_dict())
        self.event(Done("".join(self._text), iterations=0, ok=False))

    def _final_fields(self) -> dict[str, Any]:
        return {"conversation_id": self._conversation_id(), "usage": self._usage.to_dict()}

    def _write(self, data: dict[str, Any]) -> None:
        # Same data, but DEL, C1 and bidi characters as \u escapes: valid JSON, inert bytes.
        self._out.write(json_safe(json.dumps(data, ensure_ascii=False)) + "\n")
        self._out.flush()
