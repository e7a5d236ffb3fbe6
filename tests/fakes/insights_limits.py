"""moto's Logs Insights with the two AWS behaviours it lacks: the row limit and statistics.

moto runs the query itself (time range, ``fields``, ``sort``, ``@ptr``) but ignores
StartQuery's ``limit`` and reports no statistics. :class:`EnforcingInsights` wraps a real
moto client: it cuts each query's rows at its ``limit`` and reports ``recordsMatched`` (and a
nominal ``bytesScanned``) as AWS does, so code that follows a cut query meets a server that
enforces the limit. ``latency`` adds a query's running time (one ``Running`` poll) for
benchmarks. Every other call goes to the moto client unchanged.

For the group limit, the concurrent-query quota and tests over HTTP (boto3 really talking to a
server), see :mod:`tests.fakes.insights_server`.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

#: What each query reports as scanned, so summed statistics can be checked.
BYTES_PER_QUERY = 100.0


class EnforcingInsights:
    """A CloudWatch Logs client whose Insights queries stop at their ``limit``, as AWS's do."""

    def __init__(self, client: CloudWatchLogsClient, *, latency: float = 0.0) -> None:
        self._client = client
        self._latency = latency
        self._limits: dict[str, int] = {}
        self._ready: dict[str, float] = {}
        self._lock = threading.Lock()
        self.started: list[dict[str, Any]] = []
        """StartQuery parameters, in the order the queries were started."""
        self.running = 0
        self.most_running = 0
        """The most queries running at one time."""

    def start_query(self, **params: Any) -> dict[str, Any]:
        answer = self._client.start_query(**params)
        with self._lock:
            self.started.append(params)
            self._limits[answer["queryId"]] = params["limit"]
            self._ready[answer["queryId"]] = time.monotonic() + self._latency
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        return dict(answer)

    def get_query_results(self, queryId: str) -> dict[str, Any]:
        if time.monotonic() < self._ready[queryId]:
            return {"status": "Running", "results": []}
        answer = self._client.get_query_results(queryId=queryId)
        results = answer["results"]
        with self._lock:
            if self._ready.pop(queryId, None) is not None:
                self.running -= 1
        return {
            "status": answer["status"],
            "results": results[: self._limits[queryId]],
            "statistics": {
                "recordsMatched": float(len(results)),
                "bytesScanned": BYTES_PER_QUERY,
            },
        }

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
