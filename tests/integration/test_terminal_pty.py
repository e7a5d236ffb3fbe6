"""On a real (pseudo-)terminal, hostile log and LLM text arrives as visible escapes.

``logai logs`` and ``logai ask`` run as subprocesses with stdout and stderr on a pty, so they
take their terminal code paths (colours, indentation, progress notes). The only escape
sequences allowed in what the terminal receives are LogAI's own colours.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from logai.terminal import is_terminal_safe
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture

HOSTILE_LOG = (
    "login failed \x1b]0;pwned\x07 \x1b[2J\x1b[H \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;"
    "\x1b\\ \x9b31m \u202eedoc\u2066 \x1bP+q\x1b\\ [bold red]x[/]\n"
    "  at stack.frame(\x1b[1A\x1b[2K)\n"
)
HOSTILE_ANSWER = "The log sets the title (\x1b]0;owned\x07) and \x1b[2J clears; \u202eevil \x9b2J."
#: LogAI's own styling (click.style): SGR sequences only.
OWN_COLOURS = re.compile(rb"\x1b\[[0-9;]*m")


def _run_in_pty(argv: list[str], env: dict[str, str], timeout: float = 120) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on a pseudo-terminal; everything the terminal got."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        argv, stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True
    )
    os.close(terminal)
    received = bytearray()
    try:
        while True:
            ready, _, _ = select.select([controller], [], [], timeout)
            if not ready:
                raise AssertionError(f"no output for {timeout}s: {bytes(received)!r}")
            try:
                data = os.read(controller, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            received += data
        status = process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    # Our own colours are allowed; the pty turns "\n" into "\r\n" (onlcr).
    text = OWN_COLOURS.sub(b"", bytes(received)).decode("utf-8").replace("\r\n", "\n")
    return status, text


def _env(tmp_path: Path, root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(
        LOGAI_DATA_SOURCE="files",
        LOGAI_FILES_ROOT=str(root),
        LOGAI_CACHE_DIR=str(tmp_path / "cache"),
        LOGAI_ENV_FILE=os.devnull,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        COLUMNS="200",
        **extra,
    )
    return env


@pytest.fixture
def hostile_logs(tmp_path: Path) -> Path:
    root = tmp_path / "logs"
    root.mkdir()
    (root / "app.log").write_text(HOSTILE_LOG, encoding="utf-8")
    return root


@pytest.mark.parametrize("options", [[], ["--raw"], ["--json"], ["--show-stream"]])
def test_logs_on_a_terminal_shows_escape_sequences_as_text(
    tmp_path: Path, hostile_logs: Path, options: list[str]
) -> None:
    argv = [sys.executable, "-m", "logai", "logs", "app.log", "--since", "1d", *options]
    status, shown = _run_in_pty(argv, _env(tmp_path, hostile_logs))
    assert status == 0, shown
    assert is_terminal_safe(shown), repr(shown)
    if "--json" in options:
        messages = [json.loads(line)["message"] for line in shown.splitlines() if line[:1] == "{"]
        assert any(m.startswith("login failed \x1b]0;pwned\x07") for m in messages)  # intact
    else:
        assert "\\x1b]0;pwned\\x07 \\x1b[2J\\x1b[H" in shown
        assert "\\u202eedoc\\u2066" in shown and "\\x9b31m" in shown


@pytest.mark.slow
@pytest.mark.parametrize(("protocol", "as_json"), [("openai", False), ("anthropic", True)])
def test_ask_on_a_terminal_shows_escape_sequences_as_text(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
    hostile_logs: Path,
    protocol: str,
    as_json: bool,
) -> None:
    """The answer streams in 4-character chunks, so every sequence is cut across deltas."""

    def respond(request: LLMRequest) -> Turn:
        if not request.tool_results:
            arguments = {"log_group": "app.log", "start_time": "1d ago", "filter_pattern": "\u202e"}
            return Turn(tool_calls=[ToolCall("fetch_logs", arguments)])
        return Turn(text=HOSTILE_ANSWER, chunk_size=4)

    fake_llm.respond_with(respond)
    base = fake_llm.openai_base if protocol == "openai" else fake_llm.anthropic_base
    env = _env(
        tmp_path,
        hostile_logs,
        LOGAI_LLM_PROVIDER=protocol,
        LOGAI_LLM_API_BASE=base,
        LOGAI_LLM_MODEL="fake-model",
    )
    argv = [sys.executable, "-m", "logai", "ask", *(["--json"] if as_json else []), "why?"]
    status, shown = _run_in_pty(argv, env)
    assert status == 0, shown
    assert is_terminal_safe(shown), repr(shown)
    if as_json:
        events = [json.loads(line) for line in shown.splitlines() if line.startswith("{")]
        assert events, shown
    else:
        assert "(\\x1b]0;owned\\x07) and \\x1b[2J clears; \\u202eevil \\x9b2J." in shown
        assert 'filter_pattern="\\u202e"' in shown  # tool activity on stderr
