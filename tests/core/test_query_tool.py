"""Query results that are not everything matched: what ``query_logs`` says, what the cache keeps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from logai.cache import CachedDataSource, LogCache
from logai.cache.outcome import cache_outcome
from logai.config import load_settings
from logai.sources import DataSource, LogEvent, LogGroup, QueryResult
from logai.tools.base import ToolContext
from logai.tools.log_tools import QUERY_ROW_CAP, QueryLogsArgs, query_tool


class _Canned(DataSource):
    """A query-capable source that answers every query with one fixed result."""

    name: ClassVar[str] = "canned"
    supports_query: ClassVar[bool] = True
    query_language: ClassVar[str] = "canned"

    def __init__(self, result: QueryResult) -> None:
        self.result = result

    async def list_log_groups(self, prefix: str | None = None, limit: int = 50) -> list[LogGroup]:
        return []

    async def fetch_logs(
        self,
        group: str,
        start: datetime,
        end: datetime,
        filter_pattern: str | None = None,
        limit: int = 1000,
    ) -> list[LogEvent]:
        return []

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
        return []

    async def run_query(
        self,
        query: str,
        groups: Sequence[str],
        start: datetime,
        end: datetime,
        limit: int = 1000,
        timeout: float = 60.0,  # noqa: ASYNC109 - the DataSource signature
    ) -> QueryResult:
        return self.result


def _rows(count: int) -> list[dict[str, str]]:
    return [{"host": f"h{i}", "count(*)": "1"} for i in range(count)]


@pytest.mark.parametrize(
    ("result", "limit", "first_line", "summary"),
    [
        (QueryResult(rows=_rows(3)), 10, "3 rows (", "3 rows"),
        # A plugin that sets none of the new fields: a full page may hide more rows.
        (
            QueryResult(rows=_rows(10)),
            10,
            "Limit 10 reached: there may be more rows",
            "(limit reached)",
        ),
        (
            QueryResult(rows=_rows(10), truncated=True, matched=500),
            10,
            "Limit 10 reached of 500 matched: there are more rows; raise limit (up to 50,000)",
            "(limit reached)",
        ),
        (
            QueryResult(rows=_rows(4), truncated=True, stopped_early="The backend caps rows at 4."),
            10,
            "STOPPED EARLY, rows are incomplete: The backend caps rows at 4. To get every row, "
            "narrow the query",
            "4 rows (stopped early)",
        ),
        (
            QueryResult(rows=[], truncated=True, stopped_early="Every part timed out."),
            10,
            "Query returned no rows (",
            "0 rows (stopped early)",
        ),
    ],
)
async def test_query_tool_says_whether_rows_are_everything(
    result: QueryResult, limit: int, first_line: str, summary: str
) -> None:
    settings = load_settings()
    args = QueryLogsArgs.model_validate(
        {"query": "stats count(*) by host", "log_groups": ["g"], "limit": limit}
    )

    answer = await query_tool("canned").run(args, ToolContext(settings, source=_Canned(result)))

    assert first_line in answer.text.splitlines()[0]
    assert answer.summary.endswith(summary)
    assert ("STOPPED EARLY" in answer.text) is bool(result.stopped_early)


def test_query_tool_limit_is_capped() -> None:
    with pytest.raises(ValueError, match="less than or equal to 50000"):
        QueryLogsArgs.model_validate(
            {"query": "q", "log_groups": ["g"], "limit": QUERY_ROW_CAP + 1}
        )


@pytest.mark.parametrize(
    ("result", "kept"),
    [
        (QueryResult(rows=_rows(3)), True),
        (QueryResult(rows=_rows(10), truncated=True, matched=50), True),  # cut by limit only
        (QueryResult(rows=_rows(4), truncated=True, stopped_early="Capped at 4."), False),
        (QueryResult(rows=_rows(4), truncated=True), False),  # short of limit, yet cut
        (QueryResult(rows=_rows(3), status="Timeout"), False),
    ],
)
async def test_the_cache_keeps_only_complete_query_results(
    tmp_path: Path, result: QueryResult, kept: bool
) -> None:
    source = _Canned(result)
    cached = CachedDataSource(source, LogCache(tmp_path / "cache.db"))
    end = datetime.now(UTC) - timedelta(days=1)
    span = (end - timedelta(hours=1), end)

    first = await cached.run_query("fields @message", ["g"], *span, limit=10)
    second = await cached.run_query("fields @message", ["g"], *span, limit=10)
    outcome = cache_outcome.get()
    await cached.aclose()

    assert first == second == result
    assert outcome == ("hit" if kept else "miss")
