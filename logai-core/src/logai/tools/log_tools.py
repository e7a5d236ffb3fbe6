"""The log tools every data source gets for free: list, fetch, search, and a query tool.

They are written once over :class:`logai.sources.DataSource`; a new backend plugin implements
the interface and the LLM can use it at once.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from logai.sources.notes import collect_notes
from logai.sources.targets import split_target, targets_of
from logai.tools.base import Tool, ToolContext, ToolError, ToolResult, tool
from logai.wording import counted

if TYPE_CHECKING:
    from logai.sources.base import DataSource, QueryResult

TimeArg = str | int | None

#: The most rows one query_logs call may ask for; a source may stop earlier and say why.
QUERY_ROW_CAP = 50_000

TIME_HELP = (
    "ISO 8601 (2026-11-25T14:00:00Z), epoch milliseconds, or relative: "
    "'1h ago', '30m', '2 days ago', 'yesterday', 'today', 'now'."
)


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ListLogGroupsArgs(_Args):
    prefix: str | None = Field(None, description="Only groups whose name starts with this.")
    limit: int = Field(50, ge=1, le=1000, description="Maximum number of groups to return.")


class FetchLogsArgs(_Args):
    log_group: str = Field(min_length=1, description="Exact log group name.")
    start_time: TimeArg = Field(
        None, description=f"Start of the range (default 1h ago). {TIME_HELP}"
    )
    end_time: TimeArg = Field(None, description=f"End of the range (default now). {TIME_HELP}")
    filter_pattern: str | None = Field(
        None, description="Source filter pattern, e.g. ERROR or '?timeout ?Exception'."
    )
    limit: int = Field(1000, ge=1, le=10000, description="Maximum number of events.")
    summarize: bool = Field(
        False, description="Group events into templates with counts instead of exact lines."
    )


class SearchLogsArgs(_Args):
    pattern: str = Field(min_length=1, description="Filter pattern to search for.")
    log_groups: list[str] = Field(default_factory=list, description="Exact group names.")
    log_group_prefixes: list[str] = Field(
        default_factory=list, description="Search every group starting with these prefixes."
    )
    start_time: TimeArg = Field(
        None, description=f"Start of the range (default 1h ago). {TIME_HELP}"
    )
    end_time: TimeArg = Field(None, description=f"End of the range (default now). {TIME_HELP}")
    limit: int = Field(1000, ge=1, le=10000, description="Maximum number of events in total.")
    summarize: bool = Field(
        False, description="Group events into templates with counts instead of exact lines."
    )

    @model_validator(mode="after")
    def _needs_a_target(self) -> SearchLogsArgs:
        if not self.log_groups and not self.log_group_prefixes:
            raise ValueError("give log_groups or log_group_prefixes (or both)")
        return self


class QueryLogsArgs(_Args):
    query: str = Field(min_length=1, description="Query in the source's query language.")
    log_groups: list[str] = Field(min_length=1, description="Log groups to query.")
    start_time: TimeArg = Field(
        None, description=f"Start of the range (default 1h ago). {TIME_HELP}"
    )
    end_time: TimeArg = Field(None, description=f"End of the range (default now). {TIME_HELP}")
    limit: int = Field(
        1000,
        ge=1,
        le=QUERY_ROW_CAP,
        description=(
            "Maximum number of result rows. Past the backend's per-query row limit the source "
            "splits the query by time where it can; the result says when rows stopped early."
        ),
    )


def _range(context: ToolContext, start: TimeArg, end: TimeArg) -> tuple[datetime, datetime]:
    from logai.timeparse import TimeParseError, resolve_range

    try:
        return resolve_range(start, end, now=context.now())
    except TimeParseError as exc:
        raise ToolError(str(exc)) from None


def _with_notes(text: str, notes: list[str]) -> str:
    """``text`` followed by what the source left out ("Skipped 1 file …"), if anything."""
    return "\n".join([text, *(f"Note: {note}" for note in notes)])


def _span(start: datetime, end: datetime) -> str:
    from logai.timeparse import format_time

    return f"{format_time(start)} to {format_time(end)}"


def _in_target(name: str, target: str | None, targets: Sequence[str]) -> str:
    """``name`` addressed in ``target`` (``target:name``); a name already qualified with
    another target is a contradiction the LLM must resolve."""
    if target is None:
        return name
    named, rest = split_target(name, targets)
    if named is not None and named != target:
        raise ToolError(
            f"'{name}' names target {named}, but target is {target}; give one or the other."
        )
    return f"{target}:{rest}"


def _target_of(args: BaseModel) -> str | None:
    """The ``target`` argument, on the tools' target-aware variants (:func:`with_targets`)."""
    value = getattr(args, "target", None)
    return value if isinstance(value, str) and value else None


@tool(
    "list_log_groups",
    "List log groups (names, stored bytes, retention). Use first when unsure of a group name.",
    ListLogGroupsArgs,
)
async def list_log_groups(args: ListLogGroupsArgs, context: ToolContext) -> ToolResult:
    source = await context.source()
    target = _target_of(args)
    prefix = _in_target(args.prefix or "", target, targets_of(source)) or None
    with collect_notes() as notes:
        groups = await source.list_log_groups(prefix, args.limit)
    where = f" starting with '{args.prefix}'" if args.prefix else ""
    where += f" in target {target}" if target else ""
    if not groups:
        return ToolResult(text=_with_notes(f"No log groups{where}.", notes), summary="0 log groups")
    lines = [
        f"{counted(len(groups), 'log group')}{where}"
        + (" (limit reached)" if len(groups) >= args.limit else "")
        + ":"
    ]
    for group in groups:
        details = []
        if group.stored_bytes is not None:
            details.append(f"{group.stored_bytes} bytes")
        if group.retention_days is not None:
            details.append(f"retention {group.retention_days}d")
        lines.append(group.qualified_name + (f" ({', '.join(details)})" if details else ""))
    text = _with_notes("\n".join(lines), notes)
    return ToolResult(text=text, summary=counted(len(groups), "log group"))


@tool(
    "fetch_logs",
    "Fetch log events of one log group in a time range, optionally filtered. Results over the "
    "context budget come back grouped into templates with counts and samples.",
    FetchLogsArgs,
)
async def fetch_logs(args: FetchLogsArgs, context: ToolContext) -> ToolResult:
    start, end = _range(context, args.start_time, args.end_time)
    source = await context.source()
    group = _in_target(args.log_group, _target_of(args), targets_of(source))
    with collect_notes() as notes:
        events = await source.fetch_logs(group, start, end, args.filter_pattern, args.limit)
    filtered = f", filter {args.filter_pattern!r}" if args.filter_pattern else ""
    header = f"{group}, {_span(start, end)}{filtered}: {counted(len(events), 'event')}"
    if len(events) >= args.limit:
        header += f" (limit {args.limit} reached: there may be more; narrow the range or filter)"
    header = _with_notes(header, notes)
    return ToolResult(
        events=events,
        header=header,
        summary=counted(len(events), "event"),
        summarize=args.summarize,
    )


@tool(
    "search_logs",
    "Search many log groups at once (exact names and/or name prefixes) for a filter pattern.",
    SearchLogsArgs,
)
async def search_logs(args: SearchLogsArgs, context: ToolContext) -> ToolResult:
    start, end = _range(context, args.start_time, args.end_time)
    source = await context.source()
    target, known = _target_of(args), targets_of(source)
    groups = [_in_target(name, target, known) for name in args.log_groups]
    prefixes = [_in_target(prefix, target, known) for prefix in args.log_group_prefixes]
    with collect_notes() as notes:
        events = await source.search_logs(
            groups, args.pattern, start, end, args.limit, prefixes=prefixes
        )
    targets = ", ".join([*groups, *(f"{p}*" for p in prefixes)])
    groups_hit = len({event.group for event in events})
    header = (
        f"search {args.pattern!r} in {targets}, {_span(start, end)}: "
        f"{counted(len(events), 'event')} in {counted(groups_hit, 'group')}"
    )
    if len(events) >= args.limit:
        header += f" (limit {args.limit} reached: there may be more)"
    header = _with_notes(header, notes)
    return ToolResult(
        events=events,
        header=header,
        summary=f"{counted(len(events), 'event')} in {counted(groups_hit, 'group')}",
        summarize=args.summarize,
    )


def query_tool(query_language: str) -> Tool:
    """The server-side query tool, described with the source's own query language."""

    async def run_query(args: QueryLogsArgs, context: ToolContext) -> ToolResult:
        start, end = _range(context, args.start_time, args.end_time)
        source = await context.source()
        target, known = _target_of(args), targets_of(source)
        groups = [_in_target(name, target, known) for name in args.log_groups]
        with collect_notes() as notes:
            result = await source.run_query(args.query, groups, start, end, args.limit)
        scanned = _scanned(result)
        notice = _query_notice(result, args.limit) + "".join(f" Note: {n}" for n in notes)
        where = f"{_span(start, end)}, status {result.status}"
        if result.batches > 1:
            where += (
                f", over {len(dict.fromkeys(args.log_groups))} groups in {result.batches} "
                f"batches, {counted(result.queries, 'query', 'queries')}"
            )
        elif result.queries > 1:
            where += f", split by time into {result.queries} queries"
        scan_line = [f"{scanned.long}."] if scanned else []
        if not result.rows:
            return ToolResult(
                text="\n".join([f"Query returned no rows ({where}).{notice}", *scan_line]),
                summary="0 rows" + _summary_tail(result, args.limit) + scanned.short,
            )
        columns = list(dict.fromkeys(key for row in result.rows for key in row))
        # The notice sits in the first line: a long result is cut from the end to fit the
        # context budget, and the LLM must never read partial rows as the whole answer.
        lines = [f"{len(result.rows)} rows ({where}).{notice}", *scan_line, " | ".join(columns)]
        lines += [" | ".join(row.get(column, "") for column in columns) for row in result.rows]
        return ToolResult(
            text="\n".join(lines),
            summary=counted(len(result.rows), "row")
            + _summary_tail(result, args.limit)
            + scanned.short,
        )

    return Tool(
        name="query_logs",
        description=(
            "Run a server-side query without pulling the events: counts, stats and top-N over "
            "large volumes, or matching events across many groups. Language: "
            f"{query_language}"
        ),
        parameters=QueryLogsArgs,
        body=run_query,
    )


@dataclass(frozen=True)
class _Scanned:
    """What a query scanned, worded for the LLM (``long``) and for the tool-call line."""

    long: str = ""
    short: str = ""

    def __bool__(self) -> bool:
        return bool(self.long)


def _scanned(result: QueryResult) -> _Scanned:
    """Bytes scanned and their approximate cost, as far as the source reported them.

    An answer the cache served scanned nothing now; saying so keeps the user from reading
    the first call's cost as a second charge.
    """
    from logai.cache import cache_outcome
    from logai.cache.stats import format_bytes

    cost = result.cost
    if cost is None:
        return _Scanned()
    if cache_outcome.get() == "hit":
        return _Scanned("Answered from LogAI's cache: nothing was scanned for it now", ", cached")
    size = format_bytes(cost.bytes_scanned)
    if cost.approx_usd is None:
        return _Scanned(f"Scanned {size}", f", {size} scanned")
    usd = _usd(cost.approx_usd)
    basis = f" ({cost.basis})" if cost.basis else ""
    return _Scanned(f"Scanned {size}, about {usd}{basis}", f", {size} scanned (~{usd})")


def _usd(amount: float) -> str:
    """Dollars to two significant digits: a scan of a few MB costs fractions of a cent."""
    if amount == 0:
        return "$0"
    if amount >= 0.01:
        return f"${amount:,.2f}"
    if amount < 1e-6:
        return "<$0.000001"
    decimals = 1 - math.floor(math.log10(amount))
    return f"${amount:.{decimals}f}"


def _query_notice(result: QueryResult, limit: int) -> str:
    """What the LLM must know about rows that are not everything the query matched."""
    if result.stopped_early:
        return (
            f" STOPPED EARLY, rows are incomplete: {result.stopped_early} To get every row, "
            "narrow the query: a shorter time range, a stricter filter, fewer log groups, or "
            "aggregate with stats instead of listing events."
        )
    if result.truncated or len(result.rows) >= limit:
        if result.matched is not None and result.matched > len(result.rows):
            found = f" of {result.matched:,} matched: there are more rows"
        else:  # an aggregate's group count is unknown; a plugin may not know either
            found = ": there may be more rows"
        more = (
            f"raise limit (up to {QUERY_ROW_CAP:,}) or narrow the query"
            if limit < QUERY_ROW_CAP
            else "narrow the query"
        )
        return f" Limit {limit:,} reached{found}; {more}."
    return ""


def _summary_tail(result: QueryResult, limit: int) -> str:
    if result.stopped_early:
        return " (stopped early)"
    if result.truncated or len(result.rows) >= limit:
        return " (limit reached)"
    return ""


CORE_TOOLS: tuple[Tool, ...] = (list_log_groups, fetch_logs, search_logs)


def _query_logs_for(source: DataSource) -> Tool | None:
    """``query_logs`` is offered where the source runs server-side queries, in its language."""
    if not source.supports_query:
        return None
    return query_tool(source.query_language or "the source's query language")


#: What core registers through ``register_tools`` (the built-in plugin ``core-tools``), like any
#: plugin's tools; ``query_logs`` decides per conversation whether it is offered.
LOG_TOOLS: tuple[Tool, ...] = (
    *CORE_TOOLS,
    dataclasses.replace(query_tool("the source's query language"), for_source=_query_logs_for),
)


def with_targets(tools: Sequence[Tool], targets: Sequence[str]) -> list[Tool]:
    """The log tools with an optional ``target`` argument naming one of ``targets``.

    Only a source with several targets gets them (see :mod:`logai.sources.targets`): with one,
    the schemas stay exactly as they were. Tools without a log group argument are kept as is.
    """
    if not targets:
        return list(tools)
    choices: Any = Literal[tuple(targets)]
    description = (
        "Read only this target (an AWS account and region): "
        + ", ".join(targets)
        + ". Default: every target. A group may also be named target:group."
    )
    adapted = []
    for item in tools:
        if not issubclass(item.parameters, _GROUP_ARGS):
            adapted.append(item)
            continue
        model = create_model(
            item.parameters.__name__,
            __base__=item.parameters,
            target=(choices | None, Field(None, description=description)),
        )
        adapted.append(dataclasses.replace(item, parameters=model))
    return adapted


#: The argument models of the tools that name log groups (and so may name a target).
_GROUP_ARGS = (ListLogGroupsArgs, FetchLogsArgs, SearchLogsArgs, QueryLogsArgs)
