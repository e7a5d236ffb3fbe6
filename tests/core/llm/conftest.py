"""Fixtures for the LLM tests: the fake LLM server and a loaded, quiet litellm."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import ModuleType

import pytest

from tests.fakes.fixtures import fake_llm  # noqa: F401  (re-exported as a fixture)


@pytest.fixture(scope="session")
def litellm() -> ModuleType:
    """litellm imported once per session (seconds) and configured the way LogAI runs it."""
    from logai.llm._litellm import load_litellm

    return load_litellm()


@pytest.fixture(autouse=True)
def _no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """LiteLLM falls back to these variables; a developer's real key must never be used here."""
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
async def _close_litellm_clients() -> AsyncIterator[None]:
    """Close LiteLLM's cached HTTP clients while this test's event loop still runs.

    LiteLLM caches clients across calls; each test has its own loop, so connections left in
    that cache would otherwise be reported as unclosed transports when the loop goes away.
    """
    yield
    from logai.llm import _litellm

    if _litellm.is_loaded():
        await _litellm.load_litellm().close_litellm_async_clients()
