"""pytest plugin shipped with logai-core: fixtures for testing LogAI plugins.

Activated automatically (entry point ``pytest11``) wherever logai-core is installed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from logai.plugins import PluginHost
from logai.testing.hosts import isolated_host


@pytest.fixture
def logai_host() -> Iterator[PluginHost]:
    """A process-wide plugin host with only core's built-ins; register yours on it."""
    with isolated_host() as host:
        yield host
