"""Put the sanitizer's placeholders back into streamed text, for display only.

The LLM only ever sees ``<EMAIL_1>``; the user should read the address they know. The
orchestrator's ``restore`` maps whole placeholders back, but a stream can split one across
two deltas (``"<EMA"`` + ``"IL_1> failed"``), so a possible placeholder prefix at the end
of what arrived is held back until the next delta decides it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A trailing ``<`` plus characters that could still grow into ``<KIND_N>``. Bounded so a
#: stray ``<`` never holds back more than a few dozen characters.
_PARTIAL_PLACEHOLDER = re.compile(r"<[A-Z0-9_]{0,40}\Z")


class PlaceholderStream:
    """Feeds text deltas through ``restore`` without ever cutting a placeholder in half."""

    def __init__(self, restore: Callable[[str], str]) -> None:
        self._restore = restore
        self._pending = ""

    def feed(self, text: str) -> str:
        """Restored text that can be shown now; may be empty while a placeholder is open."""
        self._pending += text
        match = _PARTIAL_PLACEHOLDER.search(self._pending)
        cut = match.start() if match else len(self._pending)
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return self._restore(ready) if ready else ""

    def flush(self) -> str:
        """Everything still held back, restored: the stream has ended."""
        ready, self._pending = self._pending, ""
        return self._restore(ready) if ready else ""
