"""Built-in plugin: local log files as the data source ``files``.

It registers through the same hook as a third-party source would, which makes it the reference
implementation of ``register_data_sources``. The top level imports nothing but :mod:`logai`:
this module is imported on every ``logai`` start, and the source itself is only needed when a
user picks ``--source files``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai import hookimpl

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.plugins import RegisterDataSource
    from logai.sources.base import DataSource


def _create(settings: LogAISettings) -> DataSource:
    """Build the source on first use, rooted at ``LOGAI_FILES_ROOT`` (default: cwd)."""
    from logai.sources.files import FilesSource

    return FilesSource.from_settings(settings)


@hookimpl
def register_data_sources(register: RegisterDataSource) -> None:
    """Offer local log files (plain, rotated, gzip-compressed) as the data source ``files``."""
    register("files", _create)
