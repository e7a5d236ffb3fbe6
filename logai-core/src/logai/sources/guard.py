"""Guardrails around any data source: denied log groups are invisible and unreachable.

:class:`GuardedSource` wraps whatever the registry built (the cache and the targets inside
it), so the rules of :mod:`logai.sources.group_rules` hold for every command, the LLM's tools,
the MCP server and every source plugin alike, and are checked *before* any request is made (a
cache hit included):

* listings leave denied groups out, as if they did not exist;
* a fetch, search or query naming a denied group is refused with :class:`GroupNotAllowed`,
  whose message is the same whether the group exists or not (the LLM learns nothing by
  guessing names);
* a search or query naming several groups keeps the allowed ones (a note names those left
  out) and is refused when none remain; prefixes are expanded here, through the filtered
  listing, into the allowed groups they cover;
* events whose origin is denied are dropped from any answer: a folder or glob of the ``files``
  source reads many files, and one of them may be denied (see
  :attr:`~logai.sources.base.DataSource.event_origin`);
* where a name is an alias (a symlink of the ``files`` source), what it really reads is judged
  too, as the source names it (:meth:`~logai.sources.base.DataSource.real_names`): a group
  asked for, listed or named as an event's origin is allowed only when both names are, and a
  refusal names only the name asked by. A source without aliases answers nothing, and names
  are judged as given;
* a "not found" error suggests no denied group ("Did you mean …?"): a denied name is never
  revealed as a close match;
* the rules are handed down to the wrapped source for the length of each call
  (:mod:`logai.sources.reach`): the ``files`` source then treats a denied file of a folder or
  glob as absent, so it is never opened, named in a note or used for a hint.

Methods a source adds beyond :class:`~logai.sources.base.DataSource` (a ``follow``, say) are
forwarded with the same rule, read from their parameter names: every value of a parameter named
``group``, ``log_group``, ``groups`` or ``log_groups`` must be allowed (what it really reads
too, for an ``async`` method; a plain one is judged by name), and a call passing a
``prefix`` or ``prefixes`` is refused (a prefix cannot be checked without listing). A method
whose signature cannot be read is refused when the rules are active: unknown means denied.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from logai.aio import aclose
from logai.sources.base import (
    DataSource,
    LogEvent,
    LogGroup,
    QueryResult,
    SourceAccessDenied,
    SourceNotFound,
    SourceValidationError,
    adopt_facts,
)
from logai.sources.group_rules import ALLOW_VARIABLE, DENY_VARIABLE, GroupRules
from logai.sources.notes import add_note
from logai.sources.reach import reading_only
from logai.sources.targets import split_target, targets_of

if TYPE_CHECKING:
    from logai.config import LogAISettings

T = TypeVar("T")

__all__ = ["GroupNotAllowed", "GuardedSource", "guard_source"]

#: Parameters of a source method that name groups (one, or a sequence).
GROUP_PARAMETERS = frozenset({"group", "log_group", "groups", "log_groups"})
#: Parameters that name group prefixes: not checkable without listing, so refused.
PREFIX_PARAMETERS = frozenset({"prefix", "prefixes", "log_group_prefixes"})
#: How many allowed groups one prefix may expand into for a search.
MAX_PREFIX_GROUPS = 1000
#: The most groups listed to fill one listing past the denied ones.
MAX_LISTING_SCAN = 10_000
#: A Logs Insights ``SOURCE`` command names groups inside the query text, past the checks.
_SOURCE_COMMAND = re.compile(r"(?im)(^|\|)\s*source\b")


class GroupNotAllowed(SourceAccessDenied):
    """A request named a log group the guardrails deny. Says nothing of whether it exists."""

    def __init__(self, *names: str) -> None:
        quoted = ", ".join(f"'{name}'" for name in names)
        what = f"Log group {quoted} is" if len(names) == 1 else f"Log groups {quoted} are"
        super().__init__(
            f"{what} not allowed: LogAI's guardrails ({ALLOW_VARIABLE} / {DENY_VARIABLE}) keep "
            f"{'it' if len(names) == 1 else 'them'} out of reach. Do not retry; choose another "
            "group.",
            action="read",
        )
        self.names = names


def guard_source(source: DataSource, settings: LogAISettings) -> DataSource:
    """``source`` behind the configured guardrails, or unchanged when there are none.

    Raises :class:`~logai.sources.base.SourceValidationError` for a pattern that cannot be
    used: a guardrail that cannot run must not silently allow everything.
    """
    from logai.sources.group_rules import PatternError

    try:
        rules = GroupRules.from_settings(settings)
    except PatternError as exc:
        raise SourceValidationError(str(exc)) from None
    if not rules.active or isinstance(source, GuardedSource):
        return source
    return GuardedSource(source, rules)


class GuardedSource(DataSource):
    """Any data source, reachable only where :class:`GroupRules` allow."""

    def __init__(self, inner: DataSource, rules: GroupRules) -> None:
        self.inner = inner
        self.rules = rules
        adopt_facts(self, inner, "cacheable")

    def __getattr__(self, attribute: str) -> Any:
        if attribute == "inner":
            raise AttributeError(attribute)
        value = getattr(self.inner, attribute)
        if attribute.startswith("_") or not callable(value) or isinstance(value, type):
            return value
        return self._checked(attribute, value)

    @property
    def targets(self) -> tuple[str, ...]:
        return targets_of(self.inner)

    # -- the checks --------------------------------------------------------------------------

    def _where(self, name: str) -> tuple[list[str], str]:
        """The targets a name reaches (all of them for a plain name) and the name in them."""
        targets = self.targets
        alias, rest = split_target(name.strip(), targets)
        if alias is not None:
            return [alias], rest
        return list(targets) or [""], name

    def _allowed(self, name: str, real: Mapping[str, str] | None = None) -> bool:
        """Whether ``name`` may be read, and what it really reads (``real``'s entry for it)."""
        reached, rest = self._where(name)
        forms = [rest]
        if real is not None and real.get(name, rest) != rest:
            forms.append(real[name])
        return all(self.rules.allows(target, form) for target in reached for form in forms)

    async def _real_names(self, names: Iterable[str]) -> dict[str, str]:
        """What the source says each name really reads (only names allowed as given are
        asked about: the others are refused whatever they read)."""
        wanted = [name for name in dict.fromkeys(names) if name and self._allowed(name)]
        if not wanted:
            return {}
        found = await self.inner.real_names(wanted)
        return {str(name): str(real) for name, real in found.items()}

    def _require_name(self, name: str) -> None:
        if not self._allowed(name):
            raise GroupNotAllowed(name)

    async def _require(self, names: Sequence[str]) -> None:
        """Refuse unless every name, and what each really reads, is allowed."""
        for name in names:
            self._require_name(name)
        real = await self._real_names(names)
        for name in names:
            if not self._allowed(name, real):
                raise GroupNotAllowed(name)

    async def _keep_allowed(self, names: Sequence[str]) -> list[str]:
        """The allowed names; the others are noted, and none allowed at all is refused."""
        real = await self._real_names(names)
        kept = [name for name in names if self._allowed(name, real)]
        left_out = [name for name in names if name not in kept]
        if left_out and not kept:
            raise GroupNotAllowed(*left_out)
        if left_out:
            add_note(
                f"Left out {len(left_out)} log group(s) that are not allowed by LogAI's "
                f"guardrails: {', '.join(left_out)}."
            )
        return kept

    async def _visible(self, groups: list[LogGroup]) -> list[LogGroup]:
        """The listed groups that are allowed, as named and as what they really read."""
        named = [group for group in groups if self.rules.allows(group.target, group.name)]
        real = await self._real_names(group.qualified_name for group in named)
        return [group for group in named if self._allowed(group.qualified_name, real)]

    async def _visible_events(self, events: list[LogEvent]) -> list[LogEvent]:
        """Drop events whose origin (the group, or the file of a folder) is denied, by its
        name or by what it really reads."""
        field = self.event_origin
        origins = [str(getattr(event, field, "")) for event in events]
        real = await self._real_names(origins)
        return [
            event for event, origin in zip(events, origins, strict=True)
            if self._allowed(origin, real)
        ]  # fmt: skip

    def _checked(self, method_name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        """A source's own extra method, with the parameter-name rule applied before the call."""
        try:
            signature = inspect.signature(method)
        except (TypeError, ValueError):
            signature = None

        def named(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
            """The groups a call names, each allowed as given; refused otherwise."""
            if signature is None:
                raise SourceAccessDenied(
                    f"{method_name} cannot be checked against LogAI's guardrails, so it is not "
                    "allowed while they are set."
                )
            bound = signature.bind_partial(*args, **kwargs)
            names: list[str] = []
            for parameter, value in bound.arguments.items():
                if parameter in PREFIX_PARAMETERS and value:
                    raise SourceAccessDenied(
                        f"{method_name} with a group prefix cannot be checked against LogAI's "
                        "guardrails; name the log groups instead."
                    )
                if parameter in GROUP_PARAMETERS and value:
                    names += [str(name) for name in ([value] if isinstance(value, str) else value)]
            for name in names:
                self._require_name(name)
            return names

        # Names are judged at the call, as before; what they really read before the work.
        if inspect.iscoroutinefunction(method):

            @functools.wraps(method)
            def call_async(*args: Any, **kwargs: Any) -> Any:
                return self._after_check(named(args, kwargs), method(*args, **kwargs))

            return call_async
        if inspect.isasyncgenfunction(method):

            @functools.wraps(method)
            def call_generator(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
                return self._iterate_after_check(named(args, kwargs), method(*args, **kwargs))

            return call_generator

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            named(args, kwargs)
            return method(*args, **kwargs)

        return call

    async def _after_check(self, names: list[str], work: Awaitable[Any]) -> Any:
        try:
            await self._require(names)
        except BaseException:
            close = getattr(work, "close", None)  # never awaited: no "was never awaited"
            if close is not None:
                close()
            raise
        return await self._answer(work)

    async def _iterate_after_check(
        self, names: list[str], items: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        try:
            await self._require(names)
            async for item in items:
                yield item
        finally:
            await aclose(items)

    async def _answer(self, work: Awaitable[T]) -> T:
        """``work``'s result, read under the rules (:mod:`logai.sources.reach`); a "not
        found" error it raises loses its denied suggestions."""
        try:
            with reading_only(self._may_read):
                return await work
        except SourceNotFound as exc:
            raise await self._without_denied_suggestions(exc) from None

    def _may_read(self, name: str, real: str) -> bool:
        return self._allowed(name, {name: real})

    async def _without_denied_suggestions(self, error: SourceNotFound) -> SourceNotFound:
        """``error`` as it would read had the denied groups it suggests not existed.

        The suggestions are found in the message as the sources render them and replaced by
        the allowed ones; a message in another form is replaced by a plain one (unknown means
        the names may be in it).
        """
        real = await self._real_names(error.suggestions)
        kept = [name for name in error.suggestions if self._allowed(name, real)]
        if len(kept) == len(error.suggestions):
            return error
        message = str(error)
        for render in _SUGGESTION_FORMS:
            shown = render(error.suggestions)
            if shown in message:
                message = message.replace(shown, render(kept) if kept else "")
                return SourceNotFound(message, name=error.name, suggestions=kept)
        hint = f" Close names: {', '.join(kept)}." if kept else ""
        return SourceNotFound(
            f"No log group named '{error.name}'.{hint} Listing the log groups shows the ones "
            "you may read.",
            name=error.name,
            suggestions=kept,
        )

    async def _expand(self, prefixes: Sequence[str]) -> list[str]:
        """The allowed groups under ``prefixes`` (qualified when there are targets)."""
        names: list[str] = []
        for prefix in dict.fromkeys(p for p in prefixes if p):
            listed = await self.list_log_groups(prefix, MAX_PREFIX_GROUPS + 1)
            if len(listed) > MAX_PREFIX_GROUPS:
                raise SourceValidationError(
                    f"The prefix '{prefix}' covers more than {MAX_PREFIX_GROUPS} log groups; "
                    "use a longer prefix or name the groups."
                )
            names += [group.qualified_name for group in listed]
        return list(dict.fromkeys(names))

    # -- the DataSource interface ------------------------------------------------------------

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        """The allowed groups; asks for more when denied ones took places in the listing."""
        asked = limit
        while True:
            listed = await self._answer(self.inner.list_log_groups(prefix, asked))
            shown = await self._visible(listed)
            if len(shown) >= limit or len(listed) < asked or asked >= MAX_LISTING_SCAN:
                return shown[:limit]
            asked = min(asked * 4, MAX_LISTING_SCAN)

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        await self._require([group])
        events = await self._answer(self.inner.fetch_logs(group, start, end, filter_pattern, limit))
        return await self._visible_events(events)

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
        named = list(dict.fromkeys(g for g in groups if g))
        kept = await self._keep_allowed(named) if named else []
        expanded = await self._expand(prefixes) if any(prefixes) else []
        names = list(dict.fromkeys([*kept, *expanded]))
        if not names:
            if not named and not any(prefixes):
                raise SourceValidationError(
                    "Name at least one log group or log group prefix to search."
                )
            first = next(p for p in prefixes if p)
            raise SourceNotFound(f"No log group you may read starts with '{first}'.", name=first)
        events = await self._answer(self.inner.search_logs(names, pattern, start, end, limit))
        return await self._visible_events(events)

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - DataSource.run_query's signature
    ) -> QueryResult:
        if _SOURCE_COMMAND.search(query):
            raise SourceAccessDenied(
                "A query that chooses its own log groups (a SOURCE command) cannot be checked "
                "against LogAI's guardrails; name the groups in log_groups instead."
            )
        kept = await self._keep_allowed(list(dict.fromkeys(g for g in groups if g)))
        result = await self._answer(self.inner.run_query(query, kept, start, end, limit, timeout))
        origins = [_row_origin(row) for row in result.rows]
        real = await self._real_names(origins)
        rows = [
            row for row, origin in zip(result.rows, origins, strict=True)
            if not origin or self._allowed(origin, real)
        ]  # fmt: skip
        if len(rows) == len(result.rows):
            return result
        from dataclasses import replace

        return replace(result, rows=rows)

    def follow(
        self,
        groups: Sequence[str],
        filter_pattern: str | None = None,
        *,
        poll_interval: float = 2.0,
        start: datetime | None = None,
    ) -> AsyncIterator[list[LogEvent]]:
        """The wrapped source's own follow (Live Tail where it has one), for allowed groups only.

        Every named group is checked by name at once, and by what it really reads before the
        wrapped source's follow starts; each batch is filtered like a fetch, so a folder of
        the files source never streams a denied file's lines.
        """
        for name in groups:
            self._require_name(name)
        return self._visible_batches(
            list(groups), filter_pattern, poll_interval=poll_interval, start=start
        )

    async def _visible_batches(
        self,
        groups: list[str],
        filter_pattern: str | None,
        *,
        poll_interval: float,
        start: datetime | None,
    ) -> AsyncIterator[list[LogEvent]]:
        await self._require(groups)
        batches = self.inner.follow(
            groups, filter_pattern, poll_interval=poll_interval, start=start
        )
        try:
            while True:
                try:
                    batch = await self._answer(anext(batches))
                except StopAsyncIteration:
                    return
                yield await self._visible_events(batch)
        finally:
            await aclose(batches)  # ends a Live Tail session at once

    async def real_names(self, names: Sequence[str]) -> dict[str, str]:
        return await self.inner.real_names(names)

    async def resolve_cache_identity(self) -> str:
        return await self.inner.resolve_cache_identity()

    def cache_identity(self) -> str:
        return self.inner.cache_identity()

    def describe(self) -> str:
        return self.inner.describe()

    async def aclose(self) -> None:
        await self.inner.aclose()


def _row_origin(row: dict[str, str]) -> str:
    """The group a query row came from (``@log`` is ``account:group``), or "" when unnamed."""
    origin = row.get("@log", "")
    if not origin:
        return ""
    _, _, group = origin.partition(":")
    target = row.get("@target", "")
    return f"{target}:{group or origin}" if target else group or origin


#: How sources render suggestions in a "not found" message (the files source, CloudWatch and
#: the targets, a prefix search), each with its leading space.
_SUGGESTION_FORMS: tuple[Callable[[Sequence[str]], str], ...] = (
    lambda names: f" Did you mean {', '.join(names)}?",
    lambda names: f" Did you mean {' or '.join(repr(name) for name in names)}?",
    lambda names: f" Close names: {', '.join(names)}.",
)
