"""Find installed LogAI distributions without importing :mod:`importlib.metadata`.

``logai --version`` must answer in a few milliseconds; importlib.metadata alone costs ~40 ms
here, so this scans ``sys.path`` for ``logai*.dist-info`` folders directly.
"""

from __future__ import annotations

import os
import sys


def _read_name(metadata_path: str) -> str | None:
    try:
        with open(metadata_path, encoding="utf-8") as handle:  # noqa: PTH123 - fast path
            for line in handle:
                if line.startswith("Name:"):
                    return line.split(":", 1)[1].strip()
                if not line.strip():
                    break
    except OSError:
        return None
    return None


def installed_logai_distributions() -> list[tuple[str, str]]:
    """``(name, version)`` of every installed distribution whose name starts with ``logai``."""
    found: dict[str, str] = {}
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):  # noqa: PTH112 - fast path
            continue
        try:
            names = os.listdir(entry)  # noqa: PTH208 - fast path
        except OSError:
            continue
        for folder in names:
            if not folder.startswith("logai") or not folder.endswith(".dist-info"):
                continue
            stem = folder[: -len(".dist-info")]
            _, _, version = stem.rpartition("-")
            name = _read_name(os.path.join(entry, folder, "METADATA")) or stem.rpartition("-")[0]  # noqa: PTH118
            found.setdefault(name, version)
    return sorted(found.items())


def version_report() -> str:
    """The text of ``logai --version``."""
    from logai import __version__

    dists = installed_logai_distributions()
    if not dists:
        return f"logai {__version__} (running from source, no distribution installed)"
    width = max(len(name) for name, _ in dists)
    lines = [f"logai {__version__}"]
    lines += [f"  {name:<{width}}  {version}" for name, version in dists]
    return "\n".join(lines)
