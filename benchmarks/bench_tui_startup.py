"""Time from process start to the TUI's first painted screen (issue 8: target under 1 s).

How it is measured: ``python -m logai`` (the real command, no arguments, so the plugin host
picks the TUI as default frontend) runs in a pseudo-terminal of 100x30, exactly as in a user's
terminal. The parent notes the wall-clock time just before spawning it; the app, seeing
``LOGAI_TUI_STARTUP_PROBE``, writes the wall-clock time of its ``Ready`` event — which Textual
sends once the first frame has been written to the terminal — to a file and exits. The
difference is the start-up time; the median of several runs is reported, beside a bare
``python -c pass`` and a one-widget Textual app timed the same way, for scale (on a loaded
machine all three grow together). The configuration is complete (a dummy API key and region in a
temporary .env), so the screen measured is the chat, with its status bar; litellm, boto3 and
SQLAlchemy load after that, in the background.

Run: ``python benchmarks/bench_tui_startup.py [runs]`` (default 9).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 9
TARGET_S = 1.0
COLUMNS, ROWS = 100, 30
TIMEOUT_S = 30.0


def _environment(workdir: Path) -> dict[str, str]:
    env_file = workdir / ".env"
    env_file.write_text(
        "LOGAI_LLM_PROVIDER=anthropic\nLOGAI_ANTHROPIC_API_KEY=sk-benchmark\n"
        "AWS_REGION=us-east-1\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(
        {
            "LOGAI_ENV_FILE": str(env_file),
            "LOGAI_CACHE_DIR": str(workdir / "cache"),
            "LOGAI_HISTORY_FILE": str(workdir / "history"),
            "TERM": "xterm-256color",
            "COLUMNS": str(COLUMNS),
            "LINES": str(ROWS),
        }
    )
    return env


def _drain(master: int, process: subprocess.Popen[bytes]) -> None:
    """Read the child's screen output until it exits, so it never blocks on a full pty."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:  # EIO: the child closed its side
                break
        elif process.poll() is not None:
            break
    else:
        process.kill()
        raise RuntimeError("the TUI did not paint within the timeout")


def time_to_first_paint(argv: list[str], env: dict[str, str], probe: Path) -> float:
    """Seconds from just before spawning ``argv`` to the first painted frame."""
    probe.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    started = time.time()
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "LOGAI_TUI_STARTUP_PROBE": str(probe)},
        start_new_session=True,
    )
    os.close(slave)
    try:
        _drain(master, process)
        process.wait(timeout=TIMEOUT_S)
    finally:
        os.close(master)
    if not probe.exists():
        raise RuntimeError(f"no first-paint time recorded (exit code {process.returncode})")
    return float(probe.read_text(encoding="utf-8")) - started


#: The floor: an app with one Static, probed exactly like LogAI's.
_MINIMAL_TEXTUAL_APP = """
import os, time
from pathlib import Path
from textual.app import App
from textual.widgets import Static

class Minimal(App[None]):
    def compose(self):
        yield Static("hello")

    def on_ready(self) -> None:
        Path(os.environ["LOGAI_TUI_STARTUP_PROBE"]).write_text(f"{time.time():.6f}")
        self.exit()

Minimal().run()
"""


def time_bare_python() -> float:
    started = time.time()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.time() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = _environment(workdir)
        probe = workdir / "first-paint"
        argv = [sys.executable, "-m", "logai"]
        time_to_first_paint(argv, env, probe)  # warm the file-system caches once
        minimal = [sys.executable, "-c", _MINIMAL_TEXTUAL_APP]
        samples, floor = [], []
        for _ in range(RUNS):  # interleaved, so both see the same machine load
            samples.append(time_to_first_paint(argv, env, probe))
            floor.append(time_to_first_paint(minimal, env, probe))
        bare = statistics.median(time_bare_python() for _ in range(RUNS))
    median = statistics.median(samples)
    print(f"python -m logai → first painted TUI screen, {RUNS} runs in a {COLUMNS}x{ROWS} pty")
    print(f"  median {median * 1000:6.0f} ms   (min {min(samples) * 1000:.0f}, "
          f"max {max(samples) * 1000:.0f})")  # fmt: skip
    print(f"  one-Static Textual app: median {statistics.median(floor) * 1000:.0f} ms")
    print(f"  bare `python -c pass`:  median {bare * 1000:.0f} ms")
    verdict = "OK" if median < TARGET_S else "OVER TARGET"
    print(f"  target < {TARGET_S * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
