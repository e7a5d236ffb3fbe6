"""The one interruption contract every chat frontend keeps (docs/guide.md).

Ctrl+C during an answer cancels that answer; a second Ctrl+C within :data:`QUIT_WINDOW_SECONDS`
quits. Frontends differ in how a key press reaches them (a ``KeyboardInterrupt`` around
``input()`` in the plain chat, a key binding in the TUI), so what they share is the counting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["QUIT_HINT", "QUIT_WINDOW_SECONDS", "InterruptCounter"]

#: Seconds within which a second Ctrl+C quits.
QUIT_WINDOW_SECONDS = 2.0

#: What a Ctrl+C that did not quit tells the user.
QUIT_HINT = "Press Ctrl+C again, or Ctrl+D, to quit."


class InterruptCounter:
    """Tells a Ctrl+C that should quit (the second in the window) from one that should not."""

    def __init__(
        self,
        window: float = QUIT_WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window
        self._clock = clock
        self._last: float | None = None

    def press(self) -> bool:
        """Count one Ctrl+C; True when it came within the window of the previous one."""
        now = self._clock()
        previous, self._last = self._last, now
        return previous is not None and now - previous < self._window

    def reset(self) -> None:
        """Something else happened since (a line was typed): the next Ctrl+C starts over."""
        self._last = None
