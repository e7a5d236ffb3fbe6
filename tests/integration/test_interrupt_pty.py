"""The interruption contract on a real terminal: Ctrl+C and Ctrl+D typed, not signals sent.

Each command runs as the session leader of a pseudo-terminal that is its controlling terminal,
so the byte ``\\x03`` written to the terminal is turned into SIGINT by the kernel's line
discipline, exactly as when a user presses Ctrl+C, and ``\\x04`` on an empty line is end of
input. The contract (docs/guide.md, "Stopping things"):

* ``logai chat --plain``: Ctrl+C during an answer cancels that answer and keeps the chat; when
  idle, a second Ctrl+C within two seconds, or Ctrl+D on an empty prompt, quits (status 0);
* one-shot commands (``logai ask``, ``logai logs``): Ctrl+C exits 130 with one line;
* never a traceback.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import socket
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, Turn
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.moto_server import fake_aws_env

pytestmark = [pytest.mark.network_loopback, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "sample-logs"
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")
#: Generous: each run imports litellm (seconds) on a shared, busy machine.
WAIT = 90.0
CHAT = [sys.executable, "-m", "logai", "chat", "--plain"]


def _take_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty on stdin."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A command on a pseudo-terminal: type into it, wait for what it prints."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self._controller, terminal = pty.openpty()
        self.process = subprocess.Popen(
            argv,
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=env,
            close_fds=True,
            preexec_fn=_take_terminal,  # setsid and the terminal only: safe after fork
        )
        os.close(terminal)
        self.seen = ""
        self._consumed = 0

    def type(self, data: bytes) -> None:
        os.write(self._controller, data)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self._controller], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self._controller, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        text = data.decode("utf-8", "replace").replace("\r\n", "\n")
        self.seen += _COLOURS.sub("", text)
        return True

    def expect(self, pattern: str, timeout: float = WAIT) -> str:
        """Wait until ``pattern`` (a regex) appears after what earlier calls matched."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            found = compiled.search(self.seen, self._consumed)
            if found:
                self._consumed = found.end()
                return found.group(0)
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(min(left, 0.5)):
                if not (found := compiled.search(self.seen, self._consumed)):
                    raise AssertionError(f"never saw {pattern!r}; the terminal shows:\n{self.seen}")
                self._consumed = found.end()
                return found.group(0)

    def wait(self, timeout: float = WAIT) -> int:
        """Read until the command ends; its exit status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.2):
            if self.process.poll() is not None:
                while self._read(0.05) and select.select([self._controller], [], [], 0)[0]:
                    pass
                break
        return self.process.wait(timeout=max(1.0, deadline - time.monotonic()))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self._controller)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOGAI_", "AWS_"))}
    env.update(
        LOGAI_ENV_FILE=os.devnull,
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        COLUMNS="120",
        TERM="xterm",
        **extra,
    )
    return env


def _chat_env(llm: FakeLLMServer, tmp_path: Path) -> dict[str, str]:
    return _env(
        LOGAI_DATA_SOURCE="files",
        LOGAI_FILES_ROOT=str(SAMPLES),
        LOGAI_CACHE_DIR=str(tmp_path / "cache"),
        LOGAI_LLM_PROVIDER="openai",
        LOGAI_LLM_API_BASE=llm.openai_base,
        LOGAI_LLM_MODEL="fake-model",
    )


def _slow_then_quick(request: LLMRequest) -> Turn:
    """The first question streams for a minute (to be cancelled); later ones answer at once."""
    if request.last_user_text.startswith("slow"):
        return Turn(text="Looking at checkout.log now. " * 200, chunk_size=8, chunk_delay=0.3)
    return Turn(text="Two payments were declined.")


@pytest.mark.parametrize("quit_with", ["ctrl-c-twice", "ctrl-d"])
def test_plain_chat_ctrl_c_cancels_the_answer_and_keeps_the_chat(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
    terminals: list[Terminal],
    quit_with: str,
) -> None:
    fake_llm.respond_with(_slow_then_quick)
    chat = Terminal(
        [sys.executable, "-m", "logai", "chat", "--plain"], _chat_env(fake_llm, tmp_path)
    )
    terminals.append(chat)

    chat.expect(r"you> ")
    chat.type(b"slow question\n")
    chat.expect(r"Looking at checkout\.log now\.")
    chat.type(b"\x03")  # Ctrl+C mid-answer
    chat.expect(r"\[answer cancelled\]\n")
    chat.expect(r"you> ")
    assert chat.process.poll() is None  # the chat goes on

    chat.type(b"and now?\n")
    chat.expect(r"Two payments were declined\.\n")
    chat.expect(r"you> ")
    # The cancelled question left no unanswered turn behind: the follow-up went out whole.
    follow_up = fake_llm.parsed_requests()[-1]
    assert follow_up.last_user_text == "and now?" and not follow_up.malformations()

    if quit_with == "ctrl-c-twice":
        chat.type(b"\x03")
        chat.expect(r"Press Ctrl\+C again, or Ctrl\+D, to quit\.")
        chat.type(b"\x03")
    else:
        chat.type(b"\x04")
    assert chat.wait() == 0, chat.seen
    assert "Traceback" not in chat.seen and "KeyboardInterrupt" not in chat.seen


def test_plain_chat_single_ctrl_c_at_the_prompt_only_explains(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
    terminals: list[Terminal],
) -> None:
    fake_llm.respond_with(_slow_then_quick)
    chat = Terminal(
        [sys.executable, "-m", "logai", "chat", "--plain"], _chat_env(fake_llm, tmp_path)
    )
    terminals.append(chat)

    chat.expect(r"you> ")
    chat.type(b"\x03")
    chat.expect(r"Press Ctrl\+C again, or Ctrl\+D, to quit\.")
    chat.expect(r"you> ")
    time.sleep(2.5)  # past the window: the next Ctrl+C only explains again
    chat.type(b"\x03")
    chat.expect(r"Press Ctrl\+C again, or Ctrl\+D, to quit\.")
    chat.expect(r"you> ")
    assert chat.process.poll() is None
    chat.type(b"/quit\n")
    assert chat.wait() == 0, chat.seen


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """An HTTP endpoint that accepts connections and never answers (a hung service)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        server.close()


def test_logs_ctrl_c_while_fetching_exits_130_with_one_line(
    silent_endpoint: str, tmp_path: Path, terminals: list[Terminal]
) -> None:
    env = fake_aws_env(silent_endpoint, _env(LOGAI_CACHE_DIR=str(tmp_path / "cache")))
    logs = Terminal([sys.executable, "-m", "logai", "logs", "/aws/lambda/checkout"], env)
    terminals.append(logs)

    logs.expect(r"Fetching /aws/lambda/checkout .*\.\.\.\n")
    time.sleep(0.5)  # the request is on its way
    started = time.monotonic()
    logs.type(b"\x03")
    status = logs.wait(timeout=30)

    assert status == 130, logs.seen
    after = logs.seen.split("...\n", 1)[1].replace("^C", "")  # the terminal's echo
    assert [line for line in after.splitlines() if line.strip()] == [
        "logai: error: interrupted."
    ], logs.seen
    # It stops at once, not when the hung request would have timed out.
    assert time.monotonic() - started < 20


def test_ask_ctrl_c_while_the_llm_is_silent_exits_130_with_one_line(
    fake_llm: FakeLLMServer,  # noqa: F811
    tmp_path: Path,
    terminals: list[Terminal],
) -> None:
    fake_llm.hang()
    ask = Terminal(
        [sys.executable, "-m", "logai", "ask", "what failed?"], _chat_env(fake_llm, tmp_path)
    )
    terminals.append(ask)

    deadline = time.monotonic() + WAIT
    while not fake_llm.chat_requests() and time.monotonic() < deadline:
        ask._read(0.2)
    assert fake_llm.chat_requests(), ask.seen
    ask.type(b"\x03")
    status = ask.wait(timeout=30)

    assert status == 130, ask.seen
    shown = ask.seen.replace("^C", "")  # the terminal's echo
    assert [line for line in shown.splitlines() if line.strip()] == [
        "logai: error: interrupted."
    ], ask.seen
