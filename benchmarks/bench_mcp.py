"""``logai mcp`` start-up: time from process start to ``initialize`` and ``tools/list`` answers.

An agent starts ``logai mcp`` and waits for these two answers before it can use any tool, so
they must come within a second. Measured as an agent sees it: a fresh ``python -m logai mcp``
process over stdio, the clock started just before the process is spawned, the requests written
at once, each answer timed when its line arrives on stdout. Also timed: the first
``fetch_logs`` call (cold cache), and for scale a process that only imports the MCP SDK (most of
the start-up is that import: the SDK's pydantic models of every protocol revision).

Sources: CloudWatch (moto's HTTP server in a child process, fake credentials) and local files.

Run: ``python benchmarks/bench_mcp.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # test helpers: moto, seeding

GROUP = "/aws/lambda/checkout"


def _requests(group: str) -> str:
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "bench", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "fetch_logs", "arguments": {"log_group": group}},
        },
    ]
    return "".join(json.dumps(message) + "\n" for message in messages)


def one_run(env: dict[str, str], args: list[str], group: str) -> dict[int, float]:
    """Seconds from spawn to each reply (by request id)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "logai", "mcp", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(_requests(group))
    process.stdin.flush()
    seen: dict[int, float] = {}
    while len(seen) < 3:
        line = process.stdout.readline()
        if not line:
            break
        reply = json.loads(line)
        if "id" in reply:
            seen[reply["id"]] = time.perf_counter() - started
            if "error" in reply or reply.get("result", {}).get("isError"):
                print(f"  request {reply['id']} failed: {line[:300]}", file=sys.stderr)
    _, stderr = process.communicate(timeout=60)
    if len(seen) < 3:
        raise SystemExit(f"logai mcp answered only {sorted(seen)}:\n{stderr}")
    return seen


def report(name: str, runs: list[dict[int, float]]) -> None:
    def figure(request: int) -> str:
        times = [run[request] * 1000 for run in runs]
        return f"median {statistics.median(times):6.0f} ms  min {min(times):6.0f} ms"

    print(f"{name} ({len(runs)} runs, from process start)")
    print(f"  initialize answered   {figure(1)}")
    print(f"  tools/list answered   {figure(2)}")
    print(f"  first fetch_logs      {figure(3)}")


_IMPORT_SDK = (
    "import time; t = time.perf_counter(); import mcp.server.stdio, mcp.server.lowlevel; "
    "print(time.perf_counter() - t)"
)


def baseline(runs: int) -> None:
    """For scale: the MCP SDK's import alone, timed inside a fresh interpreter."""
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", _IMPORT_SDK], capture_output=True, text=True, check=True
            ).stdout
        )
        * 1000
        for _ in range(runs)
    ]
    print(
        f"  import the MCP SDK server  median {statistics.median(times):6.0f} ms  "
        f"min {min(times):6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    from tests.cloudwatch.fixtures import seed_events
    from tests.fakes.moto_server import MotoServerProcess, fake_aws_env

    with tempfile.TemporaryDirectory() as folder:
        base = {k: v for k, v in os.environ.items() if not k.startswith("LOGAI_")}
        base["LOGAI_CACHE_DIR"] = str(Path(folder) / "cache")
        base["LOGAI_ENV_FILE"] = str(Path(folder) / "no.env")

        with MotoServerProcess() as server:
            seed_events(server.logs_client(), GROUP, [f"ERROR job {i} failed" for i in range(200)])
            env = fake_aws_env(server.endpoint, base)
            env["LOGAI_CACHE_DIR"] = str(Path(folder) / "cache-cw")
            runs = []
            for n in range(options.runs):
                env["LOGAI_CACHE_DIR"] = str(Path(folder) / f"cache-cw-{n}")  # cold every run
                runs.append(one_run(env, [], GROUP))
            report("cloudwatch (moto over HTTP)", runs)

        logs = Path(folder) / "logs"
        logs.mkdir()
        (logs / "app.log").write_text("".join(f"ERROR job {i} failed\n" for i in range(200)))
        env = {**base, "LOGAI_FILES_ROOT": str(logs)}
        runs = []
        for n in range(options.runs):
            env["LOGAI_CACHE_DIR"] = str(Path(folder) / f"cache-files-{n}")
            runs.append(one_run(env, ["--source", "files"], "app.log"))
        report("files", runs)
    print("for scale")
    baseline(options.runs)


if __name__ == "__main__":
    main()
