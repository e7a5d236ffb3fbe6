"""Pytest fixtures for the fakes; import them explicitly where needed.

``from tests.fakes.fixtures import fake_llm  # noqa: F401`` makes the fixture available in a
test module (or a ``conftest.py``) without a global ``pytest_plugins`` entry.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.fake_llm import FakeLLMServer


@pytest.fixture
def fake_llm() -> Iterator[FakeLLMServer]:
    """A fresh fake LLM server on 127.0.0.1 (ephemeral port), stopped after the test.

    Sync and async tests can both use it: it serves from a background thread. Point clients at
    ``fake_llm.openai_base`` (ends with ``/v1``) or ``fake_llm.anthropic_base`` (host root).
    """
    with FakeLLMServer() as server:
        yield server
