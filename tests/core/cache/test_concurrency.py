"""Two LogAI processes writing the same cache file at once: no errors, no lost entries."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from logai.cache import LogCache

from ._writer import payload_for

WRITER = Path(__file__).with_name("_writer.py")
PER_PROCESS = 150


async def _read_back(db: Path) -> None:
    """Every entry of both writers is there, with its own payload."""
    cache = LogCache(db)
    try:
        assert await cache.count() == 2 * PER_PROCESS
        for prefix in ("alpha", "beta"):
            for index in range(PER_PROCESS):
                key = f"{prefix}-{index}"
                assert await cache.get(key) == payload_for(key), key
        assert cache.available
    finally:
        await cache.aclose()


@pytest.mark.slow
def test_two_processes_write_concurrently_without_errors_or_losses(tmp_path: Path) -> None:
    db = tmp_path / "shared" / "cache.sqlite3"
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    children = [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(db), prefix, str(PER_PROCESS), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for prefix in ("alpha", "beta")
    ]
    time.sleep(0.5)  # let both import and reach the starting line
    go.touch()
    reports = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    assert [(r["warnings"], r["failed"]) for r in reports] == [([], 0), ([], 0)]
    # The two writing phases really overlapped.
    assert max(r["started"] for r in reports) < min(r["finished"] for r in reports)
    asyncio.run(_read_back(db))
