"""Turn orchestrator events into terminal lines: shared by ``logai ask`` and the plain chat.

Everything returned here is safe to write to a terminal: log and LLM text has its control and
format characters made visible (:mod:`logai.terminal`), and URLs in messages have their
credentials masked.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from logai.llm.events import (
    Done,
    Event,
    Failed,
    Notice,
    Redacted,
    ToolCallFinished,
    ToolCallStarted,
    Usage,
)
from logai.llm.usage import UsageMeter
from logai.terminal import VisibleStream, visible
from logai.url_credentials import mask_urls_in_text


def _short_arguments(arguments: dict[str, Any], width: int = 90) -> str:
    parts = [f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in arguments.items()]
    text = ", ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


def activity_line(event: Event) -> str | None:
    """One line of tool activity for stderr, or None for events that are not activity.

    The line quotes LLM-chosen arguments and tool or error text, so it is escaped as a whole.
    """
    line = _activity_text(event)
    return None if line is None else visible(mask_urls_in_text(line))


def _activity_text(event: Event) -> str | None:
    if isinstance(event, ToolCallStarted):
        return f"→ {event.name}({_short_arguments(event.arguments)})"
    if isinstance(event, ToolCallFinished):
        details = [event.summary] if event.ok else [f"failed: {event.summary}"]
        if event.cache:
            details.append(f"cache {event.cache}")
        details.append(f"{event.duration_s:.1f}s")
        if event.redactions:
            details.append(event.redactions)
        mark = "✓" if event.ok else "✗"
        return f"{mark} {event.name}: " + ", ".join(details)
    if isinstance(event, Redacted):
        return f"🔒 {event.summary} before anything reached the LLM"
    if isinstance(event, Notice):
        return f"note: {event.message}"
    if isinstance(event, Failed):
        return f"error: {event.message}"
    return None


class PlaceholderStreamRestorer:
    """Restore ``<EMAIL_1>``-style placeholders in streamed text, even when split across deltas.

    Text after an unclosed ``<`` is held back (at most a short window) until it can be decided.
    What comes out is for a terminal: restored values and the model's own text alike have
    their control and format characters made visible (newlines and tabs stay layout).
    """

    _WINDOW = 48

    def __init__(self, restore: Any) -> None:
        self._restore = restore
        self._pending = ""
        self._visible = VisibleStream()

    def feed(self, text: str) -> str:
        buffer = self._pending + text
        cut = buffer.rfind("<")
        if cut != -1 and ">" not in buffer[cut:] and len(buffer) - cut < self._WINDOW:
            self._pending = buffer[cut:]
            buffer = buffer[:cut]
        else:
            self._pending = ""
        return self._visible.feed(str(self._restore(buffer)))

    def flush(self) -> str:
        rest, self._pending = self._pending, ""
        return self._visible.feed(str(self._restore(rest))) + self._visible.flush()


class AnswerWriter:
    """Write one answer to a terminal: streamed text on ``out``, activity lines on ``err``.

    The two streams are often the same terminal, and either may be redirected alone, so every
    switch from answer text to an activity line first ends the text's line on ``out``: neither
    the terminal (``Let me look.`` then ``→ list_log_groups(…)``) nor ``out`` alone
    (``Let me look.`` then the next text) shows two pieces glued together, and the answer always
    ends with a newline before the redaction summary follows it.

    ``Usage`` events are added to ``usage`` (a fresh meter unless the caller keeps one for the
    whole conversation) and summed up in one ``usage:`` line when the answer is done.
    """

    def __init__(
        self, restore: Any, out: TextIO, err: TextIO, usage: UsageMeter | None = None
    ) -> None:
        self._restorer = PlaceholderStreamRestorer(restore)
        self._out = out
        self._err = err
        self._mid_line = False  # ``out`` holds answer text whose line is not ended yet
        self.wrote_text = False
        self._usage = usage if usage is not None else UsageMeter()
        self._with_conversation = usage is not None
        self._usage.start_question()

    def text(self, delta: str) -> None:
        self._write_out(self._restorer.feed(delta))

    def activity(self, event: Event) -> None:
        """The event's activity line on ``err`` (nothing for events that are not activity)."""
        if isinstance(event, Usage):
            self._usage.add(event)
            return
        line = activity_line(event)
        if isinstance(event, Done):
            line = self._usage.line(with_conversation=self._with_conversation)
        if line is None:
            return
        self.end_text()
        self._err.write(line + "\n")
        self._err.flush()

    def end_text(self) -> None:
        """Finish the current piece of answer text: held-back characters, then a line break."""
        self._write_out(self._restorer.flush())
        if self._mid_line:
            self._out.write("\n")
            self._mid_line = False
        self._out.flush()

    def _write_out(self, shown: str) -> None:
        if not shown:
            return
        self._out.write(shown)
        self._out.flush()
        self._mid_line = not shown.endswith("\n")
        self.wrote_text = True
