"""The plugin test kit itself: the contract suite catches broken sources, rule helpers work.

A contract that passes everything proves nothing, so each check here feeds the suite a source
with one classic bug and expects the matching contract test to fail.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from logai.sanitize import Rule, Sanitizer
from logai.sources.base import DataSourceError, LogEvent, LogGroup, SourceNotFound
from logai.sources.files import FilesSource
from logai.testing import (
    ContractDataset,
    ContractHarness,
    DataSourceContract,
    assert_leaves,
    assert_redacts,
    standard_dataset,
)
from logai.testing.files import write_dataset

# -- the contract suite has teeth ---------------------------------------------------------------


class ExclusiveEnd(FilesSource):
    """Treats the end of a range as exclusive (the most common off-by-one)."""

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        return await super().fetch_logs(group, start, end - timedelta(milliseconds=1),
                                         filter_pattern, limit)  # fmt: skip


class NewestFirst(FilesSource):
    """Returns events newest first."""

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        return (await super().fetch_logs(group, start, end, filter_pattern, limit))[::-1]


class FirstPageOnly(FilesSource):
    """Forgets to follow pagination: never more than 10 events."""

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        return await super().fetch_logs(group, start, end, filter_pattern, min(limit, 10))


class EmptyOnUnknown(FilesSource):
    """Answers an unknown group with an empty list instead of SourceNotFound."""

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        try:
            return await super().fetch_logs(group, start, end, filter_pattern, limit)
        except SourceNotFound:
            return []


class UnsortedListing(FilesSource):
    """Lists groups in reverse order."""

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return (await super().list_log_groups(prefix, 1000))[::-1][:limit]


class SearchIgnoresLimit(FilesSource):
    """Applies the search limit per group instead of in total."""

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
        found: list[LogEvent] = []
        for group in groups:
            found += await self.fetch_logs(group, start, end, pattern, limit)
        return sorted(found, key=lambda event: event.timestamp)


BUGS: list[tuple[type[FilesSource], str]] = [
    (ExclusiveEnd, "test_fetch_logs_range_is_inclusive_at_both_ends"),
    (ExclusiveEnd, "test_fetch_logs_start_equal_to_end_returns_that_instant"),
    (NewestFirst, "test_fetch_logs_events_are_oldest_first"),
    (FirstPageOnly, "test_fetch_logs_returns_every_event_beyond_the_page_size"),
    (EmptyOnUnknown, "test_fetch_logs_unknown_group_raises_source_not_found"),
    (UnsortedListing, "test_list_log_groups_with_prefix_returns_every_group_sorted"),
    (SearchIgnoresLimit, "test_search_logs_total_limit_keeps_the_oldest"),
]


@pytest.fixture(scope="module")
def dataset() -> ContractDataset:
    return standard_dataset(page_size=10)


@pytest.fixture
def harness_for(
    dataset: ContractDataset, tmp_path: Path
) -> Iterator[Callable[[type[FilesSource]], ContractHarness]]:
    write_dataset(dataset, tmp_path)
    made: list[ContractHarness] = []

    def make(kind: type[FilesSource]) -> ContractHarness:
        made.append(ContractHarness(kind(tmp_path), dataset))
        return made[-1]

    yield make
    for harness in made:
        harness.close()


@pytest.mark.parametrize(("buggy", "test_name"), BUGS, ids=[b[1][5:] for b in BUGS])
def test_contract_suite_fails_a_buggy_source(
    harness_for: Callable[[type[FilesSource]], ContractHarness],
    buggy: type[FilesSource],
    test_name: str,
) -> None:
    check = getattr(DataSourceContract(), test_name)
    check(harness_for(FilesSource))  # the correct source passes
    with pytest.raises((AssertionError, pytest.fail.Exception, DataSourceError)):
        check(harness_for(buggy))


def test_dataset_shape_matches_its_documentation(dataset: ContractDataset) -> None:
    assert dataset.names == [
        "contract/app/api.log",
        "contract/app/worker.log",
        "contract/db.log",
        "contract/empty.log",
        "contract/paged.log",
    ]
    assert len(dataset.paged.events) == 37
    stamps = [event.timestamp for group in dataset.groups for event in group.events]
    assert len(set(stamps)) == len(stamps), "timestamps must be distinct across groups"
    assert max(stamps) < datetime.now(stamps[0].tzinfo) - timedelta(minutes=4)
    for group in dataset.groups:
        for event in group.events:
            assert ("ERROR" in event.message) or ("error" not in event.message.lower())


def test_logai_files_source_fixture_serves_the_dataset(
    logai_files_source: FilesSource, logai_contract_dataset: ContractDataset
) -> None:
    groups = asyncio.run(logai_files_source.list_log_groups("contract/"))
    assert [group.name for group in groups] == logai_contract_dataset.names


# -- rule-pack helpers ------------------------------------------------------------------------

EMPLOYEE_ID = Rule(
    name="employee-id",
    kind="EMPLOYEE_ID",
    pattern=r"\bEMP-\d{6}\b",
    description="Acme employee badge numbers",
    hints=("emp-",),
)


@pytest.mark.parametrize("line", ["badge EMP-004211 entered", "owner=EMP-123456,role=admin"])
def test_assert_redacts_accepts_a_redacting_rule(line: str) -> None:
    result = assert_redacts(EMPLOYEE_ID, line, value=line.split("EMP-")[1][:6], count=1)
    assert "<EMPLOYEE_ID_1>" in result


@pytest.mark.parametrize("line", ["build EMP-4211", "TEMP-123456 dir", "emp-123456"])
def test_assert_leaves_accepts_look_alikes(line: str) -> None:
    assert_leaves(EMPLOYEE_ID, line)


def test_assert_redacts_fails_when_nothing_is_redacted() -> None:
    with pytest.raises(AssertionError, match="expected a EMPLOYEE_ID redaction"):
        assert_redacts(EMPLOYEE_ID, "nothing to see")


def test_assert_redacts_fails_on_the_wrong_kind() -> None:
    with pytest.raises(AssertionError):
        assert_redacts(EMPLOYEE_ID, "badge EMP-004211", "EMAIL")


def test_assert_leaves_fails_when_something_is_redacted() -> None:
    with pytest.raises(AssertionError, match="stay untouched"):
        assert_leaves(EMPLOYEE_ID, "badge EMP-004211")


def test_rule_helpers_accept_a_sanitizer_with_the_default_pack() -> None:
    from logai.sanitize import default_rules

    sanitizer = Sanitizer([*default_rules(), EMPLOYEE_ID])
    assert_redacts(sanitizer, "EMP-004211 mailed bob@example.com", "EMPLOYEE_ID")
    assert_redacts(sanitizer, "EMP-004211 mailed bob@example.com", "EMAIL")
    with pytest.raises(TypeError, match="expected_kind"):
        assert_redacts(sanitizer, "EMP-004211")
