"""The prompt's input history: walked with Up/Down, kept in ``LOGAI_HISTORY_FILE`` between runs.

Questions may span several lines, so the file holds one JSON string per line (JSON Lines)
rather than raw text. The file can contain sensitive questions ("why did jane@example.com's
payment fail?"), so its directory is created 0700 and the file 0600, like a shell history.
Nothing here may crash the app: an unreadable or corrupt file means an empty history and a
failed write means the entry is only remembered for this session.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

#: Entries kept; older ones are dropped when the file is next rewritten.
MAX_ENTRIES = 1000


class InputHistory:
    """Entries oldest → newest, plus a cursor for walking them like a shell does.

    Walking starts at the draft being typed (which is remembered and given back when the
    user walks past the newest entry again) and stops at either end rather than wrapping.
    """

    def __init__(self, path: Path | None, *, max_entries: int = MAX_ENTRIES) -> None:
        self.path = path
        self.max_entries = max_entries
        self.entries: list[str] = []
        self._index: int | None = None
        self._draft = ""

    # -- persistence ------------------------------------------------------------------------

    def load(self) -> None:
        """Read the file; unreadable or malformed lines are skipped, never fatal."""
        if self.path is None:
            return
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return
        entries: list[str] = []
        for line in lines:
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, str) and value.strip():
                entries.append(value)
        self.entries = entries[-self.max_entries :]
        if len(entries) > self.max_entries:
            self._rewrite()

    def add(self, text: str) -> None:
        """Remember a submitted entry (not twice in a row) and append it to the file."""
        self.reset()
        if not text.strip() or (self.entries and self.entries[-1] == text):
            return
        self.entries.append(text)
        if len(self.entries) > self.max_entries:
            del self.entries[: len(self.entries) - self.max_entries]
        self._append(text)

    def _open_private(self, mode: int) -> int | None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(self.path, mode | os.O_WRONLY | os.O_CREAT, 0o600)
        except OSError:
            return None
        # The file may predate us with looser permissions; tighten them every time.
        with contextlib.suppress(OSError):
            os.fchmod(fd, 0o600)
        return fd

    def _append(self, text: str) -> None:
        if self.path is None:
            return
        fd = self._open_private(os.O_APPEND)
        if fd is None:
            return
        with contextlib.suppress(OSError), os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(text, ensure_ascii=False) + "\n")

    def _rewrite(self) -> None:
        if self.path is None:
            return
        fd = self._open_private(os.O_TRUNC)
        if fd is None:
            return
        with contextlib.suppress(OSError), os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries)

    # -- walking ----------------------------------------------------------------------------

    @property
    def walking(self) -> bool:
        """Whether the prompt currently shows a history entry rather than the draft."""
        return self._index is not None

    def reset(self) -> None:
        """Stop walking: the next :meth:`previous` starts from the newest entry again."""
        self._index = None
        self._draft = ""

    def previous(self, current: str) -> str | None:
        """The entry before the one shown (``current`` is the draft when not walking yet)."""
        if not self.entries:
            return None
        if self._index is None:
            self._draft = current
            self._index = len(self.entries) - 1
        elif self._index == 0:
            return None
        else:
            self._index -= 1
        return self.entries[self._index]

    def next(self) -> str | None:
        """The entry after the one shown, the saved draft past the newest, None if not walking."""
        if self._index is None:
            return None
        if self._index >= len(self.entries) - 1:
            draft = self._draft
            self.reset()
            return draft
        self._index += 1
        return self.entries[self._index]
