"""Local log files as a LogAI data source (``--source files``), built into core.

This package is also the reference implementation of the data-source hook: a plugin for Loki
or Elasticsearch has the same shape (a :class:`~logai.sources.DataSource` subclass, a factory
taking the settings, one ``register_data_sources`` hook in :mod:`logai.builtins.local_files`).

Modules, each with one job: :mod:`.paths` (which files a group name means), :mod:`.reader`
(bounded line reading, gzip, seeking by time), :mod:`.timestamps` (timestamp formats),
:mod:`.events` (multi-line events), :mod:`.filters` (the filter syntax), :mod:`.collect` and
:mod:`.scan` (the bounded streaming scan) and :mod:`.source` (the source class).
User documentation: ``docs/files-source.md``.
"""

from __future__ import annotations

from logai.sources.files.events import EventLimits
from logai.sources.files.filters import FILTER_HELP, FilterPattern, parse_filter
from logai.sources.files.paths import WalkLimits
from logai.sources.files.source import FilesSource
from logai.sources.files.timestamps import TimestampParser

__all__ = [
    "FILTER_HELP",
    "EventLimits",
    "FilesSource",
    "FilterPattern",
    "TimestampParser",
    "WalkLimits",
    "parse_filter",
]
