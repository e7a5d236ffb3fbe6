"""The cache asks the source whose data it reads before every lookup, and fails closed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from logai.cache import CachedDataSource, CachePolicy, LogCache, cache_outcome
from logai.sources.base import SourceAuthError

from .conftest import T0, CountingSource, ManualClock, make_events

HOUR = timedelta(hours=1)
SETTLED = (T0 - 2 * HOUR, T0 - HOUR)


class SwitchableIdentity(CountingSource):
    """A source whose principal (or its absence) the test decides, like changed credentials."""

    def __init__(self) -> None:
        super().__init__(make_events(50, start=T0 - 2 * HOUR, step=60))
        self.principal: str | None = "account 1"
        self.resolved = 0

    async def resolve_cache_identity(self) -> str:
        self.resolved += 1
        if self.principal is None:
            raise SourceAuthError("No AWS credentials found.")
        return self.principal


@pytest.fixture
def switchable() -> SwitchableIdentity:
    return SwitchableIdentity()


@pytest.fixture
def cached(cache: LogCache, switchable: SwitchableIdentity, clock: ManualClock) -> CachedDataSource:
    return CachedDataSource(switchable, cache, policy=CachePolicy(), now=clock)


async def test_each_principal_has_its_own_entries(
    cached: CachedDataSource, switchable: SwitchableIdentity
) -> None:
    await cached.fetch_logs("app", *SETTLED)
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "hit"
    switchable.principal = "account 2"
    await cached.fetch_logs("app", *SETTLED)
    assert cache_outcome.get() == "miss"
    await cached.list_log_groups()
    assert cached.namespace == "counting|account 2"
    assert switchable.kinds() == ["fetch", "fetch", "groups"]


async def test_nothing_is_served_when_the_principal_cannot_be_resolved(
    cached: CachedDataSource, switchable: SwitchableIdentity
) -> None:
    await cached.fetch_logs("app", *SETTLED)
    await cached.list_log_groups()
    await cached.search_logs(["app"], "", *SETTLED)
    await cached.run_query("fields @message", ["app"], *SETTLED)
    switchable.principal = None
    calls = len(switchable.calls)
    with pytest.raises(SourceAuthError, match="No AWS credentials"):
        await cached.fetch_logs("app", *SETTLED)
    with pytest.raises(SourceAuthError):
        await cached.list_log_groups()
    with pytest.raises(SourceAuthError):
        await cached.search_logs(["app"], "", *SETTLED)
    with pytest.raises(SourceAuthError):
        await cached.run_query("fields @message", ["app"], *SETTLED)
    assert len(switchable.calls) == calls


async def test_a_fixed_namespace_is_not_resolved(
    cache: LogCache, switchable: SwitchableIdentity, clock: ManualClock
) -> None:
    fixed = CachedDataSource(switchable, cache, namespace="counting|pinned", now=clock)
    await fixed.fetch_logs("app", *SETTLED)
    assert switchable.resolved == 0 and fixed.namespace == "counting|pinned"


async def test_a_static_identity_needs_no_override(cache: LogCache, clock: ManualClock) -> None:
    source = CountingSource(make_events(10, start=T0 - 2 * HOUR, step=60))
    cached = CachedDataSource(source, cache, now=clock)
    await cached.fetch_logs("app", *SETTLED)
    assert cached.namespace == "counting|counting"  # name | cache_identity()
