"""CloudWatch Logs Insights: start a query, poll until it settles, stop it if we stop waiting.

This is how a question over millions of events gets answered without pulling them: the work runs
in CloudWatch's engine and only the (small) result rows come back. A query keeps running - and
costing money - in CloudWatch after the client loses interest, so every way out other than
completion (our timeout, the user cancelling) sends ``StopQuery`` first.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from logai.sources.base import (
    DataSourceError,
    QueryResult,
    SourceTimeout,
    SourceValidationError,
)

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

T = TypeVar("T")

#: CloudWatch's own limits on one query.
MAX_QUERY_GROUPS = 50
MAX_QUERY_ROWS = 10_000

_PENDING = frozenset({"Scheduled", "Running"})
#: How long to wait for StopQuery when abandoning a query; it is best effort.
_STOP_TIMEOUT = 10.0


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


def _validate(query: str, groups: Sequence[str], limit: int) -> None:
    if not query.strip():
        raise SourceValidationError("The Logs Insights query is empty.")
    if not groups:
        raise SourceValidationError("A Logs Insights query needs at least one log group.")
    if len(groups) > MAX_QUERY_GROUPS:
        raise SourceValidationError(
            f"A Logs Insights query can cover at most {MAX_QUERY_GROUPS} log groups; "
            f"{len(groups)} were given. Split the question or narrow the prefix."
        )
    if limit < 1:
        raise SourceValidationError(f"The row limit must be at least 1, not {limit}.")


def _rows(results: Sequence[Sequence[Mapping[str, Any]]], limit: int) -> list[dict[str, str]]:
    rows = []
    for result in results[:limit]:
        # @ptr is an opaque pointer for GetLogRecord, meaningless to people and the LLM.
        row = {
            str(cell["field"]): str(cell.get("value", ""))
            for cell in result
            if cell.get("field") and cell.get("field") != "@ptr"
        }
        rows.append(row)
    return rows


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
) -> QueryResult:
    """Run one Logs Insights query to completion, or stop it and raise.

    Raises :class:`SourceTimeout` after ``timeout`` seconds (the query is stopped first);
    on cancellation the query is stopped and ``CancelledError`` propagates.
    """
    _validate(query, groups, limit)
    policy = poll or PollPolicy()
    started = await call(
        "logs:StartQuery",
        lambda client: client.start_query,
        {
            "logGroupNames": list(groups),
            # StartQuery speaks epoch *seconds*; round outward so the range is never narrowed.
            "startTime": math.floor(start.timestamp()),
            "endTime": math.ceil(end.timestamp()),
            "queryString": query,
            "limit": min(limit, MAX_QUERY_ROWS),
        },
    )
    query_id = started["queryId"]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
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
                statistics: Mapping[str, object] = answer.get("statistics", {})
                stats = {
                    key: float(value)
                    for key, value in statistics.items()
                    if isinstance(value, int | float)
                }
                return QueryResult(
                    rows=_rows(answer.get("results", []), limit), status=status, statistics=stats
                )
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
