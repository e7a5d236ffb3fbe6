"""count_tokens: litellm's tokenizer only when already imported, else a safe estimate."""

from __future__ import annotations

import sys
import types

import pytest

from logai.reduce import count_tokens
from logai.reduce.tokens import estimate_tokens


def test_count_tokens_estimates_without_importing_litellm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "litellm", raising=False)
    assert count_tokens("") == 0
    assert count_tokens("abcd") == 2
    assert "litellm" not in sys.modules


def test_count_tokens_uses_litellm_when_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("litellm")
    seen: dict[str, object] = {}

    def token_counter(model: str, text: str) -> int:
        seen.update(model=model, text=text)
        return 7

    fake.token_counter = token_counter  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "litellm", fake)
    assert count_tokens("hello world", model="claude-x") == 7
    assert seen == {"model": "claude-x", "text": "hello world"}


def test_count_tokens_falls_back_when_litellm_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("litellm")

    def token_counter(model: str, text: str) -> int:
        raise ValueError("unknown model")

    fake.token_counter = token_counter  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "litellm", fake)
    assert count_tokens("abcdef") == estimate_tokens("abcdef")


@pytest.mark.parametrize(
    ("text", "real"),
    [
        # real counts from litellm.token_counter(model="gpt-4o") (see tokens.py)
        ("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block "
         "blk_38865049064139660 terminating", 39),
        ("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186", 28),
    ],
)  # fmt: skip
def test_estimate_does_not_under_count_log_lines(text: str, real: int) -> None:
    assert estimate_tokens(text) >= real
