"""The standard dataset every data source is seeded with for the contract suite.

One dataset for every backend means one set of expectations: the suite computes what a correct
source must return from this description, and a plugin author only has to load it into their
backend. It is deliberately small and deterministic:

* five groups under the prefix ``contract/``, sorted as listed here:
  ``contract/app/api.log`` (12 events), ``contract/app/worker.log`` (10),
  ``contract/db.log`` (6), ``contract/empty.log`` (none) and ``contract/paged.log``
  (``3 * page_size + 7`` events: more than three pages of the source's own page size);
* every timestamp is distinct across all groups and has millisecond precision (some fall on
  ``.250`` or ``.125``), so order, range edges and ties are unambiguous;
* some messages carry the filter term :data:`FILTER_TERM` (``ERROR``) as a whole,
  space-separated, upper-case word; no other message contains it in any letter case, so a
  backend with case-insensitive or whole-word matching finds exactly the same hits;
* every message carries a unique id (``api-007``) so results can be matched to the dataset even
  when a source keeps extra text in the message (a log file keeps the timestamp prefix).

Timestamps are relative to now (the whole dataset ends a few minutes ago): hosted backends
reject events that are too old (CloudWatch: 14 days) or in the future.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "EMPTY_TERM",
    "FILTER_TERM",
    "PREFIX",
    "ContractDataset",
    "DatasetEvent",
    "DatasetGroup",
    "standard_dataset",
]

#: The prefix every group of the dataset starts with.
PREFIX = "contract/"
#: A single plain term, interpreted identically by CloudWatch's syntax and the files syntax.
FILTER_TERM = "ERROR"
#: A single term that occurs in no message.
EMPTY_TERM = "ZEBRAFISH"

API = f"{PREFIX}app/api.log"
WORKER = f"{PREFIX}app/worker.log"
DB = f"{PREFIX}db.log"
EMPTY = f"{PREFIX}empty.log"
PAGED = f"{PREFIX}paged.log"

_SECOND = timedelta(seconds=1)
_MS = timedelta(milliseconds=1)
#: The paged group starts this long after the others, so searches over the small groups are
#: not affected by it.
_PAGED_OFFSET = timedelta(hours=1)


@dataclass(frozen=True)
class DatasetEvent:
    """One event to seed: an aware UTC timestamp (millisecond precision) and its message."""

    timestamp: datetime
    message: str

    @property
    def timestamp_ms(self) -> int:
        """Epoch milliseconds, the unit most backends ingest."""
        return (self.timestamp - datetime(1970, 1, 1, tzinfo=UTC)) // _MS


@dataclass(frozen=True)
class DatasetGroup:
    """One group to seed, its events oldest first (an empty tuple: create the group only)."""

    name: str
    events: tuple[DatasetEvent, ...]


@dataclass(frozen=True)
class ContractDataset:
    """The groups to seed and the answers a correct source gives about them."""

    base: datetime
    page_size: int
    groups: tuple[DatasetGroup, ...]

    def group(self, name: str) -> DatasetGroup:
        """The group called ``name``."""
        for group in self.groups:
            if group.name == name:
                return group
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        """Every group name, sorted as ``list_log_groups`` must return them."""
        return sorted(group.name for group in self.groups)

    @property
    def api(self) -> DatasetGroup:
        """12 events ten seconds apart at ``.250``; hits at indexes 2, 5 and 9."""
        return self.group(API)

    @property
    def worker(self) -> DatasetGroup:
        """10 events interleaved with ``api`` (five seconds later); hits at 1 and 6."""
        return self.group(WORKER)

    @property
    def db(self) -> DatasetGroup:
        """6 events twenty seconds apart at ``.125``; a hit at index 3."""
        return self.group(DB)

    @property
    def empty(self) -> DatasetGroup:
        """A group without events."""
        return self.group(EMPTY)

    @property
    def paged(self) -> DatasetGroup:
        """``3 * page_size + 7`` events a second apart, a hit every tenth."""
        return self.group(PAGED)

    @property
    def start(self) -> datetime:
        """A time before every event."""
        return self.base - timedelta(minutes=1)

    @property
    def end(self) -> datetime:
        """A time after every event."""
        newest = max(event.timestamp for group in self.groups for event in group.events)
        return newest + timedelta(minutes=1)

    def expected(
        self,
        names: Iterable[str],
        start: datetime | None = None,
        end: datetime | None = None,
        term: str | None = None,
        limit: int | None = None,
    ) -> list[DatasetEvent]:
        """What a correct fetch or search returns: inclusive range, oldest first, ``limit``."""
        low, high = start or self.start, end or self.end
        chosen = [
            event
            for name in dict.fromkeys(names)
            for event in self.group(name).events
            if low <= event.timestamp <= high and (term is None or term in event.message)
        ]
        chosen.sort(key=lambda event: event.timestamp)
        return chosen if limit is None else chosen[:limit]


def _events(
    label: str, first: datetime, count: int, step: timedelta, hits: Sequence[int]
) -> tuple[DatasetEvent, ...]:
    events = []
    for index in range(count):
        ident = f"{label}-{index:03d}"
        if index in hits:
            message = f"{ident} {FILTER_TERM} request failed: upstream timeout status=503"
        else:
            message = f"{ident} INFO request served status=200 bytes={100 + index}"
        events.append(DatasetEvent(first + index * step, message))
    return tuple(events)


def standard_dataset(page_size: int = 10, now: datetime | None = None) -> ContractDataset:
    """The dataset for a source whose pages hold ``page_size`` events.

    It ends about five minutes before ``now`` (default: the current time).
    """
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    current = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    paged_count = 3 * page_size + 7
    span = _PAGED_OFFSET + paged_count * _SECOND
    base = current - span - timedelta(minutes=5)
    groups = (
        DatasetGroup(API, _events("api", base + 250 * _MS, 12, 10 * _SECOND, (2, 5, 9))),
        DatasetGroup(WORKER, _events("worker", base + 5 * _SECOND, 10, 10 * _SECOND, (1, 6))),
        DatasetGroup(DB, _events("db", base + 3125 * _MS, 6, 20 * _SECOND, (3,))),
        DatasetGroup(EMPTY, ()),
        DatasetGroup(
            PAGED,
            _events(
                "paged",
                base + _PAGED_OFFSET,
                paged_count,
                _SECOND,
                tuple(range(3, paged_count, 10)),
            ),
        ),
    )
    return ContractDataset(base=base, page_size=page_size, groups=groups)
