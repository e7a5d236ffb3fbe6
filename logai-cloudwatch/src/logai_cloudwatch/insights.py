"""CloudWatch Logs Insights: run a query to completion, following it past the row limit.

This is how a question over millions of events gets answered without pulling them: the work runs
in CloudWatch's engine and only the result rows come back. These facts of that engine shape the
code here:

- One query names at most :data:`MAX_QUERY_GROUPS` log groups. More are queried in batches
  side by side: rows of event queries merged by ``@timestamp``, rows of ``stats`` with
  ``count``/``sum``/``min``/``max`` combined per key (:mod:`logai_cloudwatch._combine`), any
  other query refused with the reason, since its per-batch answers would not add up.
- An account may run only so many queries at once (30 by default, dashboards included): every
  query of a source draws from one bounded semaphore (:class:`QuerySlots`).
- Queries are billed by the bytes they scan: the statistics' ``bytesScanned`` is summed over
  every query of a question and priced at the list price (:func:`query_cost`), approximately.

- One query returns at most :data:`MAX_QUERY_ROWS` rows, all at once when it completes (there is
  no page token to follow). Its statistics say how many events matched, so a cut is visible.
- A cut query whose rows are events (``fields``/``filter``/``parse``...) can be followed by
  splitting its time range and running each part, until every part fits or a stated cap
  (:class:`SplitPolicy`) is reached; the result then says what is missing and why. An aggregate
  (``stats``) is never split - its per-part rows would not add up to the whole - so a cut
  aggregate is reported as such (see :mod:`logai_cloudwatch._query_shape`).
- A query keeps running - and costing money - after the client loses interest, so every way out
  other than completion (our timeout, the user cancelling) sends ``StopQuery`` first.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from logai.sources.base import (
    DataSourceError,
    QueryCost,
    QueryResult,
    SourceThrottled,
    SourceTimeout,
    SourceUnavailable,
    SourceValidationError,
)
from logai_cloudwatch._combine import StatsCombiner, stats_combiner
from logai_cloudwatch._query_shape import QueryShape, query_shape
from logai_cloudwatch.settings import DEFAULT_QUERY_CONCURRENCY

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

T = TypeVar("T")

#: CloudWatch's own limits on one query. (Recent API models accept a StartQuery ``limit`` up
#: to 100,000; 10,000 is the documented default every endpoint honours, so LogAI asks for no
#: more and splits past it.)
MAX_QUERY_GROUPS = 50
MAX_QUERY_ROWS = 10_000
#: CloudWatch Logs Insights list price per GB scanned (USD, Standard log class, as published
#: for us-east-1 and most commercial regions in 2026). An approximation for the user, never a
#: bill: some regions charge more, and the Infrequent Access log class has its own price.
PRICE_PER_GB_SCANNED_USD = 0.005
BYTES_PER_GB = 1024**3
PRICE_BASIS = (
    f"approximate, at the Logs Insights list price of ${PRICE_PER_GB_SCANNED_USD} per GB "
    "scanned; the real price depends on region and log class"
)

_PENDING = frozenset({"Scheduled", "Running"})
#: How long to wait for StopQuery when abandoning a query; it is best effort.
_STOP_TIMEOUT = 10.0
#: Aim each part of a split at this share of the per-query limit: events are rarely spread evenly.
_PART_FILL = 0.8
#: At most this many parts per split. Logs come in bursts, so a range cut into as many parts
#: as its match count suggests is mostly empty parts, each a wasted query; a small fan-out
#: finds the bursts in a few levels and costs little more when events are spread evenly.
_FAN_OUT = 4
#: Errors of one part of a split query that end that part, not the whole answer.
_PART_ERRORS = (SourceTimeout, SourceThrottled, SourceUnavailable)

Span = tuple[int, int]
"""An inclusive range of epoch seconds, as StartQuery speaks them."""


class Caller(Protocol):
    """The source's retrying, error-mapping way of calling one client method."""

    async def __call__(
        self,
        action: str,
        method: Callable[[CloudWatchLogsClient], Callable[..., T]],
        params: Mapping[str, Any],
        *,
        group: str = "",
        retry: bool = True,
    ) -> T: ...


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask for results: quickly at first (most queries take seconds), then less."""

    initial: float = 0.5
    """Seconds before the first GetQueryResults."""

    factor: float = 1.5
    """Each wait is this much longer than the previous one."""

    maximum: float = 5.0
    """Cap of one wait."""


@dataclass(frozen=True)
class SplitPolicy:
    """How far one ``run_query`` follows a query past CloudWatch's per-query limits."""

    max_queries: int = 40
    """StartQuery calls one ``run_query`` may make in all, over every batch, the first included."""

    max_rows: int = 50_000
    """Rows one ``run_query`` returns at most, whatever ``limit`` the caller asked for."""

    concurrency: int = DEFAULT_QUERY_CONCURRENCY
    """Queries one source keeps running at once, across all its questions: the account's
    concurrent-query quota (AWS's default unless ``LOGAI_CLOUDWATCH_INSIGHTS_CONCURRENCY`` says
    otherwise). Lower it when dashboards or colleagues share the quota."""

    rows_per_query: int = MAX_QUERY_ROWS
    """The ``limit`` of one StartQuery; CloudWatch's own maximum unless a test lowers it."""

    max_groups: int = 500
    """Log groups one ``run_query`` may cover, in batches of :data:`MAX_QUERY_GROUPS`."""

    def __post_init__(self) -> None:
        for name in ("max_queries", "max_rows", "concurrency", "rows_per_query", "max_groups"):
            if getattr(self, name) < 1:
                raise SourceValidationError(f"SplitPolicy.{name} must be at least 1.")
        if self.rows_per_query > MAX_QUERY_ROWS:
            raise SourceValidationError(
                f"SplitPolicy.rows_per_query cannot exceed CloudWatch's {MAX_QUERY_ROWS:,}."
            )


class QuerySlots:
    """The concurrent-query quota as one source sees it: a bounded semaphore per event loop.

    The quota is the account's, so every question a source runs at the same time (the LLM
    may call the query tool twice in one turn) draws from the same slots. One semaphore per
    loop because a source may serve more than one loop (asyncio primitives bind to one).
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.BoundedSemaphore
        ] = weakref.WeakKeyDictionary()

    def here(self) -> asyncio.BoundedSemaphore:
        """The running loop's semaphore."""
        loop = asyncio.get_running_loop()
        with self._lock:
            slots = self._by_loop.get(loop)
            if slots is None:
                slots = self._by_loop[loop] = asyncio.BoundedSemaphore(self.size)
            return slots


def query_cost(statistics: Mapping[str, float]) -> QueryCost | None:
    """Bytes scanned (summed ``bytesScanned``) and their approximate price; None if unknown."""
    scanned = statistics.get("bytesScanned")
    if scanned is None:
        return None
    return QueryCost(
        bytes_scanned=int(scanned),
        approx_usd=scanned / BYTES_PER_GB * PRICE_PER_GB_SCANNED_USD,
        basis=PRICE_BASIS,
    )


def _validate(query: str, groups: Sequence[str], limit: int, policy: SplitPolicy) -> None:
    if not query.strip():
        raise SourceValidationError("The Logs Insights query is empty.")
    if not groups:
        raise SourceValidationError("A Logs Insights query needs at least one log group.")
    if len(groups) > policy.max_groups:
        raise SourceValidationError(
            f"LogAI runs one Logs Insights question over at most {policy.max_groups} log "
            f"groups (in batches of {MAX_QUERY_GROUPS}); {len(groups)} were given. Narrow the "
            "prefix or split the question."
        )
    batches = math.ceil(len(groups) / MAX_QUERY_GROUPS)
    if batches > policy.max_queries:
        raise SourceValidationError(
            f"{len(groups)} log groups need {batches} Logs Insights queries (at most "
            f"{MAX_QUERY_GROUPS} groups each), more than LogAI's cap of {policy.max_queries} "
            "queries per question. Name fewer groups."
        )
    if limit < 1:
        raise SourceValidationError(f"The row limit must be at least 1, not {limit}.")


# -- one query -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Answer:
    """What one completed StartQuery returned."""

    rows: list[dict[str, str]]
    """Rows as CloudWatch sent them, ``@ptr`` included (it tells split parts' rows apart)."""
    statistics: dict[str, float]
    cut: bool
    """The per-query row limit cut the rows (for an aggregate: may have cut them)."""


def _rows(results: Sequence[Sequence[Mapping[str, Any]]]) -> list[dict[str, str]]:
    return [
        {str(cell["field"]): str(cell.get("value", "")) for cell in result if cell.get("field")}
        for result in results
    ]


async def _stop_quietly(call: Caller, query_id: str) -> None:
    """Best-effort StopQuery: the query may have finished meanwhile, which is fine."""
    with contextlib.suppress(DataSourceError, asyncio.TimeoutError):
        await asyncio.wait_for(
            call(
                "logs:StopQuery",
                lambda client: client.stop_query,
                {"queryId": query_id},
                retry=False,
            ),
            timeout=_STOP_TIMEOUT,
        )


async def _stop_when_started(call: Caller, starting: asyncio.Future[Any]) -> None:
    with contextlib.suppress(DataSourceError, asyncio.TimeoutError, asyncio.CancelledError):
        started = await asyncio.wait_for(starting, timeout=_STOP_TIMEOUT)
        await _stop_quietly(call, started["queryId"])


async def _run_one(
    call: Caller,
    query: str,
    groups: Sequence[str],
    span: Span,
    limit: int,
    *,
    deadline: float,
    timeout: float,  # noqa: ASYNC109 - only named in the message
    policy: PollPolicy,
) -> _Answer:
    """Run one query over ``span`` to completion, or stop it and raise.

    Raises :class:`SourceTimeout` at ``deadline`` (loop time; the query is stopped first);
    on cancellation the query is stopped and ``CancelledError`` propagates.
    """
    starting = asyncio.ensure_future(
        call(
            "logs:StartQuery",
            lambda client: client.start_query,
            {
                "logGroupNames": list(groups),
                "startTime": span[0],
                "endTime": span[1],
                "queryString": query,
                "limit": limit,
            },
        )
    )
    try:
        started = await asyncio.shield(starting)
    except asyncio.CancelledError:
        # Cancelled while StartQuery was on the wire: the query may be running regardless,
        # so wait for its id and stop it rather than leave it costing money.
        await asyncio.shield(_stop_when_started(call, starting))
        raise
    query_id = started["queryId"]
    loop = asyncio.get_running_loop()
    delay = policy.initial
    try:
        while True:
            await asyncio.sleep(min(delay, max(0.0, deadline - loop.time())))
            answer = await call(
                "logs:GetQueryResults",
                lambda client: client.get_query_results,
                {"queryId": query_id},
            )
            status = str(answer.get("status", "Unknown"))
            if status == "Complete":
                return _complete(answer, limit)
            if status not in _PENDING:
                raise _failed(status)
            if loop.time() >= deadline:
                await _stop_quietly(call, query_id)
                raise SourceTimeout(
                    f"The Logs Insights query did not finish within {timeout:g} s and was "
                    "stopped. Narrow the time range or the log groups, or allow more time."
                )
            delay = min(delay * policy.factor if delay else policy.initial, policy.maximum)
    except asyncio.CancelledError:
        await asyncio.shield(_stop_quietly(call, query_id))
        raise


def _complete(answer: Mapping[str, Any], limit: int) -> _Answer:
    raw: Mapping[str, object] = answer.get("statistics", {})
    statistics = {key: float(value) for key, value in raw.items() if isinstance(value, int | float)}
    results = answer.get("results", [])
    matched = statistics.get("recordsMatched")
    # A full page is cut unless the statistics say nothing more matched. (Some servers ignore
    # the limit and send more rows: that is a cut too, and the extra rows are dropped.)
    cut = len(results) > limit or (len(results) == limit and (matched is None or matched > limit))
    return _Answer(rows=_rows(results[:limit]), statistics=statistics, cut=cut)


def _failed(status: str) -> DataSourceError:
    if status == "Timeout":
        return SourceTimeout(
            "CloudWatch ended the Logs Insights query at its own time limit (60 minutes). "
            "Query a shorter time range or fewer log groups."
        )
    if status == "Cancelled":
        return DataSourceError("The Logs Insights query was cancelled in CloudWatch.")
    return DataSourceError(
        f"The Logs Insights query ended with status {status}. Check the query syntax "
        "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html)."
    )


# -- following a cut query -----------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    """Rows of one time span, in the query's order, and whether the span holds more."""

    span: Span
    rows: list[dict[str, str]] = field(default_factory=list)
    more: bool = False
    """The span matched more rows than ``rows`` holds."""
    stopped: str = ""
    """Why the span's remaining rows were not fetched, when a cap (not the limit) stopped it."""


class _Ledger:
    """What one ``run_query`` spends across all its batches and parts.

    Shared by the batches so that the query cap, the statistics and the concurrency bound
    are those of the whole question, not of each batch of 50 groups.
    """

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots = slots
        self.reserved = 0
        """Queries started or promised to a part already: the budget spent."""
        self.ran = 0
        """Queries that completed."""
        self.statistics: dict[str, float] = {}
        """GetQueryResults statistics, summed over every completed query."""


class _Follow:
    """One batch of at most 50 groups of a ``run_query``, followed past the row limit."""

    def __init__(
        self,
        call: Caller,
        query: str,
        groups: Sequence[str],
        shape: QueryShape,
        *,
        ledger: _Ledger,
        split: SplitPolicy,
        poll: PollPolicy,
        deadline: float,
        timeout: float,
    ) -> None:
        self._call = call
        self._query = query
        self._groups = groups
        self._shape = shape
        self._split = split
        self._poll = poll
        self._deadline = deadline
        self._timeout = timeout
        self.ledger = ledger

    async def query(self, span: Span, want: int) -> _Answer:
        """Run one query; its place in the budget must already be reserved."""
        async with self.ledger.slots:
            answer = await _run_one(
                self._call,
                self._query,
                self._groups,
                span,
                min(want, self._split.rows_per_query),
                deadline=self._deadline,
                timeout=self._timeout,
                policy=self._poll,
            )
        self.ledger.ran += 1
        for key, value in answer.statistics.items():
            self.ledger.statistics[key] = self.ledger.statistics.get(key, 0.0) + value
        return answer

    async def follow(self, span: Span, want: int, answer: _Answer) -> list[_Piece]:
        """The rows of ``span`` in order, up to ``want``, given its first answer."""
        if not answer.cut:
            return [_Piece(span, answer.rows)]
        if len(answer.rows) >= want:  # the caller's limit, reached inside this span
            return [_Piece(span, answer.rows[:want], more=True)]
        why = self._why_not_split(span, answer)
        if why:
            return [_Piece(span, answer.rows, more=True, stopped=why)]
        parts = self._parts(span, answer)
        matched = answer.statistics.get("recordsMatched")
        if matched is not None and matched > want:
            pieces = await self._in_order(parts, want)
        else:  # every part's rows are wanted: query them side by side
            self.ledger.reserved += len(parts)
            pieces = [piece for part in await self._gather(parts, want) for piece in part]
        if any(piece.stopped for piece in pieces) and _count(pieces) < len(answer.rows):
            # The parts fell short of what the cut first answer already holds (time ran out,
            # say): its rows are the first of the span in order, a better answer than a
            # patchwork of parts.
            reason = next(piece.stopped for piece in pieces if piece.stopped)
            return [_Piece(span, answer.rows, more=True, stopped=reason)]
        return pieces

    async def _in_order(self, parts: Sequence[Span], want: int) -> list[_Piece]:
        """Query parts one after another until ``want`` rows are in hand.

        Used when the span matched more than is wanted: only its first parts (in the
        query's order) are needed, and querying the rest side by side would waste queries.
        """
        pieces: list[_Piece] = []
        for index, part in enumerate(parts):
            got = _count(pieces)
            if got >= want:
                rest = parts[index:]
                pieces.append(_Piece((min(p[0] for p in rest), max(p[1] for p in rest)), more=True))
                break
            pieces += await self._attempt(part, want - got)
        return pieces

    async def _gather(self, spans: Sequence[Span], want: int) -> list[list[_Piece]]:
        results: list[list[_Piece]] = [[] for _ in spans]

        async def one(index: int, span: Span) -> None:
            results[index] = await self._attempt(span, want, reserved=True)

        try:
            async with asyncio.TaskGroup() as tasks:
                for index, span in enumerate(spans):
                    tasks.create_task(one(index, span))
        except BaseExceptionGroup as failure:
            raise first_error(failure) from None
        return results

    async def _attempt(self, span: Span, want: int, *, reserved: bool = False) -> list[_Piece]:
        """Query one part of a split range; a time-out or throttling ends only that part."""
        if not reserved:
            if self.ledger.reserved >= self._split.max_queries:
                return [_Piece(span, more=True, stopped=self._cap_reason())]
            self.ledger.reserved += 1
        if asyncio.get_running_loop().time() >= self._deadline:
            return [_Piece(span, more=True, stopped=self._time_reason())]
        try:
            answer = await self.query(span, want)
        except _PART_ERRORS as exc:
            reason = self._time_reason() if isinstance(exc, SourceTimeout) else str(exc)
            return [_Piece(span, more=True, stopped=reason)]
        return await self.follow(span, want, answer)

    def _why_not_split(self, span: Span, answer: _Answer) -> str:
        per_query = self._split.rows_per_query
        if self._shape.aggregates:
            return (
                f"CloudWatch returns at most {per_query:,} rows per query, and this query "
                f"was not split because {self._shape.why_not}"
            )
        if not self._shape.splittable:
            return (
                f"CloudWatch returns at most {per_query:,} rows per query, and this query "
                f"was not split by time because {self._shape.why_not}"
            )
        if span[1] - span[0] < 2:
            return f"more than {per_query:,} rows fall within {span[1] - span[0] + 1} s"
        if any("@ptr" not in row for row in answer.rows):
            return "its rows carry no @ptr to tell the parts of a split range apart"
        if self._split.max_queries - self.ledger.reserved < 2:
            return self._cap_reason()
        return ""

    def _parts(self, span: Span, answer: _Answer) -> list[Span]:
        """``span`` cut into parts expected to fit one query each, in the query's order.

        Neighbouring parts share their boundary second (StartQuery's ends are inclusive whole
        seconds), so no event falls between two parts; rows seen twice are dropped by ``@ptr``.
        """
        start, end = span
        matched = answer.statistics.get("recordsMatched", 0.0)
        count = math.ceil(matched / (_PART_FILL * self._split.rows_per_query))
        room = self._split.max_queries - self.ledger.reserved
        count = max(2, min(count, _FAN_OUT, room, end - start))
        bounds = sorted({start + round(i * (end - start) / count) for i in range(count + 1)})
        parts = list(itertools.pairwise(bounds))
        return parts[::-1] if self._shape.newest_first else parts

    def _cap_reason(self) -> str:
        return f"LogAI's cap of {self._split.max_queries} queries per question was reached"

    def _time_reason(self) -> str:
        return f"the time budget of {self._timeout:g} s ran out"


def _count(pieces: Sequence[_Piece]) -> int:
    """Distinct rows in ``pieces``: neighbouring parts share a boundary second."""
    pointers = {row["@ptr"] for piece in pieces for row in piece.rows if "@ptr" in row}
    return len(pointers) + sum(1 for piece in pieces for row in piece.rows if "@ptr" not in row)


def first_error(failure: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error to report from a failed group of calls: the first data-source error, else the
    first error (a search over many groups and a split Insights query both fail this way)."""
    leaves: list[BaseException] = []
    pending: list[BaseException] = [failure]
    while pending:
        current = pending.pop(0)
        if isinstance(current, BaseExceptionGroup):
            pending[:0] = list(current.exceptions)
        else:
            leaves.append(current)
    return next((leaf for leaf in leaves if isinstance(leaf, DataSourceError)), leaves[0])


# -- the entry point -----------------------------------------------------------------------------


async def run_insights_query(
    call: Caller,
    query: str,
    groups: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    limit: int = 1000,
    timeout: float = 60.0,  # noqa: ASYNC109 - a deadline across many calls, not one await
    poll: PollPolicy | None = None,
    split: SplitPolicy | None = None,
    slots: QuerySlots | None = None,
) -> QueryResult:
    """Run a Logs Insights query and return up to ``limit`` rows, in the query's order.

    More than :data:`MAX_QUERY_GROUPS` groups are queried in batches side by side and their
    rows merged (see :func:`_merge`); a query that cannot be batched without changing its
    answer is refused with the reason. When CloudWatch's per-query row limit cuts a query
    whose rows are events, the time range is split and each part queried, until ``limit``
    rows are in hand, every part fits, or the caps of ``split`` are reached;
    :attr:`QueryResult.stopped_early` then says which. Every query draws from ``slots``, the
    source's concurrent-query quota. Raises :class:`SourceTimeout` when a first query does not
    finish within ``timeout`` seconds (later parts that run out of time are reported, not
    raised); on cancellation every running query is stopped and ``CancelledError`` propagates.
    """
    policy = split or SplitPolicy()
    names = list(dict.fromkeys(groups))
    _validate(query, names, limit, policy)
    wanted = min(limit, policy.max_rows)
    shape = query_shape(query)
    batches = [names[i : i + MAX_QUERY_GROUPS] for i in range(0, len(names), MAX_QUERY_GROUPS)]
    combiner: StatsCombiner | None = None
    if len(batches) > 1 and not shape.splittable:
        found = stats_combiner(query) if shape.aggregates else shape.why_not
        if isinstance(found, str):
            raise SourceValidationError(_unbatchable(shape, len(names), found))
        combiner = found
    ledger = _Ledger((slots or QuerySlots(policy.concurrency)).here())
    ledger.reserved = len(batches)
    deadline = asyncio.get_running_loop().time() + timeout
    # StartQuery speaks epoch *seconds*; round outward so the range is never narrowed.
    whole = (math.floor(start.timestamp()), math.ceil(end.timestamp()))

    async def batch(names: Sequence[str]) -> QueryResult:
        follow = _Follow(
            call,
            query,
            names,
            shape,
            ledger=ledger,
            split=policy,
            poll=poll or PollPolicy(),
            deadline=deadline,
            timeout=timeout,
        )
        first = await follow.query(whole, wanted)  # its errors are the caller's, as they are
        pieces = await follow.follow(whole, wanted, first)
        return _assemble(pieces, first, shape, limit=limit, wanted=wanted)

    if len(batches) == 1:
        result = await batch(batches[0])
    else:
        parts: list[QueryResult] = []
        try:
            async with asyncio.TaskGroup() as tasks:
                running = [tasks.create_task(batch(names)) for names in batches]
        except BaseExceptionGroup as failure:
            raise first_error(failure) from None
        parts = [task.result() for task in running]
        if combiner is None:
            result = _merge(parts, batches, shape, limit=limit, wanted=wanted)
        else:
            result = _combine(parts, batches, combiner, wanted=wanted)
    return replace(
        result,
        statistics=dict(ledger.statistics),
        queries=ledger.ran,
        batches=len(batches),
        cost=query_cost(ledger.statistics),
    )


def _unbatchable(shape: QueryShape, count: int, why: str) -> str:
    """Why a query over more than 50 groups is refused rather than run in batches."""
    if shape.aggregates:
        reason = f"its aggregate cannot be combined over batches: {why}"
    else:
        reason = (
            f"{why}, which would apply per batch: the top rows of each batch are not the "
            "top rows overall"
        )
    return (
        f"CloudWatch queries at most {MAX_QUERY_GROUPS} log groups at a time, so {count} groups "
        f"would need {math.ceil(count / MAX_QUERY_GROUPS)} batches, and this query cannot be "
        f"run in batches because {reason}. Query at most {MAX_QUERY_GROUPS} groups at a time "
        "(e.g. one prefix per question); aggregate with count, sum, min or max (optionally "
        "followed by one sort), which LogAI combines across batches; or list matching events "
        "(fields/filter, sorted by @timestamp or not at all), which LogAI merges."
    )


def _combine(
    parts: Sequence[QueryResult],
    batches: Sequence[Sequence[str]],
    combiner: StatsCombiner,
    *,
    wanted: int,
) -> QueryResult:
    """One answer from the per-batch rows of a combinable ``stats`` query (see
    :mod:`logai_cloudwatch._combine`): one row per key, count and sum added, min and max kept."""
    reasons = [
        f"groups {_batch_text(batches, index)}: {part.stopped_early}"
        for index, part in enumerate(parts)
        if part.stopped_early
    ]
    rows = combiner.combine([part.rows for part in parts])
    if rows is None:
        rows = [row for part in parts for row in part.rows]
        reasons.append(
            f"the rows of {len(batches)} batches of groups could not be combined (their columns "
            f"are not the ones the query names: {', '.join(combiner.columns)}), so they are "
            "listed batch by batch"
        )
    return QueryResult(
        rows=rows[:wanted],
        status="Complete",
        truncated=any(part.truncated for part in parts) or len(rows) > wanted,
        stopped_early=" ".join(reason.rstrip(".") + "." for reason in reasons),
    )


def _assemble(
    pieces: Sequence[_Piece],
    first: _Answer,
    shape: QueryShape,
    *,
    limit: int,
    wanted: int,
) -> QueryResult:
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    truncated = False
    gaps: list[tuple[Span, str]] = []
    for piece in pieces:
        fresh = []
        for row in piece.rows:
            pointer = row.pop("@ptr", None)
            if pointer is not None:
                if pointer in seen:
                    continue
                seen.add(pointer)
            fresh.append(row)
        room = wanted - len(rows)
        rows += fresh[:room]
        truncated = truncated or piece.more or len(fresh) > room
        if piece.stopped and len(rows) < wanted:
            gaps.append((piece.span, piece.stopped))
    matched = first.statistics.get("recordsMatched")
    if matched is None and not truncated:
        matched = len(rows)
    stopped = ""
    if gaps:
        stopped = "Not every matching row was fetched - " + _gaps_text(gaps) + "."
    elif truncated and wanted < limit:
        stopped = f"LogAI returns at most {wanted:,} rows per query (asked: {limit:,})."
    return QueryResult(
        rows=rows,
        status="Complete",
        matched=None if shape.aggregates or matched is None else int(matched),
        truncated=truncated,
        stopped_early=stopped,
    )


def _merge(
    parts: Sequence[QueryResult],
    batches: Sequence[Sequence[str]],
    shape: QueryShape,
    *,
    limit: int,
    wanted: int,
) -> QueryResult:
    """One answer from the answers of several batches of groups of an event-listing query.

    Each batch holds its own first ``wanted`` rows in the query's order, so the first
    ``wanted`` rows overall are among them: merged by ``@timestamp`` (newest first unless the
    query sorts ascending) and cut at ``wanted``, they are exactly what one query over every
    group would return. Rows without ``@timestamp`` cannot be ordered across batches; they
    are kept batch by batch, and when the cut then falls inside them the result says so.
    """
    rows = [row for part in parts for row in part.rows]
    timed = all("@timestamp" in row for row in rows)
    if timed:
        # Insights formats @timestamp as "YYYY-MM-DD HH:MM:SS.mmm": text order is time order.
        rows.sort(key=lambda row: row["@timestamp"], reverse=shape.newest_first)
    truncated = any(part.truncated for part in parts) or len(rows) > wanted
    reasons = [
        f"groups {_batch_text(batches, index)}: {part.stopped_early}"
        for index, part in enumerate(parts)
        if part.stopped_early
    ]
    if not timed and len(rows) > wanted:
        reasons.append(
            f"the rows of {len(batches)} batches of groups were cut at {wanted:,} batch by batch, "
            "not in time order, because the query does not return @timestamp (add it to "
            "`fields` to get the first rows over all groups)"
        )
    elif not reasons and truncated and wanted < limit:
        reasons.append(f"LogAI returns at most {wanted:,} rows per query (asked: {limit:,})")
    counts = [part.matched for part in parts]
    matched = None if any(count is None for count in counts) else sum(c or 0 for c in counts)
    return QueryResult(
        rows=rows[:wanted],
        status="Complete",
        matched=matched,
        truncated=truncated,
        stopped_early=" ".join(reason.rstrip(".") + "." for reason in reasons),
    )


def _batch_text(batches: Sequence[Sequence[str]], index: int) -> str:
    batch = batches[index]
    return f"{batch[0]} .. {batch[-1]} (batch {index + 1} of {len(batches)})"


def _gaps_text(gaps: Sequence[tuple[Span, str]]) -> str:
    """The missing spans, neighbours missing for the same reason merged into one."""
    merged: list[tuple[Span, str]] = []
    for span, reason in sorted(gaps):
        if merged and merged[-1][1] == reason and merged[-1][0][1] >= span[0]:
            merged[-1] = ((merged[-1][0][0], max(merged[-1][0][1], span[1])), reason)
        else:
            merged.append((span, reason))
    return "; ".join(f"{_span_text(span)}: {reason}" for span, reason in merged)


def _span_text(span: Span) -> str:
    low, high = (datetime.fromtimestamp(second, UTC) for second in span)
    return f"{low:%Y-%m-%d %H:%M:%S} to {high:%Y-%m-%d %H:%M:%S} UTC"
