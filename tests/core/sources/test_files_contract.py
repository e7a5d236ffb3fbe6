"""The built-in ``files`` source passes the data-source contract suite of ``logai.testing``."""

from __future__ import annotations

from pathlib import Path

import pytest

from logai.sources.base import DataSource
from logai.sources.files import FilesSource
from logai.testing import ContractDataset, DataSourceContract
from logai.testing.files import write_dataset


class TestFilesContract(DataSourceContract):
    """Each group of the dataset is a file under tmp_path (the source's root)."""

    @pytest.fixture
    def contract_source(self, contract_dataset: ContractDataset, tmp_path: Path) -> DataSource:
        write_dataset(contract_dataset, tmp_path)
        return FilesSource(tmp_path)
