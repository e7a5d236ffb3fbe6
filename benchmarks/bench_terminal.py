"""Terminal-safety benchmark: what :func:`logai.terminal.visible` costs per printed line.

Every line ``logai logs`` prints goes through ``visible``; it must stay cheap next to the work
around it. Printed figures, for 100k realistic log lines (~120 characters, 1 in 1,000 with an
escape sequence): MB/s of ``visible`` (single-line and multiline), ``json_safe`` over the JSON
of each line, and ratios against ``str.replace`` (the cheapest pass over a string) and
``json.dumps`` (work ``logs --json`` does anyway). Ratios are from one run, so machine load
cancels out.

Run: ``python benchmarks/bench_terminal.py [--lines N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable

from logai.terminal import json_safe, visible


def _lines(count: int) -> list[str]:
    rng = random.Random(7)
    lines = []
    for i in range(count):
        line = (
            f"2026-01-05T09:{i % 60:02d}:{i % 60:02d}.123Z INFO [req-{rng.getrandbits(64):016x}] "
            f"GET /api/v1/orders/{rng.randint(1, 10**6)} 200 {rng.random() * 900:.1f}ms "
            f"ip=203.0.113.{rng.randint(1, 254)} ua=Mozilla/5.0 käse 日本"
        )
        if i % 1000 == 0:
            line += " \x1b]0;pwned\x07\x1b[2J\u202e"
        lines.append(line)
    return lines


def _seconds(work: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    lines = _lines(parser.parse_args().lines)
    dumped = [json.dumps({"message": line}, ensure_ascii=False) for line in lines]
    megabytes = sum(len(line.encode()) for line in lines) / 1e6

    baseline = _seconds(lambda: [line.replace("\x00", "") for line in lines])
    single = _seconds(lambda: [visible(line) for line in lines])
    multi = _seconds(lambda: [visible(line, multiline=True) for line in lines])
    dumps = _seconds(lambda: [json.dumps({"message": line}, ensure_ascii=False) for line in lines])
    safe = _seconds(lambda: [json_safe(text) for text in dumped])

    print(f"{len(lines):,} lines, {megabytes:.1f} MB")
    for name, seconds, against, label in [
        ("visible (one line)", single, baseline, "replace"),
        ("visible (multiline)", multi, baseline, "replace"),
        ("json_safe", safe, dumps, "json.dumps"),
    ]:
        ratio = seconds / against
        print(f"{name:<21} {megabytes / seconds:8.0f} MB/s  {ratio:5.2f}x {label}")
    print(f"{'per line':<21} {single / len(lines) * 1e9:8.0f} ns")


if __name__ == "__main__":
    main()
