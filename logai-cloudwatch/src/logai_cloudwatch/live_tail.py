"""Following CloudWatch log groups: StartLiveTail where it is available, polling where not.

StartLiveTail pushes new events over one HTTP response stream (a session of up to 10 groups,
an update every second, up to three hours), so following costs no polling and shows events
within a second or two. It is not available everywhere: emulators (moto, LocalStack) answer it
partly or not at all, and an IAM policy may allow FilterLogEvents but not StartLiveTail. So:

* against AWS's own endpoints, a session per 10 groups is started; an error saying the
  operation is unknown, not allowed or not reachable falls back to polling, with a note saying
  why; a session AWS ends after its three hours is started again;
* against any other endpoint (``AWS_ENDPOINT_URL_CLOUDWATCH_LOGS``), FilterLogEvents is polled
  from the start, through :func:`logai.sources.follow.poll_follow` (event-id de-duplication,
  an overlap window for CloudWatch's ingestion delay).

Reading a session's stream blocks, for hours: it runs in a thread of its own (never the
source's pool, whose threads serve short calls), handing updates to the event loop; closing
the iteration closes the stream, which ends the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from logai.sources.base import LogEvent, SourceAccessDenied, SourceNotFound
from logai.sources.follow import FollowPolicy, poll_follow
from logai.sources.notes import add_note
from logai_cloudwatch._convert import from_millis
from logai_cloudwatch._lookup import find_groups

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

    from logai.sources.base import DataSource
    from logai_cloudwatch.insights import Caller

#: Groups one StartLiveTail session may cover.
MAX_SESSION_GROUPS = 10
#: Hosts of AWS's own endpoints, where StartLiveTail is served.
_AWS_HOSTS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
#: Error codes meaning "this endpoint or identity cannot live-tail": poll instead.
_UNSUPPORTED = frozenset(
    {
        "UnknownOperationException",
        "UnknownOperation",
        "InvalidAction",
        "NotImplemented",
        "NotImplementedException",
        "AccessDeniedException",
        "AccessDenied",
        "UnauthorizedOperation",
    }
)
#: Stream errors after which a new session is started rather than giving up.
_RESTART = frozenset({"SessionTimeoutException"})
#: A session that ends sooner than this, without AWS's timeout, was not a real Live Tail
#: (an emulator answering once and closing): polling takes over instead of reopening it.
_SHORTEST_SESSION = 60.0
#: Event ids remembered for de-duplication before the older half is forgotten.
_SEEN_LIMIT = 100_000


class LiveTailUnavailable(Exception):
    """StartLiveTail cannot be used here; ``str()`` says why, for the note."""


def serves_live_tail(client: CloudWatchLogsClient) -> bool:
    """Whether ``client`` talks to AWS's own endpoint (where StartLiveTail exists)."""
    host = (urlparse(client.meta.endpoint_url).hostname or "").lower()
    return host.endswith(_AWS_HOSTS)


def follow_cloudwatch(
    source: DataSource,
    call: Caller,
    ensure_client: Callable[[], Awaitable[CloudWatchLogsClient]],
    not_found: Callable[[str, SourceNotFound], Awaitable[SourceNotFound]],
    groups: Sequence[str],
    filter_pattern: str | None,
    *,
    poll_interval: float,
    start: datetime | None,
) -> AsyncIterator[list[LogEvent]]:
    """The CloudWatch source's :meth:`~logai.sources.base.DataSource.follow`."""
    return _Follow(source, call, ensure_client, not_found).run(
        list(dict.fromkeys(groups)), filter_pattern, poll_interval, start
    )


class _Follow:
    def __init__(
        self,
        source: DataSource,
        call: Caller,
        ensure_client: Callable[[], Awaitable[CloudWatchLogsClient]],
        not_found: Callable[[str, SourceNotFound], Awaitable[SourceNotFound]],
    ) -> None:
        self._source = source
        self._call = call
        self._ensure_client = ensure_client
        self._not_found = not_found

    async def run(
        self,
        groups: list[str],
        filter_pattern: str | None,
        poll_interval: float,
        start: datetime | None,
    ) -> AsyncIterator[list[LogEvent]]:
        begin = start or datetime.now(UTC)
        resume = begin
        client = await self._ensure_client()
        arns: dict[str, str] | None = None
        if serves_live_tail(client):
            try:
                arns = await self._arns(groups)
            except SourceAccessDenied as denied:
                # Live Tail names groups by ARN, learnt from DescribeLogGroups; without that
                # permission, polling (FilterLogEvents by name) may still be allowed.
                add_note(f"{denied} Following by polling FilterLogEvents instead.")
        if arns is not None:
            tail = _LiveTail(client, arns, filter_pattern, begin)
            try:
                async for batch in tail.batches():
                    yield batch
            except LiveTailUnavailable as why:
                add_note(
                    f"CloudWatch Live Tail is not available ({why}); following by polling "
                    f"FilterLogEvents every {poll_interval:g} s instead."
                )
                if tail.last_seen is not None:
                    # Polling's event ids are not Live Tail's: start after the last event
                    # shown rather than show the ones around it twice.
                    resume = tail.last_seen + timedelta(milliseconds=1)
            finally:
                tail.close()
        elif not serves_live_tail(client):
            add_note(
                f"The endpoint {client.meta.endpoint_url} is not AWS's own, so Live Tail is "
                f"not used: following by polling FilterLogEvents every {poll_interval:g} s."
            )
        policy = FollowPolicy(poll_interval=poll_interval)
        async for batch in poll_follow(
            self._source, groups, filter_pattern, policy=policy, start=resume
        ):
            yield batch

    async def _arns(self, groups: Sequence[str]) -> dict[str, str]:
        """Each group's ARN (StartLiveTail names groups by ARN), or SourceNotFound; the groups
        are looked up 50 per DescribeLogGroups call (:mod:`logai_cloudwatch._lookup`)."""
        lookup = await find_groups(self._call, groups)
        if lookup.missing is not None:
            group = lookup.missing
            error = SourceNotFound(f"Log group '{group}' does not exist.", name=group)
            raise await self._not_found(group, error)
        arns: dict[str, str] = {}
        for group, raw in lookup.found.items():  # in the order asked
            arn = str(raw.get("logGroupArn") or raw.get("arn", "")).removesuffix(":*")
            arns[arn] = group
        return arns


class _LiveTail:
    """Sessions of up to 10 groups, their updates merged into one stream of batches."""

    def __init__(
        self,
        client: CloudWatchLogsClient,
        arns: Mapping[str, str],
        filter_pattern: str | None,
        start: datetime,
    ) -> None:
        self._client = client
        self._groups = dict(arns)
        self._filter = filter_pattern
        self._start = start
        self._seen: dict[str, datetime] = {}
        self._opened: dict[int, float] = {}
        self._streams: list[Any] = []
        self._stop = threading.Event()
        self.last_seen: datetime | None = None
        """The newest event time yielded, for polling to take over from."""

    async def batches(self) -> AsyncIterator[list[LogEvent]]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[int, str, Any]] = asyncio.Queue()
        chunks = list(self._groups)
        chunks_of = [
            chunks[i : i + MAX_SESSION_GROUPS] for i in range(0, len(chunks), MAX_SESSION_GROUPS)
        ]
        for index, arns in enumerate(chunks_of):
            await self._open(index, arns, loop, queue)
        sampled = False
        while True:
            index, kind, value = await queue.get()
            if kind == "update":
                sampled = sampled or self._note_sampling(value)
                batch = self._fresh(value.get("sessionResults", []))
                if batch:
                    self.last_seen = max(self.last_seen or batch[-1].timestamp, batch[-1].timestamp)
                yield batch
            elif _code(value) in _RESTART:
                await self._open(index, chunks_of[index], loop, queue)
            elif kind == "end":
                lasted = loop.time() - self._opened[index]
                if lasted < _SHORTEST_SESSION:
                    raise LiveTailUnavailable(
                        f"the endpoint ended the session after {lasted:.0f} s"
                    )
                await self._open(index, chunks_of[index], loop, queue)
            else:
                raise LiveTailUnavailable(_why(value))

    def _fresh(self, results: Sequence[Mapping[str, Any]]) -> list[LogEvent]:
        """Events of one update not shown before and not older than the follow's start.

        AWS sends each event once; a reopened session or a server that replays must still
        not show one twice.
        """
        batch = []
        for result in results:
            event = self._event(result)
            if event.timestamp < self._start or event.event_id in self._seen:
                continue
            self._seen[event.event_id] = event.timestamp
            batch.append(event)
        if len(self._seen) > _SEEN_LIMIT:  # keep the newest half: old ids cannot come back
            keep = sorted(self._seen.items(), key=lambda item: item[1])[len(self._seen) // 2 :]
            self._seen = dict(keep)
        batch.sort(key=lambda event: event.timestamp)
        return batch

    def close(self) -> None:
        """End every session: the reading threads stop at their next read."""
        self._stop.set()
        for stream in self._streams:
            with contextlib.suppress(Exception):
                stream.close()

    async def _open(
        self,
        index: int,
        arns: Sequence[str],
        loop: asyncio.AbstractEventLoop,
        queue: asyncio.Queue[tuple[int, str, Any]],
    ) -> None:
        params: dict[str, Any] = {"logGroupIdentifiers": list(arns)}
        if self._filter:
            params["logEventFilterPattern"] = self._filter
        try:
            response = await asyncio.to_thread(self._client.start_live_tail, **params)
        except Exception as exc:
            if _code(exc) in _UNSUPPORTED or _unreachable(exc):
                raise LiveTailUnavailable(_why(exc)) from None
            from logai_cloudwatch.errors import ErrorContext, map_error

            raise map_error(exc, ErrorContext(action="logs:StartLiveTail")) from None
        stream = response["responseStream"]
        self._streams.append(stream)
        self._opened[index] = loop.time()
        threading.Thread(
            target=self._pump,
            args=(index, stream, loop, queue),
            name="logai-live-tail",
            daemon=True,
        ).start()

    def _pump(
        self,
        index: int,
        stream: Any,
        loop: asyncio.AbstractEventLoop,
        queue: asyncio.Queue[tuple[int, str, Any]],
    ) -> None:
        def hand(kind: str, value: Any) -> None:
            if self._stop.is_set():
                return
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(queue.put_nowait, (index, kind, value))

        try:
            for item in stream:
                if self._stop.is_set():
                    return
                update = item.get("sessionUpdate")
                if update is not None:
                    hand("update", update)
        except Exception as exc:
            hand("error", exc)
            return
        hand("end", None)

    def _event(self, result: Mapping[str, Any]) -> LogEvent:
        identifier = str(result.get("logGroupIdentifier", ""))
        group = self._groups.get(identifier.removesuffix(":*")) or _name_of(identifier)
        stream = str(result.get("logStreamName", ""))
        timestamp = int(result.get("timestamp", 0))
        message = str(result.get("message", ""))
        # Live Tail sends no event id; this one is stable for the same event.
        text = f"{group}\0{stream}\0{timestamp}\0{result.get('ingestionTime', '')}\0{message}"
        return LogEvent(
            timestamp=from_millis(timestamp),
            message=message,
            group=group,
            stream=stream,
            event_id="lt-" + hashlib.sha256(text.encode()).hexdigest()[:24],
        )

    @staticmethod
    def _note_sampling(update: Mapping[str, Any]) -> bool:
        if update.get("sessionMetadata", {}).get("sampled"):
            add_note(
                "Live Tail is sampling: more than 500 events per second match, so some are "
                "not shown. Add --filter to see them all."
            )
            return True
        return False


def _name_of(identifier: str) -> str:
    """A group's name from its ARN (``...:log-group:NAME``) or the identifier itself."""
    _, marker, name = identifier.partition(":log-group:")
    return name.removesuffix(":*") if marker else identifier


def _code(exc: Any) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, Mapping):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _unreachable(exc: BaseException) -> bool:
    """A connection that could not be made (a proxy without the streaming host, say)."""
    from botocore.exceptions import EndpointConnectionError  # type: ignore[import-untyped]

    return isinstance(exc, EndpointConnectionError)


def _why(exc: BaseException) -> str:
    code = _code(exc)
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return f"{code}: {detail}" if code and code not in detail else detail
