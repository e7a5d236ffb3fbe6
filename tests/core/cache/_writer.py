"""Child process for the concurrency test: writes and reads entries in a shared cache file.

Usage: ``python _writer.py DB_PATH PREFIX COUNT GO_FILE``. Waits for GO_FILE to exist so both
children start together, then prints one JSON line: warnings seen, writes that failed, and
when it wrote.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from logai.cache import LogCache


def payload_for(key: str) -> bytes:
    """A payload the parent can recompute to check nothing was mixed up."""
    return (key.encode() + b"|") * 400


def wait_for(go_file: Path) -> None:
    deadline = time.monotonic() + 30
    while not go_file.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


async def main(path: Path, prefix: str, count: int) -> None:
    warnings: list[str] = []
    cache = LogCache(path, warn=warnings.append, busy_timeout=10.0)
    failed = 0
    started = time.time()
    for index in range(count):
        key = f"{prefix}-{index}"
        if not await cache.set(key, payload_for(key), source="test", kind="k", ttl=3600):
            failed += 1
        if index % 5 == 0:
            await cache.get(f"{prefix}-{index // 2}")
            await cache.count()
    finished = time.time()
    await cache.aclose()
    report = {"warnings": warnings, "failed": failed, "started": started, "finished": finished}
    print(json.dumps(report))


if __name__ == "__main__":
    wait_for(Path(sys.argv[4]))
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])))
