"""The data-source contract suite: the tests every LogAI data source must pass.

A plugin author subclasses :class:`DataSourceContract` in their own test suite and overrides one
fixture, ``contract_source``, which loads the standard dataset (:mod:`logai.testing.dataset`)
into their backend and returns a source pointed at it::

    from logai.testing import ContractDataset, DataSourceContract

    class TestLokiContract(DataSourceContract):
        page_size = 50  # the source's own page size: one group spans more than 3 pages

        @pytest.fixture
        def contract_source(self, contract_dataset: ContractDataset, loki_server):
            for group in contract_dataset.groups:
                loki_server.push(group.name, [(e.timestamp, e.message) for e in group.events])
            return LokiSource(url=loki_server.url, page_size=self.page_size)

``contract_dataset`` is class-scoped, so a backend that is slow to seed can be seeded once per
class by a class-scoped fixture of the author's (a ``@classmethod``, as pytest 9 requires),
with ``contract_source`` (function-scoped: each test gets, and closes, a fresh source) only
pointing a source at it.

pytest then collects every ``test_*`` method below for that class. The tests are synchronous
and run each call on their own event loop (:class:`ContractHarness`), so the suite needs
neither pytest-asyncio nor anyio and works with either installed; ``contract_source`` may be a
plain fixture (it usually is: seeding is synchronous and constructing a source should not
connect).

The conventions the suite holds every source to (they are those of
:class:`logai.sources.DataSource`):

* time ranges are **inclusive at both ends**, ``start <= timestamp <= end``, at millisecond
  precision; ``start == end`` selects the events at exactly that instant;
* results are oldest first and hold at most ``limit`` events: the oldest ones of the range;
* a range or filter without events gives an empty list, never an error; an unknown group raises
  :class:`~logai.sources.SourceNotFound`;
* timestamps are timezone-aware UTC; ``group`` names the group an event came from;
  ``event_id`` is non-empty and unique within a result; ``message`` contains the seeded message
  (a source may keep more text around it, as log files keep their timestamp prefix);
* filter patterns are only exercised with a single plain upper-case word, which every syntax in
  use (CloudWatch's, the files source's, a case-insensitive full-text index) reads the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar

import pytest

from logai.sources.base import DataSource, LogEvent, LogGroup, SourceNotFound
from logai.testing.dataset import (
    EMPTY_TERM,
    FILTER_TERM,
    PREFIX,
    ContractDataset,
    DatasetEvent,
    standard_dataset,
)

__all__ = ["ContractHarness", "DataSourceContract", "assert_events_match"]

T = TypeVar("T")
_MS = timedelta(milliseconds=1)


class ContractHarness:
    """A source and the dataset it was seeded with, called synchronously on a private loop.

    One loop serves every call of a test and the final :meth:`close`, so sources that bind
    connections to the loop they first ran on behave as they would in LogAI.
    """

    def __init__(self, source: DataSource, dataset: ContractDataset) -> None:
        self.source = source
        self.dataset = dataset
        self._runner = asyncio.Runner()

    def run(self, awaitable: Coroutine[Any, Any, T]) -> T:
        """Run one coroutine to completion on the harness's loop."""
        return self._runner.run(awaitable)

    def list_groups(self, prefix: str | None = PREFIX, limit: int = 50) -> list[LogGroup]:
        """``list_log_groups``."""
        return self.run(self.source.list_log_groups(prefix=prefix, limit=limit))

    def fetch(
        self,
        group: str,
        start: datetime | None = None,
        end: datetime | None = None,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        """``fetch_logs``; the range defaults to one covering the whole dataset."""
        return self.run(
            self.source.fetch_logs(
                group,
                start or self.dataset.start,
                end or self.dataset.end,
                filter_pattern=filter_pattern,
                limit=limit,
            )
        )

    def search(
        self,
        pattern: str,
        groups: Sequence[str] = (),
        prefixes: Sequence[str] = (),
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        """``search_logs``; the range defaults to one covering the whole dataset."""
        return self.run(
            self.source.search_logs(
                list(groups),
                pattern,
                start or self.dataset.start,
                end or self.dataset.end,
                limit=limit,
                prefixes=list(prefixes),
            )
        )

    def close(self) -> None:
        """Close the source (``aclose``) and the loop."""
        try:
            self._runner.run(self.source.aclose())
        finally:
            self._runner.close()


def assert_events_match(
    events: Sequence[LogEvent], expected: Sequence[DatasetEvent], *, context: str = ""
) -> None:
    """``events`` are exactly ``expected``, in order: same instants, seeded message inside."""
    where = f" ({context})" if context else ""
    got = [(event.timestamp, event.message) for event in events]
    want = [(event.timestamp, event.message) for event in expected]
    assert len(events) == len(expected), (
        f"expected {len(expected)} events{where}, got {len(events)}:\n"
        f"  got:  {got[:8]}{' ...' if len(got) > 8 else ''}\n"
        f"  want: {want[:8]}{' ...' if len(want) > 8 else ''}"
    )
    for index, (event, wanted) in enumerate(zip(events, expected, strict=True)):
        assert event.timestamp == wanted.timestamp and wanted.message in event.message, (
            f"event {index}{where} is {event.timestamp.isoformat()} {event.message!r}, "
            f"expected {wanted.timestamp.isoformat()} {wanted.message!r}"
        )


def _assert_oldest_first(events: Sequence[LogEvent]) -> None:
    stamps = [event.timestamp for event in events]
    assert stamps == sorted(stamps), "events must be sorted oldest first"


class DataSourceContract:
    """Subclass as ``Test<YourSource>Contract`` and override ``contract_source``.

    ``page_size`` is the number of events your source fetches per backend request; the paged
    group holds ``3 * page_size + 7`` events, so keep it small (configure your source with a
    small page size for the test rather than seeding tens of thousands of events).
    """

    page_size: ClassVar[int] = 10

    # -- fixtures --------------------------------------------------------------------------

    @pytest.fixture(scope="class")
    @classmethod
    def contract_dataset(cls) -> ContractDataset:
        """The standard dataset sized for :attr:`page_size` (one per class: seed it once).

        A class method, as pytest requires of class-scoped fixtures: one instance per test
        means nothing a class-scoped fixture sets on ``self`` would be seen by the tests.
        """
        return standard_dataset(page_size=cls.page_size)

    @pytest.fixture
    def contract_source(self, contract_dataset: ContractDataset) -> DataSource:
        """Override: seed ``contract_dataset`` into your backend and return your source."""
        pytest.fail(
            f"{type(self).__name__} must override the contract_source fixture: seed "
            "contract_dataset into the backend and return the DataSource to test."
        )

    @pytest.fixture
    def contract(
        self, contract_source: DataSource, contract_dataset: ContractDataset
    ) -> Iterator[ContractHarness]:
        """The seeded source behind a synchronous harness, closed after the test."""
        harness = ContractHarness(contract_source, contract_dataset)
        try:
            yield harness
        finally:
            harness.close()

    # -- identity --------------------------------------------------------------------------

    def test_source_declares_name_and_description(self, contract: ContractHarness) -> None:
        source = contract.source
        assert source.name, "set the class attribute `name` (the --source value)"
        assert isinstance(source.describe(), str) and source.describe()
        assert source.ingestion_delay_seconds >= 0

    def test_cache_identity_is_a_stable_nonempty_string(self, contract: ContractHarness) -> None:
        """What LogAI's cache keys entries by; see "The cache identity of a source"."""
        first = contract.run(contract.source.resolve_cache_identity())
        assert isinstance(first, str) and first, "the cache identity must be a non-empty string"
        assert contract.run(contract.source.resolve_cache_identity()) == first

    # -- list_log_groups -------------------------------------------------------------------

    def test_list_log_groups_with_prefix_returns_every_group_sorted(
        self, contract: ContractHarness
    ) -> None:
        names = [group.name for group in contract.list_groups(PREFIX)]
        assert names == contract.dataset.names

    def test_list_log_groups_narrow_prefix(self, contract: ContractHarness) -> None:
        names = [group.name for group in contract.list_groups(f"{PREFIX}app/")]
        assert names == [contract.dataset.api.name, contract.dataset.worker.name]

    def test_list_log_groups_respects_limit(self, contract: ContractHarness) -> None:
        for limit in (1, 2, 4):
            names = [group.name for group in contract.list_groups(PREFIX, limit=limit)]
            assert names == contract.dataset.names[:limit], f"limit={limit}"

    def test_list_log_groups_unknown_prefix_is_empty(self, contract: ContractHarness) -> None:
        assert contract.list_groups(f"{PREFIX}no-such-prefix/") == []

    # -- fetch_logs: pages and limits ------------------------------------------------------

    def test_fetch_logs_returns_every_event_beyond_the_page_size(
        self, contract: ContractHarness
    ) -> None:
        paged = contract.dataset.paged
        assert len(paged.events) > 3 * contract.dataset.page_size
        events = contract.fetch(paged.name, limit=len(paged.events) + 50)
        assert_events_match(events, paged.events, context="all pages of the paged group")
        ids = [event.event_id for event in events]
        assert len(set(ids)) == len(ids), "an event was returned twice across pages"

    @pytest.mark.parametrize("extra", [0, 1, 3], ids=["one-page", "page-plus-one", "pages"])
    def test_fetch_logs_respects_limit_exactly(self, contract: ContractHarness, extra: int) -> None:
        page = contract.dataset.page_size
        limit = {0: page, 1: page + 1, 3: 2 * page + 3}[extra]
        events = contract.fetch(contract.dataset.paged.name, limit=limit)
        assert_events_match(
            events, contract.dataset.paged.events[:limit], context=f"the oldest {limit}"
        )

    def test_fetch_logs_limit_one_returns_the_oldest(self, contract: ContractHarness) -> None:
        events = contract.fetch(contract.dataset.api.name, limit=1)
        assert_events_match(events, contract.dataset.api.events[:1])

    # -- fetch_logs: time ranges -----------------------------------------------------------

    def test_fetch_logs_range_is_inclusive_at_both_ends(self, contract: ContractHarness) -> None:
        api = contract.dataset.api.events
        start, end = api[2].timestamp, api[5].timestamp
        events = contract.fetch(contract.dataset.api.name, start, end)
        assert_events_match(events, api[2:6], context="[start, end] with events on both edges")

    def test_fetch_logs_range_one_ms_inside_the_edges_excludes_them(
        self, contract: ContractHarness
    ) -> None:
        api = contract.dataset.api.events
        start, end = api[2].timestamp + _MS, api[5].timestamp - _MS
        events = contract.fetch(contract.dataset.api.name, start, end)
        assert_events_match(events, api[3:5], context="edges moved 1 ms inwards")

    def test_fetch_logs_start_equal_to_end_returns_that_instant(
        self, contract: ContractHarness
    ) -> None:
        api = contract.dataset.api.events
        instant = api[3].timestamp
        events = contract.fetch(contract.dataset.api.name, instant, instant)
        assert_events_match(events, api[3:4], context="start == end on an event")

    def test_fetch_logs_empty_range_is_an_empty_list(self, contract: ContractHarness) -> None:
        api = contract.dataset.api.events
        between = contract.fetch(
            contract.dataset.api.name, api[3].timestamp + _MS, api[4].timestamp - _MS
        )
        assert between == []
        instant = api[3].timestamp + 5 * _MS
        assert contract.fetch(contract.dataset.api.name, instant, instant) == []
        after = contract.dataset.end
        assert contract.fetch(contract.dataset.api.name, after, after + timedelta(hours=1)) == []

    def test_fetch_logs_empty_group_is_an_empty_list(self, contract: ContractHarness) -> None:
        assert contract.fetch(contract.dataset.empty.name) == []

    def test_fetch_logs_events_are_oldest_first(self, contract: ContractHarness) -> None:
        for group in (contract.dataset.api, contract.dataset.worker, contract.dataset.db):
            events = contract.fetch(group.name)
            _assert_oldest_first(events)
            assert_events_match(events, group.events, context=group.name)

    # -- fetch_logs: filters ---------------------------------------------------------------

    def test_fetch_logs_filter_returns_exactly_the_hits(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        events = contract.fetch(dataset.api.name, filter_pattern=FILTER_TERM)
        assert_events_match(
            events, dataset.expected([dataset.api.name], term=FILTER_TERM), context="filter"
        )

    def test_fetch_logs_filter_without_hits_is_empty(self, contract: ContractHarness) -> None:
        assert contract.fetch(contract.dataset.api.name, filter_pattern=EMPTY_TERM) == []

    def test_fetch_logs_filter_with_limit_across_pages(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        hits = dataset.expected([dataset.paged.name], term=FILTER_TERM)
        events = contract.fetch(dataset.paged.name, filter_pattern=FILTER_TERM, limit=2)
        assert_events_match(events, hits[:2], context="the first 2 hits of the paged group")
        every = contract.fetch(dataset.paged.name, filter_pattern=FILTER_TERM)
        assert_events_match(every, hits, context="every hit of the paged group")

    def test_fetch_logs_filter_and_range_combine(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        api = dataset.api.events
        start, end = api[2].timestamp, api[5].timestamp
        events = contract.fetch(dataset.api.name, start, end, filter_pattern=FILTER_TERM)
        expected = dataset.expected([dataset.api.name], start, end, term=FILTER_TERM)
        assert_events_match(events, expected, context="filter within [start, end]")
        assert len(expected) == 2  # the hits on both edges

    # -- search_logs -----------------------------------------------------------------------

    def test_search_logs_across_groups_merges_oldest_first(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        names = [dataset.api.name, dataset.worker.name, dataset.db.name]
        events = contract.search(FILTER_TERM, groups=names)
        assert_events_match(events, dataset.expected(names, term=FILTER_TERM), context="3 groups")
        assert {event.group for event in events} == set(names)

    def test_search_logs_by_prefix(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        events = contract.search(FILTER_TERM, prefixes=[f"{PREFIX}app/"])
        expected = dataset.expected([dataset.api.name, dataset.worker.name], term=FILTER_TERM)
        assert_events_match(events, expected, context="prefix contract/app/")

    def test_search_logs_groups_and_prefixes_without_duplicates(
        self, contract: ContractHarness
    ) -> None:
        dataset = contract.dataset
        events = contract.search(
            FILTER_TERM, groups=[dataset.api.name, dataset.db.name], prefixes=[f"{PREFIX}app/"]
        )
        names = [dataset.api.name, dataset.worker.name, dataset.db.name]
        assert_events_match(events, dataset.expected(names, term=FILTER_TERM), context="union")

    def test_search_logs_total_limit_keeps_the_oldest(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        names = [dataset.api.name, dataset.worker.name, dataset.db.name]
        events = contract.search(FILTER_TERM, groups=names, limit=3)
        expected = dataset.expected(names, term=FILTER_TERM, limit=3)
        assert_events_match(events, expected, context="limit 3 over 3 groups")

    def test_search_logs_respects_the_time_range(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        names = [dataset.api.name, dataset.worker.name, dataset.db.name]
        start, end = dataset.worker.events[1].timestamp, dataset.api.events[5].timestamp
        events = contract.search(FILTER_TERM, groups=names, start=start, end=end)
        expected = dataset.expected(names, start, end, term=FILTER_TERM)
        assert_events_match(events, expected, context="inclusive range across groups")

    def test_search_logs_without_hits_is_empty(self, contract: ContractHarness) -> None:
        assert contract.search(EMPTY_TERM, prefixes=[PREFIX]) == []

    # -- errors ----------------------------------------------------------------------------

    def test_fetch_logs_unknown_group_raises_source_not_found(
        self, contract: ContractHarness
    ) -> None:
        with pytest.raises(SourceNotFound) as caught:
            contract.fetch(f"{PREFIX}no-such-group.log")
        assert str(caught.value), "the error message must say what is wrong"

    # -- event fields ----------------------------------------------------------------------

    def test_timestamps_are_aware_utc(self, contract: ContractHarness) -> None:
        events = contract.fetch(contract.dataset.api.name)
        events += contract.search(FILTER_TERM, prefixes=[PREFIX])
        assert events
        for event in events:
            assert event.timestamp.tzinfo is not None, "timestamps must be timezone-aware"
            assert event.timestamp.utcoffset() == timedelta(0), "timestamps must be in UTC"
            assert event.timestamp == event.timestamp.astimezone(UTC)

    def test_event_fields_are_populated(self, contract: ContractHarness) -> None:
        dataset = contract.dataset
        events = contract.fetch(dataset.api.name)
        searched = contract.search(FILTER_TERM, groups=[dataset.db.name, dataset.worker.name])
        for batch, groups in ((events, {dataset.api.name}),
                              (searched, {dataset.db.name, dataset.worker.name})):  # fmt: skip
            ids = [event.event_id for event in batch]
            assert all(ids), "every event needs an event_id (derive a stable one if need be)"
            assert len(set(ids)) == len(ids), "event ids must be unique within a result"
            for event in batch:
                assert event.group in groups, f"group {event.group!r} is not a requested one"
                assert isinstance(event.message, str) and event.message
                assert isinstance(event.stream, str)
                assert isinstance(event.timestamp, datetime)
