"""The test kit for LogAI and its plugins (also loaded by pytest as the ``logai`` plugin).

* :func:`isolated_host` - a plugin host with only the plugins a test names.
* :class:`DataSourceContract` - the contract suite a data-source plugin runs against itself,
  over the standard dataset of :mod:`logai.testing.dataset` (see :mod:`logai.testing.contract`).
* :func:`assert_redacts` / :func:`assert_leaves` - one-line checks for sanitizer rule packs;
  :func:`assert_rule_loads` - the checks LogAI runs when it loads a pack.

Fixtures (``logai_host``, ``logai_contract_dataset``, ``logai_files_source``) come from
:mod:`logai.testing.pytest_plugin`, active wherever logai-core is installed.

Only :func:`isolated_host` is imported eagerly: the contract suite needs pytest, which LogAI
itself does not depend on, so the other names load on first access.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from logai.testing.hosts import isolated_host

if TYPE_CHECKING:
    from logai.testing.contract import ContractHarness, DataSourceContract, assert_events_match
    from logai.testing.dataset import (
        ContractDataset,
        DatasetEvent,
        DatasetGroup,
        standard_dataset,
    )
    from logai.testing.rules import (
        assert_leaves,
        assert_redacts,
        assert_rule_loads,
        sanitize_with,
    )

__all__ = [
    "ContractDataset",
    "ContractHarness",
    "DataSourceContract",
    "DatasetEvent",
    "DatasetGroup",
    "assert_events_match",
    "assert_leaves",
    "assert_redacts",
    "assert_rule_loads",
    "isolated_host",
    "sanitize_with",
    "standard_dataset",
]

_LAZY = {
    "ContractHarness": "logai.testing.contract",
    "DataSourceContract": "logai.testing.contract",
    "assert_events_match": "logai.testing.contract",
    "ContractDataset": "logai.testing.dataset",
    "DatasetEvent": "logai.testing.dataset",
    "DatasetGroup": "logai.testing.dataset",
    "standard_dataset": "logai.testing.dataset",
    "assert_leaves": "logai.testing.rules",
    "assert_redacts": "logai.testing.rules",
    "assert_rule_loads": "logai.testing.rules",
    "sanitize_with": "logai.testing.rules",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)
