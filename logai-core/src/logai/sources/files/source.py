"""The ``files`` data source: local log files with the same tools as CloudWatch, no account needed.

Semantics match the CloudWatch source so that tools, cache and frontends need not know which one
they talk to:

* time ranges are inclusive at both ends, ``[start, end]``, compared at millisecond precision;
* results are oldest first and hold at most ``limit`` events, the *oldest* ``limit`` of the
  range (ties keep file order);
* an unknown group raises :class:`SourceNotFound` with close names; a range without events is an
  empty list, not an error.

Scans run in a worker thread (the event loop stays free) and stop when the awaiting task is
cancelled. See :mod:`.scan` for how large files are streamed and :mod:`.filters` for the filter
syntax.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from logai.sources.base import (
    DataSource,
    LogEvent,
    LogGroup,
    SourceNotFound,
    SourceValidationError,
)
from logai.sources.files.collect import Kept, OldestKeeper
from logai.sources.files.events import EventLimits
from logai.sources.files.filters import parse_filter
from logai.sources.files.paths import (
    LogFile,
    Skipped,
    WalkLimits,
    describe_skipped,
    list_files,
    once_each,
    real_names,
    resolve_group,
)
from logai.sources.files.scan import ScanRequest, scan_files
from logai.sources.files.window import stale_files_note
from logai.sources.notes import add_note

if TYPE_CHECKING:
    from logai.config import LogAISettings

__all__ = ["FilesSource"]

T = TypeVar("T")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)


def _to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _ONE_MS


def _to_event(kept: Kept) -> LogEvent:
    return LogEvent(
        timestamp=_EPOCH + timedelta(milliseconds=kept.timestamp_ms),
        message=kept.data.decode("utf-8", "replace"),
        group=kept.group,
        stream=kept.stream,
        event_id=f"{kept.stream}:{kept.offset}",
    )


def _matcher(pattern: str | None) -> Callable[[bytes], bool] | None:
    parsed = parse_filter(pattern)
    return parsed.matcher if parsed is not None else None


def _check_request(start: datetime, end: datetime, limit: int) -> tuple[int, int]:
    if limit < 1:
        raise SourceValidationError(f"limit must be at least 1, got {limit}.")
    start_ms, end_ms = _to_ms(start), _to_ms(end)
    if start_ms > end_ms:
        raise SourceValidationError(
            f"The start time {start.isoformat()} is after the end time {end.isoformat()}."
        )
    return start_ms, end_ms


class FilesSource(DataSource):
    """Log files under a root folder (``LOGAI_FILES_ROOT``), plain or gzip-compressed.

    A group is a file, a folder or a glob (see :mod:`.paths`); :meth:`list_log_groups` lists the
    log files below the root by their path relative to it.
    """

    name = "files"
    ingestion_delay_seconds = 0.0
    #: Local files are already local, and change under us: LogAI's cache would only go stale.
    cacheable = False
    supports_query = False
    #: A folder or glob reads many files; guardrails judge each event by its file.
    event_origin = "stream"

    def __init__(
        self,
        root: Path | str | None = None,
        *,
        tolerance: timedelta = timedelta(minutes=5),
        event_limits: EventLimits | None = None,
        walk_limits: WalkLimits | None = None,
    ) -> None:
        chosen = Path(root).expanduser() if root is not None else Path.cwd()
        self.root = chosen.absolute()
        #: How far out of time order a line may be and still be found (see :mod:`.scan`).
        self.tolerance = tolerance
        self.event_limits = event_limits or EventLimits()
        self.walk_limits = walk_limits or WalkLimits()

    @classmethod
    def from_settings(cls, settings: LogAISettings) -> FilesSource:
        """The source rooted at ``LOGAI_FILES_ROOT``, or the current directory."""
        return cls(settings.files_root)

    def describe(self) -> str:
        return f"files in {self.root}"

    def cache_identity(self) -> str:
        """The root folder: ``app.log`` under two roots is two different logs."""
        return str(self.root)

    # -- the DataSource interface ----------------------------------------------------------

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        if limit < 1:
            raise SourceValidationError(f"limit must be at least 1, got {limit}.")
        self._require_root()
        skipped: list[Skipped] = []
        files = await self._in_worker(
            lambda _: list_files(self.root, self.root, prefix or "", self.walk_limits, skipped)
        )
        _note_skipped(skipped)
        return [_to_group(item) for item in files[:limit]]

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        start_ms, end_ms = _check_request(start, end, limit)
        matcher = _matcher(filter_pattern)

        def work(cancelled: threading.Event) -> list[Kept]:
            skipped: list[Skipped] = []
            found = resolve_group(group, self.root, self.walk_limits, skipped)
            files = [(group, item) for item in found]
            return self._scan(files, start_ms, end_ms, matcher, limit, skipped, cancelled)

        return [_to_event(kept) for kept in await self._in_worker(work)]

    async def search_logs(
        self,
        groups: Sequence[str],
        pattern: str,
        start: datetime,
        end: datetime,
        limit: int = 1000,
        *,
        prefixes: Sequence[str] = (),
    ) -> list[LogEvent]:
        start_ms, end_ms = _check_request(start, end, limit)
        if not groups and not prefixes:
            raise SourceValidationError("Name log groups or group prefixes to search.")
        matcher = _matcher(pattern)

        def work(cancelled: threading.Event) -> list[Kept]:
            skipped: list[Skipped] = []
            files = self._search_targets(groups, prefixes, skipped)
            return self._scan(files, start_ms, end_ms, matcher, limit, skipped, cancelled)

        return [_to_event(kept) for kept in await self._in_worker(work)]

    async def real_names(self, names: Sequence[str]) -> dict[str, str]:
        """What each name really reads under the root: a symlink (or a path through a linked
        folder, an absolute path, ``..`` steps) answers with its target's name, so guardrails
        judge the file served as well as the name it was asked by (see
        :func:`~.paths.real_names`). A name leading out of the root is left out: it is refused
        when read."""
        return await self._in_worker(lambda _: real_names(names, self.root))

    # -- internals -------------------------------------------------------------------------

    def _require_root(self) -> None:
        if not self.root.is_dir():
            raise SourceNotFound(
                f"The log folder {self.root} does not exist or is not a folder. Set "
                "LOGAI_FILES_ROOT to the folder holding your logs.",
                name=str(self.root),
            )

    def _search_targets(
        self, groups: Sequence[str], prefixes: Sequence[str], skipped: list[Skipped]
    ) -> list[tuple[str, LogFile]]:
        """Every file of the named groups and of the groups under each prefix, once each
        (under its own name where it is reached by it: see :func:`~.paths.once_each`)."""
        found: list[tuple[str, LogFile]] = []
        for group in dict.fromkeys(groups):
            found += [
                (group, item) for item in resolve_group(group, self.root, self.walk_limits, skipped)
            ]
        if prefixes:
            self._require_root()
        for prefix in dict.fromkeys(prefixes):
            listed = list_files(self.root, self.root, prefix, self.walk_limits, skipped)
            found += [(item.name, item) for item in listed]
        group_of = {id(item): group for group, item in found}
        kept = once_each((item for _, item in found), self.root)
        targets = [(group_of[id(item)], item) for item in kept]
        return sorted(targets, key=lambda pair: (pair[1].mtime_ms, pair[1].name))

    def _scan(
        self,
        files: list[tuple[str, LogFile]],
        start_ms: int,
        end_ms: int,
        matcher: Callable[[bytes], bool] | None,
        limit: int,
        skipped: list[Skipped],
        cancelled: threading.Event,
    ) -> list[Kept]:
        """Scan ``files``; what was skipped, while resolving or now, becomes a note."""
        request = ScanRequest(
            start_ms=start_ms,
            end_ms=end_ms,
            matcher=matcher,
            keeper=OldestKeeper(limit),
            tolerance_ms=self.tolerance // _ONE_MS,
            limits=self.event_limits,
            cancelled=cancelled,
        )
        scan_files(files, request)
        _note_skipped([*skipped, *request.skipped])
        events = request.keeper.events()
        if not events:
            stale = stale_files_note([item for _, item in files], start_ms)
            if stale:
                add_note(stale)
        return events

    async def _in_worker(self, work: Callable[[threading.Event], T]) -> T:
        """Run blocking file work in a thread; cancelling the caller stops the thread too."""
        cancelled = threading.Event()
        try:
            return await asyncio.to_thread(work, cancelled)
        except asyncio.CancelledError:
            cancelled.set()
            raise


def _note_skipped(skipped: list[Skipped]) -> None:
    """Tell the caller (the user, the LLM) which files were left out, and why."""
    unique = list({item.name: item for item in skipped}.values())
    if unique:
        add_note(describe_skipped(unique))


def _to_group(item: LogFile) -> LogGroup:
    extra: dict[str, object] = {
        "modified": (_EPOCH + timedelta(milliseconds=item.mtime_ms)).isoformat(timespec="seconds"),
    }
    if item.name.endswith(".gz"):
        extra["compressed"] = "gzip"
    return LogGroup(name=item.name, stored_bytes=item.size, extra=extra)
