"""Where the stores' one-line warnings go: stderr by default, replaceable by a frontend.

A cache or history problem is never fatal, but the user should know their follow-up questions will
cost API calls again, or that answers are not being saved. A TUI cannot have stray stderr lines over
its screen, so it installs its own handler with :func:`set_warning_handler`; each store may also be
given its own callback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

__all__ = ["Warn", "emit_warning", "set_warning_handler"]

Warn = Callable[[str], None]


def _to_stderr(message: str) -> None:
    sys.stderr.write(f"logai: warning: {message}\n")


_handler: Warn = _to_stderr


def set_warning_handler(handler: Warn | None) -> None:
    """Route store warnings to ``handler`` (None restores the stderr line)."""
    global _handler
    _handler = handler or _to_stderr


def emit_warning(message: str) -> None:
    """Send one warning through the current process-wide handler."""
    _handler(message)
