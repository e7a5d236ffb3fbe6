"""TargetSet: several instances of a source as one, with target:group names and partial failure."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from logai.sources import (
    LogEvent,
    LogGroup,
    QueryResult,
    SourceAuthError,
    SourceNotFound,
    SourceValidationError,
)
from logai.sources.notes import collect_notes
from logai.sources.targets import TargetSet, split_target, targets_of
from tests.fakes.memory_source import MemorySource

NOW = datetime.now(UTC)
START, END = NOW - timedelta(hours=1), NOW


def _events(group: str, *messages: str, offset: int = 0) -> list[LogEvent]:
    return [
        LogEvent(NOW - timedelta(minutes=30, seconds=-(offset + i)), m, group, "s", f"{offset}{i}")
        for i, m in enumerate(messages)
    ]


class QueryingSource(MemorySource):
    supports_query = True
    query_language = "test"

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109
    ) -> QueryResult:
        self.calls.append(("query", tuple(groups)))
        rows = [
            {"group": g, "count": str(len([e for e in self.events if e.group == g]))}
            for g in groups
        ]
        return QueryResult(rows, matched=1)


class BrokenSource(QueryingSource):
    """Credentials that no longer work: every call fails the way an expired token does."""

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        raise SourceAuthError("The AWS credentials have expired.")

    async def fetch_logs(self, *args: object, **kwargs: object) -> list[LogEvent]:
        raise SourceAuthError("The AWS credentials have expired.")

    async def search_logs(self, *args: object, **kwargs: object) -> list[LogEvent]:
        raise SourceAuthError("The AWS credentials have expired.")


def _set(**members: MemorySource) -> TargetSet:
    return TargetSet(members)


def _world() -> tuple[TargetSet, QueryingSource, QueryingSource]:
    eu = QueryingSource(_events("/app/api", "eu one", "eu two") + _events("/app/eu-only", "x"))
    us = QueryingSource(_events("/app/api", "us one", offset=10) + _events("/app/us-only", "y"))
    return _set(eu=eu, us=us), eu, us


async def test_listing_covers_every_target_and_names_each_group_with_its_target() -> None:
    targets, _, _ = _world()
    groups = await targets.list_log_groups("/app/")
    assert [g.qualified_name for g in groups] == [
        "eu:/app/api", "us:/app/api", "eu:/app/eu-only", "us:/app/us-only",
    ]  # fmt: skip
    assert groups[0].to_dict()["target"] == "eu"
    assert [g.qualified_name for g in await targets.list_log_groups("us:/app/")] == [
        "us:/app/api",
        "us:/app/us-only",
    ]
    assert [g.name for g in await targets.list_log_groups("eu:")] == ["/app/api", "/app/eu-only"]


async def test_a_qualified_group_is_read_in_its_target_only() -> None:
    targets, eu, _ = _world()
    events = await targets.fetch_logs("us:/app/api", START, END)
    assert [(e.group, e.message) for e in events] == [("us:/app/api", "us one")]
    assert not [call for call in eu.calls if call[0] == "fetch"]


async def test_a_plain_group_is_read_in_every_target_holding_it_oldest_first() -> None:
    targets, _, _ = _world()
    events = await targets.fetch_logs("/app/api", START, END, limit=2)
    assert [(e.group, e.message) for e in events] == [
        ("eu:/app/api", "eu one"),
        ("eu:/app/api", "eu two"),
    ]
    only = await targets.fetch_logs("/app/us-only", START, END)
    assert [e.group for e in only] == ["us:/app/us-only"]


async def test_a_group_in_no_target_is_not_found_with_qualified_suggestions() -> None:
    targets, _, _ = _world()
    with pytest.raises(SourceNotFound, match="in none of the targets") as caught:
        await targets.fetch_logs("/app/us-onyl", START, END)
    assert "us:/app/us-only" in caught.value.suggestions


async def test_an_unknown_target_is_a_clear_error() -> None:
    targets, _, _ = _world()
    with pytest.raises(SourceValidationError, match=r"No target named 'euu'\. Did you mean eu"):
        await targets.fetch_logs("euu:/app/api", START, END)


async def test_a_failing_target_is_noted_and_the_others_answer() -> None:
    targets = _set(eu=QueryingSource(_events("/app/api", "eu one")), old=BrokenSource([]))
    with collect_notes() as notes:
        groups = await targets.list_log_groups()
        events = await targets.fetch_logs("/app/api", START, END)
        found = await targets.search_logs([], "eu", START, END, prefixes=["/app"])
    assert [g.qualified_name for g in groups] == ["eu:/app/api"]
    assert [e.message for e in events] == ["eu one"] == [e.message for e in found]
    assert notes == ["Target old did not answer: The AWS credentials have expired. The other "
                     "targets answered."]  # fmt: skip


async def test_when_every_target_fails_the_error_is_raised() -> None:
    targets = _set(a=BrokenSource([]), b=BrokenSource([]))
    with collect_notes() as notes, pytest.raises(SourceAuthError, match="expired"):
        await targets.list_log_groups()
    assert notes == ["Target b did not answer either: The AWS credentials have expired."]


async def test_a_named_target_that_fails_raises_its_own_error() -> None:
    targets = _set(eu=QueryingSource(_events("/app/api", "x")), old=BrokenSource([]))
    with pytest.raises(SourceAuthError):
        await targets.fetch_logs("old:/app/api", START, END)


async def test_search_sends_each_target_only_its_groups() -> None:
    targets, _, _ = _world()
    events = await targets.search_logs(["/app/eu-only", "us:/app/api"], "", START, END)
    assert sorted(e.group for e in events) == ["eu:/app/eu-only", "us:/app/api"]
    with pytest.raises(SourceNotFound, match="'/nope'"):
        await targets.search_logs(["/nope"], "", START, END)
    with pytest.raises(SourceNotFound, match="No log group starts with '/nope'"):
        await targets.search_logs([], "", START, END, prefixes=["/nope"])


async def test_a_query_over_several_targets_gets_a_target_column() -> None:
    targets, eu, us = _world()
    result = await targets.run_query("stats count(*)", ["/app/api", "eu:/app/eu-only"], START, END)
    assert {row["@target"] for row in result.rows} == {"eu", "us"}
    assert ("query", ("/app/eu-only", "/app/api")) in eu.calls
    assert ("query", ("/app/api",)) in us.calls
    assert result.matched == 2 and result.queries == 2
    single = await targets.run_query("q", ["us:/app/us-only"], START, END)
    assert single.rows == [{"group": "/app/us-only", "count": "1"}]  # one target: as it answered


async def test_a_bug_in_one_target_surfaces_as_itself_not_as_a_group() -> None:
    class Buggy(MemorySource):
        async def list_log_groups(
            self, prefix: str | None = None, limit: int = 50
        ) -> list[LogGroup]:
            raise KeyError("oops")

    with pytest.raises(KeyError):
        await _set(a=MemorySource([]), b=Buggy([])).list_log_groups()


def test_targets_of_and_split_target() -> None:
    targets, _, _ = _world()
    assert targets_of(targets) == ("eu", "us") and targets_of(MemorySource([])) == ()
    assert split_target("eu:/a", ("eu",)) == ("eu", "/a")
    assert split_target("/a:b", ("eu",)) == (None, "/a:b")
    assert "eu (memory)" in targets.describe() and targets.describe_targets() == {
        "eu": "memory",
        "us": "memory",
    }


def test_target_names_are_checked() -> None:
    with pytest.raises(SourceValidationError, match="not a usable target name"):
        TargetSet({"has space": MemorySource([])})


class Account(MemorySource):
    """A member whose identity is its account: what the cache keys entries by."""

    def __init__(self, account: str, events: list[LogEvent]) -> None:
        super().__init__(events)
        self.account = account

    def cache_identity(self) -> str:
        return f"account {self.account}"


async def test_the_cache_wraps_each_target_under_its_own_identity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from logai.cache.source import CachedDataSource
    from logai.cache.wiring import wrap_with_cache
    from logai.config import load_settings

    a = Account("111", _events("/app/api", "from a"))
    b = Account("222", _events("/app/api", "from b"))
    targets = _set(a=a, b=b)
    early = END - timedelta(minutes=20)  # settled: served from the cache on the second round
    for _ in range(2):
        wrapped = wrap_with_cache(targets, load_settings())
        assert wrapped is targets  # in place: what was attached to the set stays
        assert all(isinstance(m, CachedDataSource) for m in targets.members.values())
        assert [e.message for e in await wrapped.fetch_logs("a:/app/api", START, early)] == [
            "from a"
        ]
        assert [e.message for e in await wrapped.fetch_logs("b:/app/api", START, early)] == [
            "from b"
        ]
        namespaces = {m.namespace for m in targets.members.values()}  # type: ignore[attr-defined]
        assert namespaces == {"memory|account 111", "memory|account 222"}
        await wrapped.aclose()
        targets = _set(a=a, b=b)
    assert len([c for c in a.calls if c[0] == "fetch"]) == 1  # the second round was a hit


async def test_a_target_that_may_read_but_not_list_is_still_searched() -> None:
    from logai.sources import SourceAccessDenied

    class NoListing(QueryingSource):
        async def list_log_groups(
            self, prefix: str | None = None, limit: int = 50
        ) -> list[LogGroup]:
            raise SourceAccessDenied("may not call logs:DescribeLogGroups")

    targets = _set(eu=NoListing(_events("/app/api", "eu one")), us=QueryingSource([]))
    events = await targets.search_logs(["/app/api"], "", START, END)
    assert [(e.group, e.message) for e in events] == [("eu:/app/api", "eu one")]


class FollowingSource(QueryingSource):
    """A source with its own follow (as CloudWatch's Live Tail is): one batch, then the end."""

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        self.calls.append(("follow", tuple(groups)))
        return self._once(groups)

    async def _once(self, groups: Sequence[str]) -> AsyncIterator[list[LogEvent]]:
        yield [event for event in self.events if event.group in groups]


class BrokenFollow(FollowingSource):
    async def _once(self, groups: Sequence[str]) -> AsyncIterator[list[LogEvent]]:
        raise SourceAuthError("The AWS credentials have expired.")
        yield []  # pragma: no cover - makes this an async generator


async def test_follow_uses_each_targets_own_follow_with_only_its_groups() -> None:
    eu = FollowingSource(_events("/app/api", "eu one") + _events("/app/eu-only", "x"))
    us = FollowingSource(_events("/app/api", "us one", offset=10))
    targets = _set(eu=eu, us=us)
    batches = [b async for b in targets.follow(["/app/api", "eu:/app/eu-only"], poll_interval=0.1)]
    seen = sorted((e.group, e.message) for batch in batches for e in batch)
    assert seen == [("eu:/app/api", "eu one"), ("eu:/app/eu-only", "x"), ("us:/app/api", "us one")]
    follows = {c[0]: set(c[1]) for c in eu.calls if c[0] == "follow"}
    assert follows == {"follow": {"/app/api", "/app/eu-only"}}
    assert ("follow", ("/app/api",)) in us.calls
    # Each target followed on its own: the set never polled through fetch_logs (the cache).
    assert not [c for c in eu.calls + us.calls if c[0] == "fetch"]


async def test_follow_goes_on_when_one_target_fails_and_fails_when_all_do() -> None:
    ok = FollowingSource(_events("/app/api", "fine"))
    targets = _set(ok=ok, bad=BrokenFollow(_events("/app/api", "never")))
    with collect_notes() as notes:
        batches = [b async for b in targets.follow(["/app/api"], poll_interval=0.1)]
    assert [e.message for batch in batches for e in batch] == ["fine"]
    assert any("bad stopped following" in note for note in notes)
    only_bad = _set(bad=BrokenFollow(_events("/app/api", "never")))
    with pytest.raises(SourceAuthError):
        [b async for b in only_bad.follow(["/app/api"], poll_interval=0.1)]
