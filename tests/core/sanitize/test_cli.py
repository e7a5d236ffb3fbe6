"""``logai sanitize [FILE] [--stats]`` as users run it."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.sanitize_cmd import sanitize

LOG = b"login jane@example.com from 10.1.2.3\nplain line\r\nbad byte \xff here\nlast, no newline"
SANITIZED = (
    "login <EMAIL_1> from <IP_1>\nplain line\r\nbad byte \ufffd here\nlast, no newline"
).encode()


def test_stdin_to_stdout() -> None:
    result = CliRunner().invoke(sanitize, [], input=LOG)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == SANITIZED
    assert result.stderr == ""


def test_file_argument_and_stats_on_stderr(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_bytes(LOG)
    result = CliRunner().invoke(sanitize, [str(log), "--stats"])
    assert result.exit_code == 0
    assert result.stdout_bytes == SANITIZED
    assert result.stderr == "Redacted 1 email, 1 IP\n"


def test_stats_when_nothing_was_found() -> None:
    result = CliRunner().invoke(sanitize, ["--stats"], input=b"clean\n")
    assert result.stdout_bytes == b"clean\n"
    assert result.stderr == "Nothing redacted\n"


def test_disabled_rules_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", " email , ipv6")
    result = CliRunner().invoke(sanitize, [], input=b"jane@example.com 10.1.2.3\n")
    assert result.stdout_bytes == b"jane@example.com <IP_1>\n"


def test_disabled_rules_from_a_dotenv_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / "logai.env"
    env_file.write_text("LOGAI_SANITIZER_DISABLED_RULES=ipv4\n")
    monkeypatch.setenv("LOGAI_ENV_FILE", str(env_file))
    result = CliRunner().invoke(sanitize, [], input=b"jane@example.com 10.1.2.3\n")
    assert result.stdout_bytes == b"<EMAIL_1> 10.1.2.3\n"


def test_sanitizes_even_when_sanitization_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_PII_SANITIZATION_ENABLED", "false")
    result = CliRunner().invoke(sanitize, [], input=b"jane@example.com\n")
    assert result.stdout_bytes == b"<EMAIL_1>\n"


def test_unknown_rule_name_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "emial")
    result = CliRunner().invoke(sanitize, [], input=b"x\n")
    assert result.exit_code == 2
    assert "unknown sanitizer rule(s) 'emial'" in result.stderr
    assert "known rules:" in result.stderr and "Traceback" not in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(sanitize, [str(tmp_path / "nope.log")])
    assert result.exit_code == 2
    assert "nope.log" in result.stderr


def _logai(*args: str, data: bytes, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "logai", "sanitize", *args],
        input=data,
        capture_output=True,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_through_the_logai_command() -> None:
    lines = [f"user{i}@example.com {i}\u2028tail\x0c{i}" for i in range(20_000)]
    data = ("\n".join(lines) + "\n").encode()
    done = _logai("--stats", data=data)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode().split("\n")
    assert len(out) == len(lines) + 1 and out[-1] == ""
    assert out[0] == "<EMAIL_1> 0\u2028tail\x0c0"
    assert out[19_999] == "<EMAIL_20000> 19999\u2028tail\x0c19999"
    assert done.stderr.decode().strip() == "Redacted 20000 emails"


def test_a_closed_pipe_ends_quietly() -> None:
    """``logai sanitize big.log | head -1``: no traceback, exit status 0."""
    data = b"jane@example.com\n" * 200_000
    with subprocess.Popen(
        [sys.executable, "-m", "logai", "sanitize"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None

        def feed() -> None:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.write(data)  # type: ignore[union-attr]
                proc.stdin.close()  # type: ignore[union-attr]

        writer = threading.Thread(target=feed)
        writer.start()
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
        writer.join(timeout=120)
    assert first == b"<EMAIL_1>\n"
    assert code == 0
    assert b"Traceback" not in err
