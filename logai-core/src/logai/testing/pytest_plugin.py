"""pytest plugin shipped with logai-core: fixtures for testing LogAI plugins.

Activated automatically (entry point ``pytest11``) wherever logai-core is installed, so it is
imported by *every* pytest run in such an environment: it stays light (no source, no
sanitizer, nothing from LogAI beyond the plugin host is imported until a fixture is used).

It also asks pytest to rewrite the asserts of the kit's own modules, so a failing contract
test or rule assertion shows the compared values, not just ``AssertionError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

pytest.register_assert_rewrite("logai.testing.contract", "logai.testing.rules")

from logai.plugins import PluginHost  # noqa: E402 - after the rewrite hook, on purpose
from logai.testing.hosts import isolated_host  # noqa: E402

if TYPE_CHECKING:
    from logai.sources.files import FilesSource
    from logai.testing.dataset import ContractDataset


@pytest.fixture
def logai_host() -> Iterator[PluginHost]:
    """A process-wide plugin host with only core's built-ins; register yours on it."""
    with isolated_host() as host:
        yield host


@pytest.fixture
def logai_contract_dataset() -> ContractDataset:
    """The contract suite's standard dataset (page size 10), for tests of your own."""
    from logai.testing.dataset import standard_dataset

    return standard_dataset(page_size=10)


@pytest.fixture
def logai_files_source(tmp_path: Path, logai_contract_dataset: ContractDataset) -> FilesSource:
    """A real data source without any account: the standard dataset as log files in tmp_path.

    For plugins that need *a* source (extra tools, frontends): every group is a file whose
    lines are ``<ISO timestamp> <message>``, served by the built-in ``files`` source.
    """
    from logai.sources.files import FilesSource
    from logai.testing.files import write_dataset

    write_dataset(logai_contract_dataset, tmp_path)
    return FilesSource(tmp_path)
