"""Throughput and peak memory of the ``files`` source over a 1 GB log file.

Claim (issue 9): large files are streamed, never read whole; memory is bounded by the result
limit, not the file. Bound checked here: **peak RSS below 100 MB** in every scenario, for a
1 GB file (the interpreter with LogAI imported is about 25 MB of that).

The file is generated in a temporary folder (about a day of Python-logging lines ending now,
a multi-line traceback every 5,000 lines, a rare ``OutOfMemoryError`` every 1,000,000 lines) and
deleted afterwards. Each scenario runs in a fresh child process, so its peak RSS
(``ru_maxrss``) is its own:

* ``fetch ERROR limit 100``: a filter that matches often and a small limit - stops early;
* ``search ERROR limit 100``: the same through ``search_logs`` with a prefix;
* ``fetch last hour``: the tools' default range - a binary search by time skips the rest;
* ``full scan, rare filter``: every byte read (the rare term sits throughout the file);
* ``full scan, gzip``: the same over a gzip-compressed slice (``--gz-mb``, default 128 MB).

Run: ``python benchmarks/bench_files.py [--size-mb 1024] [--gz-mb 128] [--dir /tmp]``.
The machine's load matters (two shared cores here): CPU seconds are printed beside wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

MEMORY_BOUND_MB = 100
RARE_TERM = "OutOfMemoryError"
RARE_EVERY = 1_000_000
TRACE_EVERY = 5_000

_MESSAGES = [
    "INFO  [http-{w}] GET /api/v1/orders/{n} 200 {d}ms user=u{u}",
    "INFO  [http-{w}] POST /api/v1/cart 201 {d}ms user=u{u}",
    "DEBUG [worker-{w}] cache hit key=order:{n} ttl=300",
    "INFO  [worker-{w}] job {n} finished in {d}ms",
    "WARN  [http-{w}] slow query on orders took {d}ms (threshold 250ms)",
    "ERROR [http-{w}] GET /api/v1/orders/{n} 502 upstream connect error after {d}ms",
    "INFO  [scheduler] heartbeat ok queue_depth={w}",
]
_TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/handlers.py", line 88, in handle\n'
    "    return self.backend.fetch(order_id)\n"
    "KeyError: 'order'\n"
)


def _text(index: int, stamp: str) -> str:
    """Line ``index`` of the generated file (plus a traceback after some)."""
    template = _MESSAGES[(index * 7 + index // 13) % len(_MESSAGES)]
    message = template.format(w=index % 16, n=index % 99_991, d=index % 997, u=index % 5003)
    if index % RARE_EVERY == RARE_EVERY // 2:
        message = f"ERROR [worker-3] {RARE_TERM}: Java heap space while exporting"
    text = f"{stamp} {message}\n"
    return text + _TRACE if index % TRACE_EVERY == TRACE_EVERY - 1 else text


def generate(path: Path, size_bytes: int, end: datetime) -> int:
    """Write about ``size_bytes`` of log lines spread over the day before ``end``.

    Returns the line count. The average line length is measured first, so the timestamps end
    close to ``end`` (the "last hour" scenario needs the file to reach the present).
    """
    sample = 20_000
    average = sum(len(_text(i, "2026-11-25 14:03:07,123")) for i in range(sample)) / sample
    step_us = 86_400_000_000 / (size_bytes / average)
    start = end - timedelta(days=1)
    written = lines = 0
    second_text, second_of = "", -1
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        batch: list[str] = []
        while written < size_bytes:
            moment = start + timedelta(microseconds=lines * step_us)
            epoch_second = int(moment.timestamp())
            if epoch_second != second_of:
                second_of, second_text = epoch_second, moment.strftime("%Y-%m-%d %H:%M:%S")
            text = _text(lines, f"{second_text},{moment.microsecond // 1000:03d}")
            batch.append(text)
            written += len(text)
            lines += 1
            if len(batch) >= 10_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))
    return lines


def gzip_slice(source: Path, target: Path, size_bytes: int) -> None:
    """Compress the first ``size_bytes`` of ``source`` (whole lines) into ``target``."""
    with source.open("rb") as src, gzip.open(target, "wb", compresslevel=1) as dst:
        copied = 0
        while copied < size_bytes:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            dst.write(chunk)
            copied += len(chunk)
        dst.write(src.readline())


# -- one scenario, in a child process -------------------------------------------------------


def run_scenario(name: str, folder: Path, group: str) -> dict[str, float]:
    """Run one scenario here and report its figures (called in a fresh child process)."""
    from logai.sources.files import FilesSource

    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    source = FilesSource(folder)
    end = datetime.now(UTC) + timedelta(minutes=10)
    start = end - timedelta(days=2)
    calls = {
        "fetch ERROR limit 100": lambda: source.fetch_logs(group, start, end, "ERROR", 100),
        "search ERROR limit 100": lambda: source.search_logs(
            [], "ERROR", start, end, 100, prefixes=[group[:4]]
        ),
        "fetch last hour": lambda: source.fetch_logs(
            group, end - timedelta(hours=1), end, None, 1000
        ),
        "full scan, rare filter": lambda: source.fetch_logs(group, start, end, RARE_TERM, 1000),
        "full scan, gzip": lambda: source.fetch_logs(group, start, end, RARE_TERM, 1000),
    }
    wall, cpu = time.perf_counter(), time.process_time()
    events = asyncio.run(calls[name]())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "events": len(events),
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_rss_mb": baseline_mb,
    }


def child(name: str, folder: Path, group: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", name, str(folder), group]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


# -- driver ---------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the big file")
    parser.add_argument("--gz-mb", type=int, default=128, help="uncompressed size of the gz slice")
    parser.add_argument("--dir", default=None, help="where to create the temporary folder")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, folder, group = args.child
        print(json.dumps(run_scenario(name, Path(folder), group)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="logai-bench-files-", dir=args.dir))
    try:
        big = folder / "app.log"
        started = time.perf_counter()
        lines = generate(big, args.size_mb * 1024 * 1024, datetime.now(UTC))
        size = big.stat().st_size
        print(f"generated {size / 1e6:,.0f} MB, {lines:,} lines in "
              f"{time.perf_counter() - started:.0f} s ({folder})")  # fmt: skip
        gz = folder / "slice.log.gz"
        gzip_slice(big, gz, args.gz_mb * 1024 * 1024)
        gz_plain = min(size, args.gz_mb * 1024 * 1024)
        rare_expected = sum(1 for i in range(lines) if i % RARE_EVERY == RARE_EVERY // 2)
        scenarios = [
            ("fetch ERROR limit 100", "app.log", size),
            ("search ERROR limit 100", "app.log", size),
            ("fetch last hour", "app.log", size),
            ("full scan, rare filter", "app.log", size),
            ("full scan, gzip", "slice.log.gz", gz_plain),
        ]
        print(f"{'scenario':<24} {'events':>7} {'wall s':>7} {'cpu s':>7} "
              f"{'MB/s (cpu)':>11} {'peak RSS':>9}")  # fmt: skip
        worst = baseline = 0.0
        for name, group, scanned in scenarios:
            result = child(name, folder, group)
            cpu, peak = result["cpu_s"], result["peak_rss_mb"]
            baseline = result["baseline_rss_mb"]
            worst = max(worst, peak)
            rate = f"{scanned / 1e6 / cpu:,.0f}" if "full scan" in name else "-"
            print(f"{name:<24} {result['events']:>7.0f} {result['wall_s']:>7.2f} "
                  f"{cpu:>7.2f} {rate:>11} {peak:>6.0f} MB")  # fmt: skip
            if name == "full scan, rare filter" and result["events"] != rare_expected:
                print(f"  !! expected {rare_expected} {RARE_TERM} events")
                return 1
        verdict = "OK" if worst < MEMORY_BOUND_MB else "OVER BOUND"
        print(f"peak RSS {worst:.0f} MB (interpreter + LogAI alone: {baseline:.0f} MB), "
              f"bound {MEMORY_BOUND_MB} MB: {verdict}")  # fmt: skip
        return 0 if worst < MEMORY_BOUND_MB else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    sys.exit(main())
