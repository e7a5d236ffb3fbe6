"""How soon ``logai ask`` reaches the LLM, and how soon it ends, beside importing litellm alone.

Issue 20, item 7: litellm is imported in the background while the configuration, the plugins
and the data source load, so the first request should leave no later than the import alone
would allow; and the process should end as soon as the answer and its cleanup are done.

How it is measured: ``python -m logai ask`` runs against the ``files`` source over
docs/sample-logs and the fake LLM server (OpenAI protocol, on 127.0.0.1), which notes the
arrival time of each request on the same monotonic clock the parent reads just before spawning
the process. Reported, as medians of N runs (interleaved, so machine load hits all alike):

* ``import litellm``: ``python -c "import litellm"`` from spawn to the import having finished
  (the child prints the monotonic clock then), with the environment LogAI sets before the import
  (no network cost map, production mode); and to that process's exit, teardown included;
* litellm alone making one request: a bare script importing litellm and streaming one
  completion from the same server (litellm's own first-call work included), spawn to arrival;
* time to first request: spawn to the first chat request's arrival at the server;
* time to exit: spawn to the process having ended (answer printed, caches closed);
* the answer alone: spawn to the answer's last byte on stdout.

Run: ``python benchmarks/bench_ask_latency.py [runs]`` (default 7).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fake LLM server lives with the tests

from tests.fakes.fake_llm import FakeLLMServer  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
ANSWER = "Two payments were declined and one checkout timed out."
IMPORT_LITELLM = [sys.executable, "-c", "import litellm, time; print(time.monotonic())"]


def _environment(server: FakeLLMServer, cache: Path) -> dict[str, str]:
    """What an installed LogAI runs with: compiled modules kept, as pip installs them.

    ``PYTHONDONTWRITEBYTECODE`` (set in some shells and CI images) would make every run compile
    LogAI's modules from source again (~0.1 s), while litellm's come precompiled from its wheel:
    a handicap no installed LogAI has. Bytecode goes to a folder of this run, not the tree.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LOGAI_", "AWS_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env["PYTHONPYCACHEPREFIX"] = str(cache.parent / "bytecode")
    env.update(
        LOGAI_ENV_FILE=os.devnull,
        LOGAI_DATA_SOURCE="files",
        LOGAI_FILES_ROOT=str(ROOT / "docs" / "sample-logs"),
        LOGAI_CACHE_DIR=str(cache),
        LOGAI_LLM_PROVIDER="openai",
        LOGAI_LLM_API_BASE=server.openai_base,
        LOGAI_LLM_MODEL="fake-model",
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        LITELLM_MODE="PRODUCTION",
    )
    return env


def _import_alone(env: dict[str, str]) -> tuple[float, float]:
    """(import finished, process ended), seconds after spawning."""
    started = time.monotonic()
    done = subprocess.run(IMPORT_LITELLM, env=env, check=True, capture_output=True, text=True)
    ended = time.monotonic() - started
    return float(done.stdout.split()[-1]) - started, ended


#: litellm with nothing of LogAI: import, then one streamed request, the fastest any client of
#: litellm could reach the server (its own first-call work included).
ONE_REQUEST = """
import litellm, os
for _ in litellm.completion(model="openai/fake-model", api_base=os.environ["LOGAI_LLM_API_BASE"],
        api_key="sk-bench", messages=[{"role": "user", "content": "hi"}], stream=True):
    pass
"""


def _litellm_request(server: FakeLLMServer, env: dict[str, str]) -> float:
    """Spawn to the first request of a bare litellm script, seconds."""
    server.reset()
    server.script(ANSWER)
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", ONE_REQUEST], env=env, check=True, capture_output=True)
    (first, *_) = server.chat_requests()
    return float(first.received_at - started)


def _ask(server: FakeLLMServer, env: dict[str, str]) -> tuple[float, float, float]:
    """(first request, answer printed, exit), seconds after spawning."""
    server.reset()
    server.script(ANSWER)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "logai", "ask", "What went wrong in checkout.log?"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    answered = 0.0
    printed = b""
    while chunk := process.stdout.read1(65536):
        printed += chunk
        if ANSWER.encode() in printed and not answered:
            answered = time.monotonic() - started
    status = process.wait()
    ended = time.monotonic() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if status != 0 or not answered:
        raise SystemExit(f"logai ask failed ({status}): {printed.decode()}\n{stderr}")
    (first, *_) = server.chat_requests()
    return first.received_at - started, answered, ended


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir, FakeLLMServer() as server:
        env = _environment(server, Path(workdir) / "cache")
        # Warm the file caches and compile the bytecode of both.
        _import_alone(env)
        _litellm_request(server, env)
        _ask(server, env)
        imports, import_exits, firsts, answers, exits = [], [], [], [], []
        bare: list[float] = []
        for _ in range(RUNS):
            bare.append(_litellm_request(server, env))
            imported, import_ended = _import_alone(env)
            imports.append(imported)
            import_exits.append(import_ended)
            first, answered, ended = _ask(server, env)
            firsts.append(first)
            answers.append(answered)
            exits.append(ended)
    alone, alone_exit = statistics.median(imports), statistics.median(import_exits)
    first, answered, ended = (statistics.median(x) for x in (firsts, answers, exits))
    rows = [
        ('python -c "import litellm": imported', alone, ""),
        ('python -c "import litellm": ended', alone_exit, f"teardown {alone_exit - alone:.2f} s"),
        ("litellm alone: import + one request", statistics.median(bare), ""),
        ("logai ask: first request to the LLM", first, f"import {first - alone:+.2f} s"),
        ("logai ask: answer printed", answered, ""),
        ("logai ask: process ended", ended, f"answer +{ended - answered:.2f} s"),
    ]
    print(f"median of {RUNS} runs each, seconds after spawning the process")
    for name, value, note in rows:
        print(f"{name:<40} {value:6.2f} s  {note}".rstrip())
    print(f"first request / import alone: {first / alone:.2f}x")
    print(f"first request / litellm alone, one request: {first / statistics.median(bare):.2f}x")


if __name__ == "__main__":
    main()
