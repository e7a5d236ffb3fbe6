"""Seed the contract dataset as log files, for the files source and for plugin tests."""

from __future__ import annotations

from pathlib import Path

from logai.testing.dataset import ContractDataset
from logai.timeparse import format_time

__all__ = ["write_dataset"]


def write_dataset(dataset: ContractDataset, root: Path) -> list[Path]:
    """Write each group as ``root/<group name>``, one ``<ISO time> <message>`` line per event.

    An empty group becomes an empty file. Returns the files written.
    """
    written = []
    for group in dataset.groups:
        path = root / group.name
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{format_time(event.timestamp)} {event.message}\n" for event in group.events]
        path.write_text("".join(lines), encoding="utf-8")
        written.append(path)
    return written
