"""Several instances of one data source, each a named *target*, behind one data source.

An organisation reads logs from many AWS accounts and regions; each (credentials, region) pair
is one instance of the CloudWatch source. :class:`TargetSet` puts them behind the ordinary
:class:`~logai.sources.base.DataSource` interface, so the tools, the commands, the cache and the
guardrails need no second code path:

* a group is addressed in one target as ``target:name`` (``prod-eu:/aws/lambda/api``); that
  is the name listings show and every tool and command accepts back;
* a plain name means *every target that has it*: listings and searches run in all targets at
  once (bounded), a fetch of a plain name reads each target holding that group;
* a target whose credentials fail (expired, denied, unreachable) is reported as a note on the
  call (:mod:`logai.sources.notes`) and the others still answer; only when every target asked
  fails does the call fail, with the first target's error.

Events and query rows keep saying where they came from: an event's ``group`` is qualified
(``prod-eu:/app``) and a query over several targets gets a ``@target`` column.

The set is generic: any source plugin may build one from its own instances. Each member keeps
its own cache identity (for AWS: account, region, endpoint), so the cache wraps the members one
by one (:func:`logai.cache.wrap_with_cache`) and two targets never share an entry.
"""

from __future__ import annotations

import asyncio
import dataclasses
import difflib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import ClassVar, TypeVar

from logai.aio import aclose
from logai.sources.base import (
    DataSource,
    DataSourceError,
    LogEvent,
    LogGroup,
    QueryResult,
    SourceAccessDenied,
    SourceNotFound,
    SourceValidationError,
)
from logai.sources.deferred import completed, suggestions_deferred
from logai.sources.notes import add_note

__all__ = ["TARGET_NAME", "TargetSet", "describe_targets", "split_target", "targets_of"]

T = TypeVar("T")

#: What a target alias may look like: short, no ``:`` (the separator), no spaces.
TARGET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: Members asked at once, unless the source says otherwise.
DEFAULT_CONCURRENCY = 8
#: The column a query over several targets gets, naming the target of each row.
TARGET_COLUMN = "@target"


def targets_of(source: object) -> tuple[str, ...]:
    """The target names of ``source`` (through any wrapper), or ``()`` for a single target."""
    found = getattr(source, "targets", ())
    if isinstance(found, tuple) and all(isinstance(name, str) for name in found):
        return found
    return ()


def describe_targets(source: object) -> dict[str, str]:
    """Target name → what it reads (credentials, region, account once known), through any
    wrapper; empty for a source with one target."""
    describe = getattr(source, "describe_targets", None)
    if not targets_of(source) or not callable(describe):
        return {}
    found = describe()
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def split_target(name: str, targets: Sequence[str]) -> tuple[str | None, str]:
    """``("prod-eu", "/app")`` for ``prod-eu:/app`` when ``prod-eu`` is a target, else
    ``(None, name)``: a plain name (or one whose head is not a target) is left whole."""
    head, separator, rest = name.partition(":")
    if separator and head in targets:
        return head, rest
    return None, name


def _qualify(alias: str, events: list[LogEvent]) -> list[LogEvent]:
    return [dataclasses.replace(event, group=f"{alias}:{event.group}") for event in events]


def _oldest(batches: Sequence[list[LogEvent]], limit: int) -> list[LogEvent]:
    """The oldest ``limit`` events of several targets' answers (each already oldest first)."""
    merged = [event for batch in batches for event in batch]
    merged.sort(key=lambda event: event.timestamp)  # stable: one target's ties keep their order
    return merged[:limit]


class TargetSet(DataSource):
    """Named instances of one source, answering as one (see the module docstring)."""

    #: The set itself is never cached whole: its members are, each under its own identity.
    cacheable: ClassVar[bool] = False

    def __init__(
        self, members: Mapping[str, DataSource], *, max_concurrency: int = DEFAULT_CONCURRENCY
    ) -> None:
        if not members:
            raise SourceValidationError("A target set needs at least one target.")
        for alias in members:
            if not TARGET_NAME.fullmatch(alias):
                raise SourceValidationError(
                    f"'{alias}' is not a usable target name: use letters, digits, '-' and '_'."
                )
        self.members: dict[str, DataSource] = dict(members)
        self._max_concurrency = max(1, max_concurrency)
        first = next(iter(self.members.values()))
        # Class-level facts, read by the tools and the cache on whatever source they get.
        vars(self).update(
            name=first.name,
            ingestion_delay_seconds=max(m.ingestion_delay_seconds for m in members.values()),
            supports_query=all(m.supports_query for m in members.values()),
            query_language=first.query_language,
            event_origin=first.event_origin,
        )

    @property
    def targets(self) -> tuple[str, ...]:
        """The target names, in the order they were configured."""
        return tuple(self.members)

    def wrap_members(self, wrap: Callable[[DataSource], DataSource]) -> TargetSet:
        """Wrap each member in place (the cache wraps them one by one) and return the set.

        In place, not a copy: whatever was already attached to this instance (the plugin
        host's fault attribution on its methods) stays in force.
        """
        self.members = {alias: wrap(member) for alias, member in self.members.items()}
        return self

    # -- routing -----------------------------------------------------------------------------

    def _route(self, name: str) -> tuple[str | None, str]:
        """Split ``name`` into (target, name in that target); an unknown target is an error."""
        alias, rest = split_target(name, self.targets)
        if alias is None:
            head, separator, _ = name.partition(":")
            if separator and TARGET_NAME.fullmatch(head) and head.lower() != "arn":
                close = difflib.get_close_matches(head, self.targets, n=2)
                hint = f" Did you mean {' or '.join(close)}?" if close else ""
                raise SourceValidationError(
                    f"No target named '{head}'.{hint} Targets: {', '.join(self.targets)}."
                )
        return alias, rest

    async def _each(
        self, aliases: Sequence[str], call: Callable[[str, DataSource], Awaitable[T]]
    ) -> tuple[dict[str, T], dict[str, DataSourceError]]:
        """Run ``call`` for each target, at most ``max_concurrency`` at once.

        Returns the answers and the data source errors by target; anything else (a bug, a
        cancellation) propagates.
        """
        gate = asyncio.Semaphore(self._max_concurrency)
        answers: dict[str, T] = {}
        failures: dict[str, DataSourceError] = {}

        async def one(alias: str) -> None:
            async with gate:
                try:
                    answers[alias] = await call(alias, self.members[alias])
                except DataSourceError as error:
                    failures[alias] = error

        try:
            async with asyncio.TaskGroup() as tasks:
                for alias in aliases:
                    tasks.create_task(one(alias))
        except BaseExceptionGroup as group:  # a bug in one target: raise it as itself
            raise group.exceptions[0] from None
        ordered = {alias: answers[alias] for alias in aliases if alias in answers}
        return ordered, {alias: failures[alias] for alias in aliases if alias in failures}

    def _report(self, failures: Mapping[str, DataSourceError], answered: int) -> None:
        """Raise when no target answered; otherwise say which ones did not, as notes."""
        if failures and not answered:
            first, *others = failures.items()
            for alias, error in others:
                add_note(f"Target {alias} did not answer either: {error}")
            raise first[1]
        for alias, error in failures.items():
            add_note(f"Target {alias} did not answer: {error} The other targets answered.")

    # -- listing -----------------------------------------------------------------------------

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        """Groups of every target (or of the one ``prefix`` names), sorted by name, then target."""
        alias, rest = self._route(prefix) if prefix else (None, "")
        aliases = [alias] if alias else list(self.targets)
        if alias:
            found = {alias: await self.members[alias].list_log_groups(rest or None, limit)}
        else:
            found, failures = await self._each(
                aliases, lambda _a, member: member.list_log_groups(rest or None, limit)
            )
            self._report(failures, len(found))
        groups = [
            dataclasses.replace(group, target=name) for name, listed in found.items()
            for group in listed
        ]  # fmt: skip
        groups.sort(key=lambda group: (group.name, self.targets.index(group.target)))
        return groups[:limit]

    async def _present(self, member: DataSource, name: str) -> bool:
        """Whether ``member`` has a group named exactly ``name`` (listings are sorted, so it
        comes first among the names it prefixes)."""
        return any(group.name == name for group in await member.list_log_groups(name, 1))

    # -- fetching ----------------------------------------------------------------------------

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        """Events of ``target:group``, or of ``group`` in every target holding it."""
        alias, rest = self._route(group)
        if alias:
            member = self.members[alias]
            return _qualify(alias, await member.fetch_logs(rest, start, end, filter_pattern, limit))
        missing: dict[str, SourceNotFound] = {}

        async def one(name: str, member: DataSource) -> list[LogEvent] | None:
            try:
                return await member.fetch_logs(rest, start, end, filter_pattern, limit)
            except SourceNotFound as error:
                missing[name] = error
                return None

        with suggestions_deferred():  # a target that lacks the group is fine if another has it
            found, failures = await self._each(self.targets, one)
        batches = {name: events for name, events in found.items() if events is not None}
        if not batches and not failures:
            lacking = [alias for alias in self.targets if alias in missing]
            complete, _ = await self._each(lacking, lambda alias, _m: completed(missing[alias]))
            raise self._nowhere(rest, complete)
        self._report(failures, len(batches))
        return _oldest([_qualify(name, events) for name, events in batches.items()], limit)

    def _nowhere(self, name: str, missing: Mapping[str, SourceNotFound]) -> SourceNotFound:
        """``name`` is in no target: say so, with each target's close names, qualified."""
        suggestions = [
            f"{alias}:{suggestion}"
            for alias, error in missing.items()
            for suggestion in error.suggestions
        ][:3]
        hint = f" Did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        return SourceNotFound(
            f"Log group '{name}' is in none of the targets ({', '.join(self.targets)}).{hint}",
            name=name,
            suggestions=suggestions,
        )

    async def _plan(
        self, groups: Sequence[str], prefixes: Sequence[str] = ()
    ) -> dict[str, tuple[list[str], list[str], bool]]:
        """Per target: the groups and prefixes to ask it for, and whether any was named with
        the target (then a missing group there is the caller's error, not just absent).

        A plain group goes to every target holding it; a plain prefix to every target. A plain
        group held by no target raises :class:`SourceNotFound`, as a single source would.
        """
        named: dict[str, list[str]] = {alias: [] for alias in self.targets}
        wide: dict[str, list[str]] = {alias: [] for alias in self.targets}
        plain: list[str] = []
        for group in dict.fromkeys(g for g in groups if g):
            alias, rest = self._route(group)
            if alias:
                named[alias].append(rest)
            else:
                plain.append(rest)
        for prefix in dict.fromkeys(p for p in prefixes if p):
            alias, rest = self._route(prefix)
            for target in [alias] if alias else self.targets:
                wide[target].append(rest)
        held: dict[str, list[str]] = {alias: [] for alias in self.targets}
        if plain:

            async def holds(_alias: str, member: DataSource) -> list[str]:
                # Every name at once: a query naming several groups waits for one round trip.
                answers = await asyncio.gather(
                    *(self._present(member, name) for name in plain), return_exceptions=True
                )
                if any(isinstance(answer, SourceAccessDenied) for answer in answers):
                    # Credentials that may read but not list (no DescribeLogGroups): ask
                    # for the groups themselves, as a single source would.
                    return list(plain)
                for answer in answers:
                    if isinstance(answer, BaseException):
                        raise answer
                return [name for name, here in zip(plain, answers, strict=True) if here is True]

            found, failures = await self._each(self.targets, holds)
            for alias, names in found.items():
                held[alias] = names
            everywhere = {name for names in found.values() for name in names}
            absent = [name for name in plain if name not in everywhere]
            if absent and not failures:
                raise self._nowhere(absent[0], {})
            self._report(failures, len(found))
        plan: dict[str, tuple[list[str], list[str], bool]] = {}
        for alias in self.targets:
            names = list(dict.fromkeys([*named[alias], *held[alias]]))
            if names or wide[alias]:
                plan[alias] = (names, wide[alias], bool(named[alias]))
        return plan

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
        """One search per target concerned, at once; the oldest ``limit`` events of all."""
        if not any(groups) and not any(prefixes):
            raise SourceValidationError(
                "Name at least one log group or log group prefix to search."
            )
        plan = await self._plan(groups, prefixes)

        async def one(alias: str, member: DataSource) -> list[LogEvent]:
            names, wide, named = plan[alias]
            try:
                return await member.search_logs(names, pattern, start, end, limit, prefixes=wide)
            except SourceNotFound:
                if named:
                    raise
                return []  # no group under these prefixes in this target: nothing to add

        with suggestions_deferred():  # a prefix missing in one target is no error
            found, failures = await self._each(list(plan), one)
        for alias, error in failures.items():
            if isinstance(error, SourceNotFound) and plan[alias][2]:
                raise await completed(error)  # a group named with its target is not there
        self._report(failures, len(found))
        if not any(found.values()) and not failures and not any(groups):
            first = next(p for p in prefixes if p)
            raise SourceNotFound(
                f"No log group starts with '{first}' in any target ({', '.join(self.targets)}).",
                name=first,
            )
        return _oldest([_qualify(alias, events) for alias, events in found.items()], limit)

    # -- server-side queries -----------------------------------------------------------------

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - DataSource.run_query's signature
    ) -> QueryResult:
        """The query in each target holding some of ``groups``; rows of several targets are
        concatenated with a ``@target`` column (aggregates are per target, never merged)."""
        if not self.supports_query:
            return await super().run_query(query, groups, start, end, limit, timeout)
        plan = await self._plan(groups)

        async def one(alias: str, member: DataSource) -> QueryResult:
            return await member.run_query(query, plan[alias][0], start, end, limit, timeout)

        found, failures = await self._each(list(plan), one)
        for alias, error in failures.items():
            if isinstance(error, SourceNotFound) and plan[alias][2]:
                raise error
        self._report(failures, len(found))
        if len(found) == 1 and len(plan) == 1:
            return next(iter(found.values()))
        return _merge_results(found, limit)

    # -- following -----------------------------------------------------------------------------

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        """Each target's own follow (its Live Tail, its cache bypass), merged as batches arrive.

        Not the default poller over :meth:`fetch_logs`: that would read the members through
        their caches, whose live entries may be a TTL old, and lose a member's push API.
        """
        return self._follow(list(groups), filter_pattern, poll_interval, start)

    async def _follow(
        self,
        groups: list[str],
        filter_pattern: str | None,
        poll_interval: float,
        start: datetime | None,
    ) -> AsyncIterator[list[LogEvent]]:
        plan = await self._plan(groups)
        queue: asyncio.Queue[tuple[str, list[LogEvent]] | BaseException] = asyncio.Queue(8)
        failures: dict[str, DataSourceError] = {}

        async def pump(alias: str) -> None:
            member = self.members[alias]
            batches = member.follow(
                plan[alias][0], filter_pattern, poll_interval=poll_interval, start=start
            )
            try:
                async for batch in batches:
                    await queue.put((alias, batch))
            except DataSourceError as error:
                failures[alias] = error
                if len(failures) < len(plan):
                    add_note(f"Target {alias} stopped following: {error} The others go on.")
            except Exception as error:  # a bug: end the whole follow with it
                await queue.put(error)
            finally:
                await aclose(batches)

        pumps = [asyncio.create_task(pump(alias)) for alias in plan]
        try:
            while any(not task.done() for task in pumps) or not queue.empty():
                try:
                    item = await asyncio.wait_for(queue.get(), timeout=poll_interval)
                except TimeoutError:
                    yield []  # lets the consumer react between events, as every follow does
                    continue
                if isinstance(item, BaseException):
                    raise item
                alias, batch = item
                yield _qualify(alias, batch)
            if failures and len(failures) == len(plan):
                raise next(iter(failures.values()))
        finally:
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)

    # -- identity and lifecycle ----------------------------------------------------------------

    async def resolve_cache_identity(self) -> str:
        """Each target's identity (``config check --connect`` proves every one); a target that
        fails is a note, unless all do."""
        found, failures = await self._each(
            self.targets, lambda _a, member: member.resolve_cache_identity()
        )
        self._report(failures, len(found))
        return "; ".join(f"{alias}: {identity}" for alias, identity in found.items())

    def cache_identity(self) -> str:
        return "; ".join(f"{a}: {m.cache_identity()}" for a, m in self.members.items())

    def describe(self) -> str:
        """``cloudwatch, 2 targets: prod-eu (…), staging (…)``."""
        parts = [f"{alias} ({_inner(member.describe())})" for alias, member in self.members.items()]
        return f"{self.name}, {len(parts)} targets: {', '.join(parts)}"

    def describe_targets(self) -> dict[str, str]:
        """Target name → what it reads (credentials, region, account once known)."""
        return {alias: _inner(member.describe()) for alias, member in self.members.items()}

    async def aclose(self) -> None:
        """Close every member, even when one fails to close."""
        errors: list[BaseException] = []
        for member in self.members.values():
            try:
                await member.aclose()
            except Exception as exc:  # close the others regardless
                errors.append(exc)
        if errors:
            raise errors[0]


def _inner(description: str) -> str:
    """``profile p, region r`` out of a member's ``cloudwatch (profile p, region r)``."""
    head, separator, rest = description.partition(" (")
    return rest[:-1] if separator and rest.endswith(")") and " " not in head else description


def _merge_results(found: Mapping[str, QueryResult], limit: int) -> QueryResult:
    """Several targets' results as one: rows tagged with their target, facts combined."""
    rows: list[dict[str, str]] = []
    for alias, result in found.items():
        rows += [{TARGET_COLUMN: alias, **row} for row in result.rows]
    statistics: dict[str, float] = {}
    for result in found.values():
        for key, value in result.statistics.items():
            statistics[key] = statistics.get(key, 0.0) + value
    results = list(found.values())
    matched = [r.matched for r in results]
    incomplete = [r.status for r in results if r.status != "Complete"]
    stopped = " ".join(
        f"Target {alias}: {r.stopped_early}" for alias, r in found.items() if r.stopped_early
    )
    return QueryResult(
        rows=rows[:limit],
        status=incomplete[0] if incomplete else "Complete",
        statistics=statistics,
        matched=None if any(m is None for m in matched) else sum(m or 0 for m in matched),
        truncated=len(rows) > limit or any(r.truncated for r in results),
        stopped_early=stopped,
        queries=sum(r.queries for r in results),
    )
