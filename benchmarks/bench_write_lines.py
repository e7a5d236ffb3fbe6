"""``logai logs`` output: lines written one ``click.echo`` each against in batches.

Writes N rendered event lines to a real file (``/dev/null`` semantics differ: no buffer
flushing cost), through ``logai.cli._common.write_lines`` both ways, and prints lines/s and
the ratio. Run: ``python benchmarks/bench_write_lines.py [--lines 100000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time

from logai.cli._common import write_lines


def _timed(lines: list[str], *, buffered: bool) -> float:
    with tempfile.TemporaryFile("w+", encoding="utf-8") as sink:
        wrapper = io.TextIOWrapper(sink.buffer, encoding="utf-8", write_through=False)
        with contextlib.redirect_stdout(wrapper):
            started = time.perf_counter()
            write_lines(lines, buffered=buffered)
            elapsed = time.perf_counter() - started
        wrapper.detach()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [
        f"2026-11-25T10:{i // 60 % 60:02d}:{i % 60:02d}.000Z INFO request id={i:08x} "
        f"path=/api/orders/{i} status=200 latency_ms={i % 997}"
        for i in range(args.lines)
    ]
    one = min(_timed(lines, buffered=False) for _ in range(args.repeat))
    batched = min(_timed(lines, buffered=True) for _ in range(args.repeat))
    print(f"{args.lines} lines, best of {args.repeat}:")
    print(f"  one click.echo per line: {one:.3f} s ({args.lines / one:,.0f} lines/s)")
    print(
        f"  batched (write_lines buffered): {batched:.3f} s ({args.lines / batched:,.0f} lines/s)"
    )
    print(f"  ratio: {one / batched:.1f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
