"""The Textual chat frontend of LogAI (registered as the ``tui`` frontend plugin)."""

from __future__ import annotations

__version__ = "0.1.0"
