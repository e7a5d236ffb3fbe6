"""No control byte from a log (or from the LLM) reaches a terminal, whatever the command.

A Hypothesis property runs hostile text through the real commands — ``logs`` over the files
source, ``summarize``, ``groups``, and the plain chat with the orchestrator calling a tool —
with and without ``--raw`` and ``--json``; everything they print must be free of control and
format characters but newline and tab. The pseudo-terminal tests (``test_terminal_pty.py``)
check the same on a real terminal.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logai.cli.groups_cmd import groups
from logai.cli.logs_cmd import _text_renderer, logs
from logai.cli.summarize_cmd import summarize
from logai.config import load_settings
from logai.frontends.plain import PlainChat
from logai.llm.orchestrator import Orchestrator
from logai.sources.base import LogEvent
from logai.terminal import is_terminal_safe
from tests.core.orchestrator.test_orchestrator import NOW
from tests.fakes.memory_source import MemorySource
from tests.fakes.scripted_llm import Reply, ScriptedProvider

ATTACKS = [
    "\x1b]0;pwned\x07",  # OSC: window title
    "\x1b[2J\x1b[H",  # CSI: clear screen
    "\x1b]8;;http://evil.example/\x1b\\here\x1b]8;;\x1b\\",  # OSC 8 hidden link
    "\x1bP+q544e\x1b\\",  # DCS
    "\x9b31m",  # C1 CSI
    "\x9d0;t\x9c",  # C1 OSC
    "\u202e\u2066",  # bidi override and isolate
    "\u200b\ufeff\u00ad",  # invisible characters
    "\U000e0041",  # tag character
    "\u2028\u2029",
    "\x00\x07\x08\x0b\x0c\r\x7f",
    "[bold red]alert[/]",  # markup, for the frontends that parse it
]
#: Hostile text: attack sequences mixed with arbitrary text, cut anywhere.
HOSTILE = st.lists(
    st.one_of(st.sampled_from(ATTACKS), st.text(max_size=12)), min_size=1, max_size=6
).map("".join)
PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _assert_safe(*outputs: str) -> None:
    for output in outputs:
        assert is_terminal_safe(output), repr(output)


@pytest.fixture
def files_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "logs"
    root.mkdir()
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(root))
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    return root


@pytest.mark.parametrize(
    "options", [[], ["--raw"], ["--json"], ["--raw", "--json"], ["--show-stream"]]
)
@PROPERTY
@given(text=HOSTILE)
def test_logs_never_prints_a_control_character(
    files_root: Path, options: list[str], text: str
) -> None:
    (files_root / "app.log").write_bytes(text.encode("utf-8", "replace") + b"\nafter\n")
    result = CliRunner().invoke(logs, ["app.log", "--since", "1d", *options])
    assert result.exit_code == 0, result.output
    _assert_safe(result.stdout, result.stderr)
    if "--json" in options:
        for line in result.stdout.splitlines():
            json.loads(line)


@PROPERTY
@given(text=HOSTILE, stream=HOSTILE)
def test_logs_terminal_layout_never_prints_a_control_character(text: str, stream: str) -> None:
    """On a terminal ``logs`` indents continuation lines and colours the stream: same rule."""
    render = _text_renderer(tty=True, show_stream=True)
    event = LogEvent(NOW, text, "g", stream, "1")
    line = render(event)
    # Our own colours are the only escapes, and they wrap the stamp and the stream.
    for own in ("\x1b[2m", "\x1b[36m", "\x1b[0m"):
        line = line.replace(own, "")
    _assert_safe(line)


@pytest.mark.parametrize("options", [[], ["--raw"], ["--json"], ["--samples", "2", "--raw"]])
@PROPERTY
@given(text=HOSTILE)
def test_summarize_never_prints_a_control_character(options: list[str], text: str) -> None:
    data = f"{text}\nERROR {text} again\n".encode("utf-8", "replace")
    result = CliRunner().invoke(summarize, options, input=data)
    assert result.exit_code == 0, result.output
    _assert_safe(result.stdout, result.stderr)


@pytest.mark.parametrize("options", [[], ["--long"], ["--json"]])
def test_groups_show_hostile_names_as_escapes(files_root: Path, options: list[str]) -> None:
    (files_root / "app\x1b]0;pwned\x07\u202e.log").write_text("2026-11-25T10:00:00Z x\n")
    result = CliRunner().invoke(groups, options)
    assert result.exit_code == 0, result.output
    _assert_safe(result.stdout, result.stderr)
    if "--json" in options:
        assert json.loads(result.stdout)["name"] == "app\x1b]0;pwned\x07\u202e.log"
    else:
        assert "app\\x1b]0;pwned\\x07\\u202e.log" in result.stdout


@PROPERTY
@given(log_text=HOSTILE, answer=st.one_of(HOSTILE, st.just("ok \udc80 \x1b]0;t\x07 done")))
def test_plain_chat_never_prints_a_control_character(log_text: str, answer: str) -> None:
    """Log text in tool activity and the streamed answer (cut every 7 characters) alike."""
    group = f"/app/{log_text[:20]}"
    source = MemorySource([LogEvent(NOW - timedelta(minutes=5), log_text, group, "s", "1")])
    provider = ScriptedProvider(
        Reply(calls=[("fetch_logs", {"log_group": group, "filter_pattern": log_text[:30]})]),
        Reply(text=answer),
    )
    orchestrator = Orchestrator(load_settings(), provider=provider, source=source, now=lambda: NOW)
    stdout, stderr = io.StringIO(), io.StringIO()
    chat = PlainChat(orchestrator, stdin=io.StringIO("why?\n/quit\n"), stdout=stdout, stderr=stderr)
    assert chat.run() == 0
    _assert_safe(stdout.getvalue(), stderr.getvalue())


def test_logs_prints_the_hostile_sequence_visibly(files_root: Path) -> None:
    (files_root / "app.log").write_text("title \x1b]0;pwned\x07 then \x1b[2J\u202e\n")
    for options in ([], ["--raw"]):
        result = CliRunner().invoke(logs, ["app.log", "--since", "1d", *options])
        assert "title \\x1b]0;pwned\\x07 then \\x1b[2J\\u202e" in result.stdout


def test_summarize_sanitizes_by_default_and_raw_opts_out() -> None:
    data = b"login ok for jane.doe@example.com\nlogin ok for bob@example.org\n"
    clean = CliRunner().invoke(summarize, ["--samples", "2"], input=data)
    assert clean.exit_code == 0, clean.output
    assert "example.com" not in clean.stdout and "example.org" not in clean.stdout
    assert "login ok for <EMAIL>" in clean.stdout  # one template, not one per placeholder
    assert "e.g. login ok for <EMAIL_1>" in clean.stdout
    assert "e.g. login ok for <EMAIL_2>" in clean.stdout
    assert "Redacted 2 emails" in clean.stderr

    as_json = CliRunner().invoke(summarize, ["--json"], input=data)
    assert "example.com" not in as_json.stdout
    assert json.loads(as_json.stdout)["count"] == 2

    raw = CliRunner().invoke(summarize, ["--raw"], input=data)
    assert "jane.doe@example.com" in raw.stdout
    assert "--raw" in raw.stderr and "unsanitized" in raw.stderr
