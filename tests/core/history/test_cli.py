"""``logai history`` and its subcommands over a real history file (no LLM needed)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from logai.cli.app import cli
from logai.config import load_settings
from logai.history import open_history
from tests.core.history.test_store import _conversation


def _logai(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _save(title: str, days_ago: float = 0) -> int:
    moment = datetime.now(UTC) - timedelta(days=days_ago)

    async def save() -> int:
        store = open_history(load_settings(), now=lambda: moment)
        try:
            return await _conversation(store, title)
        finally:
            await store.aclose()

    return asyncio.run(save())


def test_looking_at_an_empty_history_creates_nothing() -> None:
    result = _logai("history")
    assert result.exit_code == 0 and "No saved conversations yet" in result.stdout
    assert _logai("history", "--json").stdout.strip() == "[]"
    assert not load_settings().history_dir.exists()
    missing = _logai("history", "show", "3")
    assert missing.exit_code == 1 and "nothing has been saved yet" in missing.stderr


def test_list_shows_usage_totals_and_dashes() -> None:
    _save("why did checkout fail?")
    table = _logai("history").stdout.splitlines()
    assert table[0].split() == ["ID", "STARTED", "TITLE", "MODEL", "QUESTIONS", "TOKENS", "COST"]
    # One usage row of 10 + 2 tokens whose price is unknown: tokens, and a dash for the cost.
    assert "why did checkout fail?" in table[1] and table[1].split()[-2:] == ["12", "–"]


def test_stored_text_reaches_the_terminal_inert() -> None:
    _save("evil \x1b]52;c;aGk=\x07 title \u202e")
    shown = _logai("history").stdout + _logai("history", "show", "1").stdout
    assert "\x1b" not in shown and "\u202e" not in shown and "\\x1b" in shown
    exported = _logai("history", "show", "1", "--json").stdout
    assert "\x1b" not in exported and json.loads(exported)["title"].startswith("evil \x1b")


def test_purge_older_than_and_everything() -> None:
    _save("old one", days_ago=40)
    _save("recent one", days_ago=1)
    bad = _logai("history", "purge", "--older-than", "a while")
    assert bad.exit_code == 2 and "not a duration" in bad.stderr
    result = _logai("history", "purge", "--older-than", "30d")
    assert result.exit_code == 0 and "Deleted 1 conversation older" in result.stdout
    titles = [row["title"] for row in json.loads(_logai("history", "--json").stdout)]
    assert titles == ["recent one"]
    assert "Deleted 1 conversation " in _logai("history", "purge", "--yes").stdout
    assert json.loads(_logai("history", "--json").stdout) == []


def test_rm_names_what_it_could_not_find() -> None:
    kept = _save("keep")
    gone = _save("drop")
    result = _logai("history", "rm", str(gone), "99")
    assert result.exit_code == 1
    assert f"Deleted conversation {gone}." in result.stdout
    assert "no saved conversation 99" in result.stderr
    assert [row["id"] for row in json.loads(_logai("history", "--json").stdout)] == [kept]


def test_history_is_listed_by_logai_help() -> None:
    assert "history" in _logai("--help").stdout


def _llm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings that pass the checks; nothing may reach this address in these tests."""
    monkeypatch.setenv("LOGAI_LLM_PROVIDER", "openai")
    monkeypatch.setenv("LOGAI_LLM_API_BASE", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LOGAI_DATA_SOURCE", "files")
    monkeypatch.setenv("LOGAI_FILES_ROOT", str(tmp_path))


def test_ask_session_with_an_unknown_id_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _llm_env(monkeypatch, tmp_path)
    _save("something")
    result = _logai("ask", "--session", "99", "and then?")
    assert result.exit_code == 1
    assert "no saved conversation 99; `logai history` lists them" in result.stderr
    assert "Traceback" not in result.output


def test_ask_continue_with_nothing_saved_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _llm_env(monkeypatch, tmp_path)
    result = _logai("ask", "--continue", "and then?")
    assert result.exit_code == 1 and "no saved conversation to continue yet" in result.stderr
    both = _logai("ask", "--continue", "--session", "1", "and then?")
    assert both.exit_code == 2 and "exclusive" in both.stderr
    monkeypatch.setenv("LOGAI_HISTORY_ENABLED", "false")
    off = _logai("ask", "--continue", "and then?")
    assert off.exit_code == 1 and "LOGAI_HISTORY_ENABLED=false" in off.stderr
