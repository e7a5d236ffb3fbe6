"""``logai ask`` leaves nothing on stderr but its own lines, however it ends.

The cache's aiosqlite connections live in the command's event loop. When a command let the
loop close with cache work still running (the background sweep that the first write of a
session starts), ``asyncio.run`` cancelled that work and SQLAlchemy's pool printed an
"Exception during reset or similar … CancelledError" traceback, in a few runs out of thirty.

A cacheable source is needed for the cache to be used at all, so these tests ask the example
plugin's in-memory source (the files source is never cached). Most runs happen in this process,
each in a fresh event loop exactly as the command creates it (litellm costs seconds to import per
process); a few run as real processes to cover interpreter shutdown, Ctrl+C and an error exit.
"""

from __future__ import annotations

import gc
import logging
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import InstallPlugins
from tests.fakes.fake_llm import FakeLLMServer, Fault, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture

QUESTION = ["ask", "--source", "example", "what failed?"]
FETCH = ToolCall(
    "fetch_logs",
    {
        "log_group": "/example/app",
        "start_time": "2026-01-01T00:00:00Z",
        "end_time": "2026-01-02T00:00:00Z",
    },
)
ANSWER = "One ERROR: boom."
#: What ``logai ask`` itself writes on stderr in a normal run.
EXPECTED_STDERR = ("→ fetch_logs(", "✓ fetch_logs: 2 events", "usage: ")


def _respond(request: LLMRequest) -> Turn:
    return Turn(tool_calls=[FETCH]) if not request.tool_results else Turn(text=ANSWER)


def _foreign_lines(stderr: str) -> list[str]:
    """stderr lines that ``logai ask`` did not write on purpose."""
    return [line for line in stderr.splitlines() if not line.startswith(EXPECTED_STDERR)]


@pytest.fixture
def ask_env(
    fake_llm: FakeLLMServer,  # noqa: F811
    install_test_plugins: InstallPlugins,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[dict[str, str]]:
    """Settings for ``logai ask`` over the example source, here and in child processes."""
    env = install_test_plugins("logai-example-plugin")
    settings = {
        "LOGAI_LLM_PROVIDER": "openai",
        "LOGAI_LLM_API_BASE": fake_llm.openai_base,
        "LOGAI_LLM_MODEL": "fake-model",
        "LOGAI_CACHE_DIR": str(tmp_path / "cache"),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    yield {**env, **settings}


def _spawn(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "logai", *QUESTION],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_ask_exits_without_a_traceback_fifty_times(
    fake_llm: FakeLLMServer,  # noqa: F811
    ask_env: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from logai.cli.app import cli as main
    from logai.plugins import set_host

    fake_llm.respond_with(_respond)
    caplog.set_level(logging.WARNING)
    # Real processes first (in parallel, while this process runs its own share below).
    processes = ThreadPoolExecutor(max_workers=2)
    children = [processes.submit(lambda: _spawn(ask_env).communicate(timeout=120))
                for _ in range(4)]  # fmt: skip
    runner = CliRunner()
    for run in range(46):
        set_host(None)  # a fresh process would load the plugins afresh
        result = runner.invoke(main, QUESTION, catch_exceptions=False)
        assert result.exit_code == 0, (run, result.output)
        assert result.stdout.strip() == ANSWER, (run, result.stdout)
        assert _foreign_lines(result.stderr) == [], (run, result.stderr)
        assert [record.getMessage() for record in caplog.records] == [], run
    gc.collect()  # a connection left unclosed would complain now
    assert [record.getMessage() for record in caplog.records] == []
    for child in children:
        stdout, stderr = child.result(timeout=120)
        assert stdout.strip() == ANSWER, stderr
        assert _foreign_lines(stderr) == []
    processes.shutdown()
    assert not fake_llm.problems


@pytest.mark.slow
def test_ctrl_c_mid_answer_exits_130_without_a_traceback(
    fake_llm: FakeLLMServer,  # noqa: F811
    ask_env: dict[str, str],
) -> None:
    # The fetch writes to the cache (and starts a sweep); the next LLM request never returns.
    fake_llm.script(Turn(tool_calls=[FETCH]), Fault("hang"))
    child = _spawn(ask_env)
    assert child.stderr is not None
    seen = []
    for line in child.stderr:
        seen.append(line)
        if line.startswith("✓ fetch_logs"):
            break
    child.send_signal(signal.SIGINT)
    _, rest = child.communicate(timeout=60)
    stderr = "".join(seen) + rest
    assert child.returncode == 130, stderr
    assert _foreign_lines(stderr) == ["logai: error: interrupted."], stderr


@pytest.mark.slow
def test_an_llm_error_after_a_cached_fetch_exits_1_without_a_traceback(
    fake_llm: FakeLLMServer,  # noqa: F811
    ask_env: dict[str, str],
) -> None:
    fake_llm.script(Turn(tool_calls=[FETCH]), Fault("error", status=400, message="bad request"))
    stdout, stderr = _spawn(ask_env).communicate(timeout=120)
    foreign = _foreign_lines(stderr)
    assert len(foreign) == 1 and foreign[0].startswith("error: "), stderr
    assert "bad request" in foreign[0]
    assert "Traceback" not in stderr and "Traceback" not in stdout


def test_ask_closes_the_cache_before_its_event_loop_ends(
    fake_llm: FakeLLMServer,  # noqa: F811
    ask_env: dict[str, str],
) -> None:
    from logai.cache import store
    from logai.cli.app import cli as main

    fake_llm.respond_with(_respond)
    result = CliRunner().invoke(main, QUESTION, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    cache_dir = Path(ask_env["LOGAI_CACHE_DIR"])
    # This command's caches only: a store some earlier test of this process left unclosed may
    # linger in the weak set until the collector gets to it (or never, once frozen with
    # litellm's objects), and says nothing about this command.
    assert [cache for cache in store._OPEN if cache.path.is_relative_to(cache_dir)] == []
    assert any(cache_dir.iterdir())  # the cache was used


# -- the one-shot command's fast start and fast exit (logai.cli._fast_exit) ----------------------

_SPY_ON_SETTINGS = """
import sys, threading
import logai.config
from logai.cli import main

real = logai.config.load_settings

def load_settings(**overrides):
    running = any(t.name == "logai-litellm-import" for t in threading.enumerate())
    started = running or "litellm" in sys.modules
    sys.stderr.write(f"import started before the settings: {started}\\n")
    return real(**overrides)

logai.config.load_settings = load_settings
main(sys.argv[1:])
"""


@pytest.mark.slow
def test_ask_imports_the_llm_client_while_loading_its_configuration(
    fake_llm: FakeLLMServer,  # noqa: F811
    ask_env: dict[str, str],
) -> None:
    fake_llm.respond_with(_respond)
    done = subprocess.run(
        [sys.executable, "-c", _SPY_ON_SETTINGS, *QUESTION],
        env=ask_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "import started before the settings: True" in done.stderr
    assert done.stdout == ANSWER + "\n"


@pytest.mark.slow
def test_the_fast_exit_keeps_the_answer_the_cache_and_the_status(
    fake_llm: FakeLLMServer,  # noqa: F811
    ask_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """The process ends with os._exit: nothing printed or cached may be lost on the way."""
    fake_llm.respond_with(_respond)
    for run in ("first", "second"):
        answer_file = tmp_path / f"{run}.md"
        with answer_file.open("w", encoding="utf-8") as stdout:  # a file: fully buffered
            done = subprocess.run(
                [sys.executable, "-m", "logai", *QUESTION],
                env=ask_env,
                stdout=stdout,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        assert done.returncode == 0, done.stderr
        assert answer_file.read_text(encoding="utf-8") == ANSWER + "\n"
        assert _foreign_lines(done.stderr) == [], done.stderr
    # The first run's fetch was written to the cache before the process ended.
    assert "cache hit" in done.stderr, done.stderr

    failing = subprocess.run(
        [sys.executable, "-m", "logai", "ask", "--source", "nosuch", "why?"],
        env=ask_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failing.returncode == 2
    assert failing.stderr.startswith("logai: error: --source: No data source named 'nosuch'")
