"""Start-up time of the ``logai`` command beside a bare interpreter, in the same run.

Target (issue 2): ``logai --version`` at most 120 ms above ``python -c pass``. Also reports
``--help``, ``plugins`` and ``config show`` so regressions in plugin loading show up.
Run: ``python benchmarks/bench_startup.py [runs]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 21
LOGAI = [sys.executable, "-c", "from logai.cli import main; main()"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "logai --version": [*LOGAI, "--version"],
    "logai --help": [*LOGAI, "--help"],
    "logai plugins": [*LOGAI, "plugins"],
    "logai config show": [*LOGAI, "config", "show"],
}


def median_ms(argv: list[str]) -> float:
    env = {**os.environ, "LOGAI_ENV_FILE": os.devnull}
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
        )
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    # Interleave a warm-up so every command starts with warm file caches.
    for argv in COMMANDS.values():
        subprocess.run(argv, capture_output=True, check=False)
    results = {name: median_ms(argv) for name, argv in COMMANDS.items()}
    bare = results["python -c pass"]
    print(f"median of {RUNS} runs each")
    for name, value in results.items():
        extra = "" if name == "python -c pass" else f"  (+{value - bare:.0f} ms over bare python)"
        print(f"{name:<20} {value:7.1f} ms{extra}")
    over = results["logai --version"] - bare
    verdict = "OK" if over <= 120 else "OVER TARGET"
    print(f"logai --version overhead: {over:.0f} ms (target <= 120 ms): {verdict}")


if __name__ == "__main__":
    main()
