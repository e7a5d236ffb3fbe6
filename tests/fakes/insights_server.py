"""A small Logs Insights server over HTTP that enforces the limits AWS enforces.

moto runs simple Insights queries but accepts any number of log groups, ignores StartQuery's
``limit``, reports no statistics, has no concurrent-query quota and answers at once. This
server speaks the CloudWatch Logs JSON protocol for the three Insights calls (StartQuery,
GetQueryResults, StopQuery) plus DescribeLogGroups, so a real boto3 client talks to it through
``AWS_ENDPOINT_URL_CLOUDWATCH_LOGS``, and it behaves as AWS documents:

* more than :data:`MAX_GROUPS` groups in one StartQuery is an ``InvalidParameterException``;
* an unknown group is a ``ResourceNotFoundException``;
* a query's rows stop at its ``limit`` (at most 10,000), and its statistics report
  ``recordsMatched``, ``recordsScanned`` and ``bytesScanned`` (the bytes of the messages in
  the queried groups and time range);
* at most ``quota`` queries run at once; one more is a ``LimitExceededException``;
* a query runs for ``latency`` seconds (``Running`` until then); StopQuery ends it.

It counts what a test needs to check: every StartQuery's parameters, the most queries running
at one time, the queries stopped, the bytes scanned in all. The query language is the small
part of Insights the tests use: ``fields``, ``filter @message like /re/`` (or ``"text"``),
``sort @timestamp asc|desc``, ``stats count(*) [as name] [by field]`` (then ``sort name``)
and ``limit N``.
Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

MAX_GROUPS = 50
MAX_ROWS = 10_000
TARGET_PREFIX = "Logs_20140328."


class ServiceError(Exception):
    """An AWS error reply: its ``__type`` and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class StoredEvent:
    group: str
    timestamp_ms: int
    message: str
    stream: str
    pointer: str


@dataclass(slots=True)
class _Query:
    rows: list[dict[str, str]]
    statistics: dict[str, float]
    ready_at: float
    status: str = "Running"


@dataclass
class InsightsServer:
    """The server; use as a context manager, seed with :meth:`put_events`."""

    latency: float = 0.0
    quota: int = 30
    started: list[dict[str, Any]] = field(default_factory=list)
    """StartQuery parameters, in the order the queries were accepted."""
    rejected: list[str] = field(default_factory=list)
    """Error codes of the StartQuery calls refused (quota, group limit, unknown group)."""
    stopped: list[str] = field(default_factory=list)
    """Ids of the queries StopQuery ended while they were running."""
    most_running: int = 0
    bytes_scanned: float = 0.0
    endpoint: str = ""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, list[StoredEvent]] = {}
        self._queries: dict[str, _Query] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- seeding and inspection -------------------------------------------------------------

    def put_events(self, group: str, events: list[tuple[int, str]], stream: str = "s1") -> None:
        """Add ``(timestamp_ms, message)`` events to ``group`` (created if new)."""
        with self._lock:
            stored = self._events.setdefault(group, [])
            for timestamp_ms, message in events:
                stored.append(StoredEvent(group, timestamp_ms, message, stream, uuid.uuid4().hex))

    def create_group(self, group: str) -> None:
        with self._lock:
            self._events.setdefault(group, [])

    @property
    def running(self) -> int:
        with self._lock:
            return self._running_locked()

    def ids(self) -> list[str]:
        """Ids of every accepted query, in order."""
        with self._lock:
            return list(self._queries)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- the API -----------------------------------------------------------------------------

    def handle(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        method = {
            "StartQuery": self._start_query,
            "GetQueryResults": self._get_query_results,
            "StopQuery": self._stop_query,
            "DescribeLogGroups": self._describe_log_groups,
        }.get(action)
        if method is None:
            raise ServiceError("UnknownOperationException", f"{action} is not supported here.")
        return method(params)

    def _running_locked(self) -> int:
        return sum(1 for query in self._queries.values() if query.status == "Running")

    def _start_query(self, params: dict[str, Any]) -> dict[str, Any]:
        groups = list(params.get("logGroupNames") or [])
        limit = int(params.get("limit", 1000))
        with self._lock:
            try:
                if len(groups) > MAX_GROUPS:
                    raise ServiceError(
                        "InvalidParameterException",
                        f"A query can cover at most {MAX_GROUPS} log groups.",
                    )
                if not 1 <= limit <= MAX_ROWS:
                    raise ServiceError("InvalidParameterException", f"Invalid limit {limit}.")
                missing = [group for group in groups if group not in self._events]
                if missing:
                    raise ServiceError(
                        "ResourceNotFoundException", "The specified log group does not exist."
                    )
                if self._running_locked() >= self.quota:
                    raise ServiceError(
                        "LimitExceededException",
                        f"Account has reached its limit of {self.quota} concurrent queries.",
                    )
            except ServiceError as error:
                self.rejected.append(error.code)
                raise
            low, high = int(params["startTime"]) * 1000, int(params["endTime"]) * 1000 + 999
            scanned = [
                event
                for group in groups
                for event in self._events[group]
                if low <= event.timestamp_ms <= high
            ]
            rows, matched = _evaluate(str(params["queryString"]), scanned)
            size = float(sum(len(event.message.encode()) for event in scanned))
            self.bytes_scanned += size
            query_id = uuid.uuid4().hex
            self._queries[query_id] = _Query(
                rows=rows[:limit],
                statistics={
                    "recordsMatched": float(matched),
                    "recordsScanned": float(len(scanned)),
                    "bytesScanned": size,
                },
                ready_at=time.monotonic() + self.latency,
            )
            self.started.append(params)
            self.most_running = max(self.most_running, self._running_locked())
        return {"queryId": query_id}

    def _get_query_results(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            query = self._queries.get(str(params.get("queryId")))
            if query is None:
                raise ServiceError("ResourceNotFoundException", "Unknown query id.")
            if query.status == "Running" and time.monotonic() >= query.ready_at:
                query.status = "Complete"
            if query.status != "Complete":
                return {"status": query.status, "results": [], "statistics": {}}
            results = [
                [{"field": name, "value": value} for name, value in row.items()]
                for row in query.rows
            ]
            return {"status": "Complete", "results": results, "statistics": query.statistics}

    def _stop_query(self, params: dict[str, Any]) -> dict[str, Any]:
        query_id = str(params.get("queryId"))
        with self._lock:
            query = self._queries.get(query_id)
            if query is None or query.status != "Running":
                raise ServiceError("InvalidParameterException", "The query is not running.")
            query.status = "Cancelled"
            self.stopped.append(query_id)
        return {"success": True}

    def _describe_log_groups(self, params: dict[str, Any]) -> dict[str, Any]:
        prefix = str(params.get("logGroupNamePrefix") or "")
        with self._lock:
            names = sorted(name for name in self._events if name.startswith(prefix))
        limit = int(params.get("limit", 50))
        return {"logGroups": [{"logGroupName": name} for name in names[:limit]]}


# -- the query language, as far as the tests use it ------------------------------------------

_FILTER = re.compile(r"^filter\s+@message\s+like\s+(?:/(?P<re>.*)/|\"(?P<text>.*)\")$")
_SORT = re.compile(r"^sort\s+@timestamp(?:\s+(?P<way>asc|desc))?$", re.IGNORECASE)
_SORT_ROWS = re.compile(r"^sort\s+(?P<column>\w+)(?:\s+(?P<way>asc|desc))?$", re.IGNORECASE)
_STATS = re.compile(r"^stats\s+count\(\*\)(?:\s+as\s+(?P<name>\w+))?(?:\s+by\s+(?P<by>[@\w]+))?$")
_LIMIT = re.compile(r"^limit\s+(?P<n>\d+)$")


def _timestamp(event: StoredEvent) -> str:
    moment = datetime.fromtimestamp(event.timestamp_ms / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{event.timestamp_ms % 1000:03d}"


def _value(event: StoredEvent, name: str) -> str:
    values = {
        "@timestamp": _timestamp(event),
        "@message": event.message,
        "@log": f"123456789012:{event.group}",
        "@logStream": event.stream,
    }
    return values.get(name, "")


def _evaluate(query: str, events: list[StoredEvent]) -> tuple[list[dict[str, str]], int]:
    """Rows of ``query`` over ``events`` (with ``@ptr``), and how many events matched."""
    fields = ["@timestamp", "@message"]
    chosen = sorted(events, key=lambda event: event.timestamp_ms, reverse=True)
    limit: int | None = None
    stats: tuple[str, str | None] | None = None
    row_sort: tuple[str, bool] | None = None
    for command in (part.strip() for part in query.split("|")):
        if command.startswith("fields "):
            fields = [name.strip() for name in command[len("fields ") :].split(",")]
        elif match := _FILTER.match(command):
            pattern = match["re"]
            if pattern is not None:
                chosen = [event for event in chosen if re.search(pattern, event.message)]
            else:
                chosen = [event for event in chosen if match["text"] in event.message]
        elif match := _SORT.match(command):
            newest = (match["way"] or "desc").lower() == "desc"
            chosen.sort(key=lambda event: event.timestamp_ms, reverse=newest)
        elif match := _STATS.match(command):
            stats = (match["name"] or "count(*)", match["by"])
        elif stats is not None and (match := _SORT_ROWS.match(command)):
            row_sort = (match["column"], (match["way"] or "desc").lower() == "desc")
        elif match := _LIMIT.match(command):
            limit = int(match["n"])
        else:
            raise ServiceError("MalformedQueryException", f"unexpected command: {command}")
    if stats is not None:
        name, by = stats
        counts: dict[str, int] = {}
        for event in chosen:
            key = _value(event, by) if by else ""
            counts[key] = counts.get(key, 0) + 1
        rows = [{**({by: key} if by else {}), name: str(count)} for key, count in counts.items()]
        if row_sort is not None:
            column, descending = row_sort
            rows.sort(key=lambda row: int(row.get(column, "0")), reverse=descending)
    else:
        rows = [
            {**{name: _value(event, name) for name in fields}, "@ptr": event.pointer}
            for event in chosen
        ]
    return (rows[:limit] if limit is not None else rows), len(chosen)


def _handler_for(server: InsightsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            target = self.headers.get("X-Amz-Target", "")
            action = target.removeprefix(TARGET_PREFIX)
            try:
                status, reply = 200, server.handle(action, body)
            except ServiceError as error:
                status, reply = 400, {"__type": error.code, "message": str(error)}
            payload = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-amzn-RequestId", uuid.uuid4().hex)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """No line per request on stderr."""

    return Handler
