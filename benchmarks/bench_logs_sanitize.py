"""Sanitizing fetched events (``logai logs``) costs about what ``logai sanitize`` costs.

Target (issue 12): sanitizing N events on the ``logai logs`` path takes at most 1.5x the CPU
time of ``logai sanitize`` over the same N lines. Both run in this process on the same lines,
so only the sanitization is measured, never a fetch:

- **filter path**: :func:`logai.sanitize.stream.sanitize_stream` over the lines as bytes, what
  ``logai sanitize`` runs;
- **logs path**: :func:`logai.cli.logs_cmd.sanitize` over the lines as events (with CloudWatch-
  like stream names, which are sanitized too), what ``logai logs`` runs after fetching;
- **per event** (for context): :meth:`Sanitizer.sanitize_logs`, one engine call per message and
  per stream, which is what ``logai logs`` did before.

Lines are ``bench_sanitize``'s seeded mix (20% carry PII or secrets). Figures are process CPU
time (a shared machine's load does not count), best of three, a fresh sanitizer each run.

Run: ``python benchmarks/bench_logs_sanitize.py [--events 100000]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sanitize import LogFaker
from logai.cli.logs_cmd import sanitize as logs_path
from logai.config import load_settings
from logai.sanitize import Sanitizer
from logai.sanitize.stream import sanitize_stream
from logai.sources import LogEvent

TARGET = 1.5


def cpu_seconds(run: Callable[[Sanitizer], object], repeats: int = 3) -> float:
    """Best process CPU time of ``run`` over ``repeats`` runs, each with a fresh sanitizer."""
    best = float("inf")
    for _ in range(repeats):
        sanitizer = Sanitizer.from_plugins(enabled=True, disabled_rules=[])
        started = time.process_time()
        run(sanitizer)
        best = min(best, time.process_time() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--skip-per-event", action="store_true", help="skip the slow old path")
    args = parser.parse_args()

    lines = list(itertools.islice(LogFaker().lines(), args.events))
    start = datetime(2026, 11, 25, tzinfo=UTC)
    events = [
        LogEvent(start + timedelta(milliseconds=10 * i), line, "/aws/lambda/orders",
                 f"2026/11/25/[$LATEST]{i // 5000:08x}", str(i))
        for i, line in enumerate(lines)
    ]  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()
    settings = load_settings(pii_sanitization_enabled=True)
    print(f"{len(events):,} events, {len(data) / 1e6:.1f} MB of lines")

    def filter_path(sanitizer: Sanitizer) -> None:
        sanitize_stream(io.BytesIO(data), io.BytesIO(), sanitizer)

    def fetch_path(sanitizer: Sanitizer) -> None:
        with contextlib.redirect_stderr(io.StringIO()):  # its "Redacted ..." summary
            logs_path(sanitizer, settings, events)

    filtered = cpu_seconds(filter_path)
    fetched = cpu_seconds(fetch_path)
    print(f"logai sanitize (filter path): {filtered:6.2f} s CPU")
    print(f"logai logs (fetch path):      {fetched:6.2f} s CPU")
    if not args.skip_per_event:
        per_event = cpu_seconds(lambda s: s.sanitize_logs(events), repeats=1)
        print(f"one call per event (before):  {per_event:6.2f} s CPU "
              f"({per_event / filtered:.1f}x the filter path)")  # fmt: skip
    ratio = fetched / filtered
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"fetch/filter ratio: {ratio:.2f} (target <= {TARGET}): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
