"""Short human renderings shared by the status bar, tool panels and slash commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from logai.terminal import json_safe

#: Argument values longer than this are shortened in one-line summaries (the panel's body
#: shows them whole).
_SUMMARY_VALUE_WIDTH = 48


def duration(seconds: float) -> str:
    """``"0.4 s"``, ``"12 s"``, ``"2 m 05 s"``: precise when short, compact when long."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} m {rest:02d} s"


def size(num_bytes: int) -> str:
    """Bytes in the largest unit that keeps the number readable (``"3.2 MB"``)."""
    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def percent(ratio: float | None) -> str:
    """A 0..1 ratio as ``"67%"``, or ``"–"`` when there is nothing to divide yet."""
    return "–" if ratio is None else f"{ratio * 100:.0f}%"


def timestamp(moment: datetime | None) -> str:
    """A UTC stamp to the minute (as ``logai cache status`` prints), or ``"–"``."""
    if moment is None:
        return "–"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``"1 event"``, ``"12,408 events"``, ``"2 entries"`` (with ``plural``)."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {plural or noun + 's'}"


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json_safe(json.dumps(value, ensure_ascii=False))
    if len(text) > _SUMMARY_VALUE_WIDTH:
        return text[: _SUMMARY_VALUE_WIDTH - 1] + "…"
    return text


def arguments_summary(arguments: dict[str, Any], width: int = 60) -> str:
    """Tool arguments on one line (``log_group=/aws/lambda/x since=1h``) for a panel title.

    Cut at ``width`` characters: the title must stay one scannable line, and the panel's body
    has every argument in full.
    """
    text = " ".join(f"{key}={_short(value)}" for key, value in arguments.items())
    return text if len(text) <= width else text[: width - 1] + "…"


def arguments_block(arguments: dict[str, Any]) -> str:
    """Tool arguments in full, one per line, for the panel body."""
    if not arguments:
        return "(none)"
    width = max(len(key) for key in arguments)
    return "\n".join(
        f"{key.ljust(width)}  "
        + (value if isinstance(value, str) else json_safe(json.dumps(value, ensure_ascii=False)))
        for key, value in arguments.items()
    )
