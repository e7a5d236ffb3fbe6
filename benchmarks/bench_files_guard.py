"""What guardrails cost the ``files`` source: listing and reading a large tree with and without
``LOGAI_LOG_GROUPS_DENY``.

With rules set, every file is judged by its name and by what it really reads (symlinks
followed): the walk resolves each folder once, the guard asks the source for the real name of
each file it lists or an event came from. The tree: ``--folders`` folders of ``--files`` small
log files each, a tenth of them symlinks to a file of another folder, one folder denied.

Run: ``python benchmarks/bench_files_guard.py [--folders 20] [--files 500] [--rounds 3]``.
Prints the best of ``--rounds`` wall times per scenario and the guarded/unguarded ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from logai.sources.files import FilesSource
from logai.sources.group_rules import GroupRules
from logai.sources.guard import GuardedSource


def build(root: Path, folders: int, files: int) -> None:
    stamp = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for f in range(folders):
        folder = root / f"dir{f:03d}"
        folder.mkdir(parents=True)
        for n in range(files):
            path = folder / f"app{n:05d}.log"
            if n % 10 == 9:
                path.symlink_to(f"../dir{(f + 1) % folders:03d}/app{n - 1:05d}.log")
            else:
                path.write_text(f"{stamp} INFO line {f}/{n}\n")


def best(rounds: int, work: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        asyncio.run(work())  # type: ignore[arg-type]
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--folders", type=int, default=20)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    start = datetime.now(UTC) - timedelta(hours=1)
    end = datetime.now(UTC) + timedelta(minutes=5)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "logs"
        build(root, args.folders, args.files)
        plain = FilesSource(root)
        guarded = GuardedSource(FilesSource(root), GroupRules.parse([], ["dir000/*"]))
        total = args.folders * args.files
        print(f"tree: {args.folders} folders x {args.files} files ({total} entries, 10% links)")
        for label, make in (
            ("list 10,000 groups", lambda s: s.list_log_groups(limit=10_000)),
            ("fetch '.' (every file)", lambda s: s.fetch_logs(".", start, end, limit=100_000)),
            ("search prefix 'dir001/'", lambda s: s.search_logs([], "", start, end, 100_000,
                                                                  prefixes=["dir001/"])),
        ):  # fmt: skip
            source_times = {
                name: best(args.rounds, functools.partial(make, source))
                for name, source in (("unguarded", plain), ("guarded", guarded))
            }
            ratio = source_times["guarded"] / source_times["unguarded"]
            print(
                f"{label:<24} unguarded {source_times['unguarded']:.3f} s  "
                f"guarded {source_times['guarded']:.3f} s  ratio {ratio:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
